"""The one Django task behind every OpenCLS job (run by `manage.py db_worker`)."""

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from opencls.jobs.services import execute

    execute(job_id)


@task()
def run_command(name: str) -> None:
    """A periodic management command (OPENCLS_PERIODIC_COMMANDS), run by a job worker."""
    from django.core.management import call_command

    call_command(name)
