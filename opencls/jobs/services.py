"""The job API other apps call: `start_job()` from a view, `progress()` from inside the work."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.accounts.permissions import require
from opencls.jobs.models import Job
from opencls.jobs.registry import job_kind

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A failure explained to the user: its message (French) is shown on the job page."""


def start_job(kind: str, user, contract=None, *, label: str, origin_url: str = "", **params) -> Job:
    """Records the job and queues its task in one transaction; the worker runs it after commit.

    `params` must be JSON values; they are passed to the kind's `run(job, **params)`.
    """
    spec = job_kind(kind)
    if spec.permission:
        if contract is None:
            raise ValueError(f"Job kind {kind} needs a contract")
        require(user, spec.permission, contract)
    from opencls.jobs.tasks import run_job

    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, label=label, params=params, requested_by=user, contract=contract, origin_url=origin_url
        )
        # The task row is written in the same transaction: no job without its task, nor the reverse.
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        Job.objects.filter(pk=job.pk).update(task_id=job.task_id)
    return job


def progress(job: Job, percent: int, message: str = "") -> None:
    """Shows how far the job has gone (0–100) and what it does. Call it outside transactions:
    the job page reads it from another process."""
    job.progress = max(0, min(100, int(percent)))
    job.message = str(message)[:300]
    # A queryset update: progress is not a change worth a history row.
    Job.objects.filter(pk=job.pk).update(progress=job.progress, message=job.message)


def _finish(job: Job, status: str, **fields) -> None:
    job.status = status
    job.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


def execute(job_id: int) -> None:
    """Runs one queued job (called by the task in the worker). Never runs a job twice."""
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(of=("self",))
            .select_related("requested_by", "contract")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != Job.Status.QUEUED:
            return
        job.status = Job.Status.RUNNING
        job.started_at = timezone.now()
        job.save()
    try:
        spec = job_kind(job.kind)
        if spec.permission:
            try:
                require(job.requested_by, spec.permission, job.contract)
            except PermissionDenied:
                raise JobError(_("Vous n'avez plus les droits nécessaires sur ce contrat.")) from None
        output = spec.run(job, **job.params)
        if output is not None:
            if output.content is not None:
                job.result.save(output.filename, ContentFile(output.content), save=False)
                job.result_filename = output.filename
            elif output.stored_name:
                job.result.name = output.stored_name
                job.result_filename = output.filename
            job.result_url = output.url
        _finish(job, Job.Status.DONE, progress=100, message=_("Terminé."))
    except JobError as error:
        _finish(job, Job.Status.FAILED, error=str(error), message="")
    except Exception:
        logger.exception(
            "Job %s (%s) failed",
            job.pk,
            job.kind,
            extra={"job_id": job.pk, "job_user_id": job.requested_by_id},
        )
        _finish(
            job,
            Job.Status.FAILED,
            error=_("Une erreur inattendue a interrompu la tâche. L'équipe technique a été prévenue."),
            message="",
        )
