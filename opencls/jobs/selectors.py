from django.http import Http404

from opencls.accounts.permissions import can
from opencls.jobs.models import Job
from opencls.jobs.registry import KINDS

LIST_LIMIT = 100


def visible_job_or_404(user, pk) -> Job:
    """A job is seen by its requester and by the coordinators of its contract (by its requester
    only for a `requester_only` kind); 404 for anyone else (nobody learns that the job exists)."""
    job = Job.objects.select_related("contract__territory", "requested_by").filter(pk=pk).first()
    if job is None or not user.is_authenticated:
        raise Http404
    if job.requested_by_id == user.pk:
        return job
    spec = KINDS.get(job.kind)
    if spec is not None and spec.requester_only:
        raise Http404  # a personal export or import: its requester's only
    if user.is_superuser:
        return job
    if job.contract is not None and can(user, "contract.change", job.contract):
        return job
    raise Http404


def may_download(user, job: Job) -> bool:
    """The result is handed over only while the user still holds the right the kind needs."""
    if not job.has_download:
        return False
    spec = KINDS.get(job.kind)
    permission = spec.permission if spec else "contract.change"
    return job.contract is None or permission is None or can(user, permission, job.contract)


def jobs_of(user):
    return Job.objects.filter(requested_by=user).select_related("contract")[:LIST_LIMIT]
