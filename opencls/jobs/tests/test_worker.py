"""End to end with a real worker: `manage.py db_worker` in a subprocess runs a real report job.

Runs on SQLite (the worker works on a file copy of the in-memory test database, copied back
afterwards) and on PostgreSQL (the worker connects to the test database itself)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.jobs.models import Job
from opencls.monitoring.models import EvaluationReport
from opencls.testing import processes
from opencls.testing.factories import ActionFactory, AxisFactory, ContractFactory, user_with_role


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_generates_the_evaluation_report(client, tmp_path):
    contract = ContractFactory(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2028, 12, 31))
    axis = AxisFactory(contract=contract, code="1", title="Prévention")
    ActionFactory(contract=contract, axis=axis, code="FA 1.1", title="Compétences psychosociales")
    coordinator = user_with_role(contract, ContractRole.Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(
        reverse("monitoring:evaluation_generate", args=[contract.pk, 2026]), {"format": "pdf"}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) and job.status == "queued"

    url = processes.database_url(tmp_path)
    env = processes.environment(DATABASE_URL=url, MEDIA_ROOT=str(settings.MEDIA_ROOT))
    worker = processes.manage(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--queue-name", "*", "-v1", env=env
    )
    assert worker.returncode == 0, worker.stderr + worker.stdout
    processes.take_back(url)

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.progress == 100 and job.started_at and job.finished_at >= job.started_at
    report = EvaluationReport.objects.get()
    assert report.generated_by == coordinator and job.result.name == report.file.name
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # The worker logged in JSON (production settings) that it ran the task.
    assert '"logger": "django_tasks_db"' in worker.stdout + worker.stderr
