"""A contract's plan exported (XLSX, ODS, Territoires en Transitions) by a background job: the
export buttons start it, its page shows the progress then the download. A big spreadsheet
deposited is read and compared with the plan by a job too, which leads to the same review page
(issue 13)."""

import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from opencls.jobs.registry import JobKind, JobOutput
from opencls.jobs.services import JobError, progress, start_job

PLAN_EXPORT = "spreadsheets.plan_export"
PLAN_UPLOAD = "spreadsheets.plan_upload"
FORMAT_LABELS = {"xlsx": "Excel (XLSX)", "ods": "LibreOffice (ODS)", "tet": "Territoires en Transitions"}


def export_filename(contract, file_format: str) -> str:
    name = slugify(contract.short_name or contract.title)[:40] or "contrat"
    if file_format == "tet":
        return f"plan-{contract.pk}-{name}-territoires-en-transitions.xlsx"
    return f"plan-{contract.pk}-{name}.{file_format}"


def start_plan_export(*, user, contract, file_format: str):
    return start_job(
        PLAN_EXPORT,
        user,
        contract,
        label=_("Export du plan — %(format)s") % {"format": FORMAT_LABELS[file_format]},
        origin_url=reverse("spreadsheets:home", args=[contract.pk]),
        file_format=file_format,
    )


def run_plan_export(job, *, file_format: str) -> JobOutput:
    from opencls.spreadsheets.export import export_plan

    progress(job, 10, _("Lecture des fiches actions, opérations, indicateurs et financements…"))
    data, _warnings = export_plan(job.contract, file_format)
    progress(job, 95, _("Enregistrement du fichier…"))
    return JobOutput(filename=export_filename(job.contract, file_format), content=data)


# The same right as the synchronous download (spreadsheets:export): contract.export.
KIND = JobKind(key=PLAN_EXPORT, run=run_plan_export, permission="contract.export", requester_only=True)


def start_plan_upload(*, user, contract, filename: str, data: bytes):
    """Keeps the file in private storage until the job has read it (the upload row then keeps
    what was read, as for a file read in the request)."""
    name = Path(filename).name[:100]
    stored = default_storage.save(f"jobs/spreadsheets/{uuid.uuid4().hex}/{name}", ContentFile(data))
    return start_job(
        PLAN_UPLOAD,
        user,
        contract,
        label=_("Lecture du tableur « %(name)s »") % {"name": name},
        origin_url=reverse("spreadsheets:home", args=[contract.pk]),
        stored_name=stored,
        filename=name,
    )


def run_plan_upload(job, *, stored_name: str, filename: str) -> JobOutput:
    from opencls.spreadsheets import services
    from opencls.spreadsheets.reader import SpreadsheetError

    try:
        progress(job, 5, _("Ouverture du fichier…"))
        with default_storage.open(stored_name, "rb") as handle:
            data = handle.read()
        progress(job, 20, _("Lecture des feuilles et comparaison avec le plan enregistré…"))
        try:
            upload = services.plan_upload_create(
                contract=job.contract, user=job.requested_by, filename=filename, data=data
            )
        except SpreadsheetError as error:
            raise JobError(" ".join(error.messages)) from None
    finally:
        default_storage.delete(stored_name)
    return JobOutput(url=reverse("spreadsheets:review", args=[job.contract_id, upload.pk]))


# The same right as the synchronous upload (spreadsheets:upload): contract.change.
UPLOAD_KIND = JobKind(key=PLAN_UPLOAD, run=run_plan_upload, permission="contract.change", requester_only=True)
