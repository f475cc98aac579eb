"""The final evaluation as a document (PDF and DOCX), generated as a background job."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from opencls.jobs.registry import JobKind, JobOutput
from opencls.jobs.services import progress
from opencls.monitoring.charts import number
from opencls.renewal import selectors
from opencls.renewal.models import QUESTIONS

FINAL_REPORT = "renewal.final_evaluation_report"


def answers(evaluation) -> list[tuple[str, str]]:
    """(heading, text) of every answered question and testimony, in the report's order."""
    if evaluation is None:
        return []
    rows = [(label, getattr(evaluation, key)) for key, label, _question in QUESTIONS]
    rows += [
        (_("Ce qu'en disent les porteurs"), evaluation.porteurs_said),
        (_("Ce qu'en disent les habitants"), evaluation.inhabitants_said),
        (_("Conclusions et recommandations"), evaluation.conclusion),
    ]
    return [(str(heading), text) for heading, text in rows if text]


def _cell(row, with_period: bool) -> str:
    text = "—" if row.value is None else number(row.value.value)
    if row.target is not None:
        mark = " ✓" if row.is_met else (" ✗" if row.is_met is False else "")
        text += f" / {_('cible')} {number(row.target.value)}{mark}"
    return f"{row.period.short_label} : {text}" if with_period else text


def render_pdf(results: selectors.FinalResults) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "renewal/report.html",
        {"results": results, "answers": answers(results.evaluation), "today": timezone.localdate()},
    )
    return HTML(string=html).write_pdf(pdf_tags=True)


def render_docx(results: selectors.FinalResults) -> bytes:
    from docx import Document

    document = Document()
    contract = results.contract
    document.add_heading(_("Évaluation finale du contrat"), 0)
    document.add_paragraph(f"{contract.title} — {contract.territory}")
    document.add_paragraph(
        _("Fiches actions : %(count)s. Cibles atteintes : %(met)s sur %(targets)s.")
        % {"count": len(results.actions), "met": results.met, "targets": results.targets}
    )
    for heading, text in answers(results.evaluation):
        document.add_heading(heading, 1)
        document.add_paragraph(text)
    document.add_heading(_("Résultats par axe et par fiche action"), 1)
    for axis in results.axes:
        document.add_heading(str(axis.axis), 2)
        for item in axis.actions:
            document.add_heading(str(item.action), 3)
            conclusion = item.conclusion
            document.add_paragraph(
                _("Statut : %(status)s. Appréciation : %(judgement)s.%(continued)s")
                % {
                    "status": item.status_label,
                    "judgement": (conclusion.get_judgement_display() if conclusion else "") or "—",
                    "continued": " " + _("À reconduire.") if conclusion and conclusion.to_continue else "",
                }
            )
            if conclusion and conclusion.comment:
                document.add_paragraph(conclusion.comment)
            if item.measured:
                table = document.add_table(rows=1, cols=1 + len(results.years))
                table.style = "Table Grid"
                header = table.rows[0].cells
                header[0].text = _("Indicateur")
                for cell, year in zip(header[1:], results.years, strict=True):
                    cell.text = str(year)
                for final in item.measured:
                    cells = table.add_row().cells
                    cells[0].text = final.indicator.label
                    for cell, rows in zip(cells[1:], final.cells, strict=True):
                        cell.text = "\n".join(
                            _cell(row, len(rows) > 1) for row in rows if row.value or row.target
                        )
            if item.unmeasured:
                document.add_paragraph(
                    _("Indicateurs sans valeur ni cible : %(count)s.") % {"count": item.unmeasured}
                )
            for note in item.porteur_notes:
                document.add_paragraph(f"{note.date:%d/%m/%Y} — {note.comment}", style="List Bullet")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def run_final_report(job, *, fmt: str) -> JobOutput:
    progress(job, 10, _("Lecture des fiches, indicateurs et cibles…"))
    results = selectors.final_results(job.contract, timezone.localdate())
    progress(job, 40, _("Mise en page du document…"))
    content = render_pdf(results) if fmt == "pdf" else render_docx(results)
    name = slugify(job.contract.short_name or job.contract.title)[:40]
    return JobOutput(filename=f"evaluation-finale-{name}.{fmt}", content=content)


KIND = JobKind(key=FINAL_REPORT, run=run_final_report, permission="report.generate")
