"""Gunicorn settings for OpenCLS (used by scripts/serve and deploy/opencls.service).

Every value can be overridden from the environment (GUNICORN_*), so the load test and a
deployment tune the same file. Issue 15 measured two causes of slow pages, both handled here
and in config/settings.py:
- Python's full garbage collections walking the ~216 000 objects loaded at start-up
  (90–155 ms pauses): each worker calls ``gc.freeze()`` once it has served its first request,
  so those long-lived objects leave the collector's generations;
- a new PostgreSQL connection per request: settings use CONN_MAX_AGE (default 60 s) with
  CONN_HEALTH_CHECKS.
"""

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# (2 × cores) + 1 sync workers is gunicorn's own recommendation for I/O-bound Django pages.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# Long work (PDFs, imports, reminders) runs in the background job worker, not in requests.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Load Django once in the master: workers share its memory pages (copy-on-write).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").strip().lower() in {"1", "true", "yes", "on"}
# Recycle workers now and then so a slow leak cannot grow forever; jitter avoids all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Request limits in front of Django's own (nginx limits bodies; these bound the headers).
limit_request_line = 8190
limit_request_fields = 100
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
if os.environ.get("LOG_FORMAT", "json") == "json":
    # One JSON line per request, with the request id the app echoes (gunicorn escapes quotes).
    access_log_format = (
        '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
        '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
        '"request_id": "%({x-request-id}o)s"}'
    )
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Shared-memory temp dir for worker heartbeats (avoids disk stalls on busy hosts).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "opencls"


def post_fork(server, worker):
    """Freeze the garbage collector once this worker has served its first request."""
    worker._opencls_gc_frozen = False


def post_request(worker, req, environ, resp):
    if not getattr(worker, "_opencls_gc_frozen", True):
        worker._opencls_gc_frozen = True
        # Collect what the first request left, then move every surviving object (modules,
        # URL resolvers, templates, translations) out of the collector's reach.
        gc.collect()
        gc.freeze()
        worker.log.debug("gc.freeze() after warm-up: %s objects frozen", gc.get_freeze_count())


# Gunicorn's runtime control socket: off unless asked for (several instances may share a host).
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
