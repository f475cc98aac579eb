import datetime

import pytest
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone

from opencls.core import health

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_login_nor_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sante/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readiness_checks_database_jobs_and_storage(client, settings):
    response = client.get("/sante/pret/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "jobs": True,
        "storage": True,
    }
    assert body["checks"]["jobs"]["queued"] == 0
    # The storage probe leaves nothing behind.
    assert not any((settings.MEDIA_ROOT / "health").iterdir())


def test_readiness_fails_when_no_worker_takes_the_queued_jobs(client):
    from django_tasks_db.models import DBTaskResult

    from opencls.jobs.tasks import run_command

    result = run_command.enqueue("check")
    assert client.get("/sante/pret/").status_code == 200  # just queued: fine
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    response = client.get("/sante/pret/")
    assert response.status_code == 503
    jobs = response.json()["checks"]["jobs"]
    assert jobs["ok"] is False and jobs["queued"] == 1 and jobs["oldest_queued_seconds"] >= 600


def test_readiness_fails_when_storage_is_not_writable(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker
    response = client.get("/sante/pret/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_readiness_fails_when_the_database_does_not_answer(client, monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get(reverse("health_ready"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "error": "OperationalError",
        "ms": response.json()["checks"]["database"]["ms"],
    }
