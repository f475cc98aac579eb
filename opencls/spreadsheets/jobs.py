"""A contract's plan exported (XLSX, ODS, Territoires en Transitions) by a background job: the
export buttons start it, its page shows the progress then the download (issue 13)."""

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from opencls.jobs.registry import JobKind, JobOutput
from opencls.jobs.services import progress, start_job

PLAN_EXPORT = "spreadsheets.plan_export"
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
