"""Run OpenCLS in real subprocesses (gunicorn, the job worker) on the test's own database.

PostgreSQL: the subprocess connects to the test database itself. SQLite: the test database lives
in memory, so `shared_database()` copies it to a file for the subprocess and `take_back()` copies
the file back, after which the test reads what the subprocess wrote through the ORM.
Use from tests marked `django_db(transaction=True)` (the data must be committed).
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "cle-de-test-de-production-assez-longue-pour-check-deploy-0123456789abcdefgh",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_FORMAT": "json",
    "LOG_LEVEL": "INFO",
}


def database_url(directory: Path) -> str:
    """A DATABASE_URL for a subprocess: the test database (PostgreSQL) or a file copy of it (SQLite)."""
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(params.get("USER") or "")
        password = f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else ""
        auth = f"{user}{password}@" if user else ""
        return f"postgres://{auth}{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{params['NAME']}"
    path = directory / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    with target:
        connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def take_back(url: str) -> None:
    """After the subprocess ran on a SQLite copy, copy its database back into the test's."""
    if connection.vendor == "sqlite":
        source = sqlite3.connect(url.removeprefix("sqlite:///"))
        source.backup(connection.connection)
        source.close()


def environment(**overrides) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="config.settings", **overrides)
    return env


def manage(*args, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict, log_path: Path, timeout: float = 120):
    """Serves the app with config/gunicorn.py on a free loopback port; yields its base URL."""
    port = free_port()
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                "--config",
                "config/gunicorn.py",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(f"{base}/sante/", timeout=5).read()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"gunicorn did not start:\n{log_path.read_text()}") from None
                    time.sleep(0.3)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
