"""The contract document (PDF or DOCX) and the COPIL deck as background jobs with progress."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from opencls.jobs.registry import JobKind, JobOutput
from opencls.jobs.services import JobError, progress

CONTRACT_DOCUMENT = "documents.contract_document"
COPIL_DECK = "documents.copil_deck"
FORMATS = ("pdf", "docx")


def run_contract_document(job, *, fmt: str) -> JobOutput:
    from opencls.documents import contract_document

    if fmt not in FORMATS:
        raise JobError(_("Format de document inconnu."))
    progress(job, 5, _("Lecture du contrat, des articles et des fiches actions…"))
    data = contract_document.contract_document_data(job.contract)
    progress(job, 30, _("Mise en page du document %(format)s…") % {"format": fmt.upper()})
    content = contract_document.render_pdf(data) if fmt == "pdf" else contract_document.render_docx(data)
    progress(job, 95, _("Enregistrement du fichier…"))
    return JobOutput(filename=f"contrat-{slugify(job.contract.title)[:60]}.{fmt}", content=content)


def run_copil_deck(job) -> JobOutput:
    from django.utils import timezone

    from opencls.documents import deck

    progress(job, 5, _("Lecture du suivi, des alertes et de l'ordre du jour…"))
    data = deck.deck_data(job.contract, today=timezone.localdate())
    progress(job, 40, _("Construction des diapositives…"))
    content = deck.render_pptx(data)
    return JobOutput(filename=f"copil-{slugify(job.contract.title)[:60]}.pptx", content=content)


# Reading the contract is enough to print it or to prepare the COPIL: same right as the JSON export.
KINDS = [
    JobKind(key=CONTRACT_DOCUMENT, run=run_contract_document, permission="contract.export"),
    JobKind(key=COPIL_DECK, run=run_copil_deck, permission="contract.export"),
]
