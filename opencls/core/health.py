"""Health endpoints for load balancers and supervisors (JSON, no login, never cached).

`/sante/` — liveness: the process answers; touches neither database nor disk.
`/sante/pret/` — readiness: database answers, job queue table reachable and not stuck (oldest
queued task younger than OPENCLS_JOB_QUEUE_MAX_WAIT_SECONDS: a worker is consuming), storage
writable. 200 when all pass, 503 otherwise, with each check's result.
"""

import logging
import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _check_jobs() -> dict:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("run_after", "enqueued_at")
        .values_list("enqueued_at", flat=True)
    )
    oldest = oldest.first()
    last_started = (
        DBTaskResult.objects.exclude(started_at=None)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
    ).first()
    wait = (now - oldest).total_seconds() if oldest else 0.0
    limit = settings.OPENCLS_JOB_QUEUE_MAX_WAIT_SECONDS
    return {
        "ok": wait <= limit,
        "queued": DBTaskResult.objects.ready().count(),
        "oldest_queued_seconds": round(wait, 1),
        "last_started_seconds_ago": round((now - last_started).total_seconds(), 1) if last_started else None,
        **({} if wait <= limit else {"error": "no worker has taken a queued job for too long"}),
    }


def _check_storage() -> dict:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            readable = handle.read() == b"ok"
    finally:
        default_storage.delete(name)
    return {"ok": readable}


CHECKS = {"database": _check_database, "jobs": _check_jobs, "storage": _check_storage}


@login_not_required
@never_cache
@require_GET
def liveness(request):
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readiness(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as error:  # a failing dependency is the answer, not a 500
            logger.warning("Readiness check %s failed: %s", name, type(error).__name__)
            result = {"ok": False, "error": type(error).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    ready = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", "checks": results}, status=200 if ready else 503
    )
