"""The annual evaluation report (PDF or DOCX) as a background job."""

from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.jobs.registry import JobKind, JobOutput
from opencls.jobs.services import progress

EVALUATION_REPORT = "monitoring.evaluation_report"


def run_evaluation_report(job, *, year: int, fmt: str) -> JobOutput:
    from opencls.monitoring import services

    progress(job, 5, _("Lecture des actions, indicateurs et livrables…"))
    report = services.evaluation_report_generate(
        user=job.requested_by,
        contract=job.contract,
        year=year,
        fmt=fmt,
        today=timezone.localdate(),
        on_progress=lambda percent, message: progress(job, percent, message),
    )
    # The report keeps its file with the contract; the job points at it (no copy).
    return JobOutput(filename=report.filename, stored_name=report.file.name)


KIND = JobKind(key=EVALUATION_REPORT, run=run_evaluation_report, permission="report.generate")
