"""Load test on loopback: two gunicorn app processes and two job workers against one PostgreSQL,
driven by locust (bench/load/locustfile.py), bounded in time and in requests, stopping by itself.

Runs each serving configuration in turn against the same data and prints, for each page, the
request count, the p95 and the ratio between configurations, then throughput and errors (must be
0: the script exits 1 otherwise).

- `defaut`: gunicorn with its default settings (sync workers), CONN_MAX_AGE 0, no gc.freeze;
- `production`: the repository's serving configuration (config/gunicorn.py: gc.freeze() after
  start-up, persistent connections), when it exists.

    createdb -h 127.0.0.1 -U postgres opencls_load
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencls_load
    .venv/bin/python bench/load/seed.py 300          # a few hundred contracts (once)
    .venv/bin/python bench/load/run.py --seconds 60 --users 12
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
PORTS = (8101, 8102)


def app_env(database_url: str, media: Path, extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        SECRET_KEY="bench-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        LOG_LEVEL="ERROR",
    )
    env.update(extra)
    return env


def wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/comptes/connexion/", timeout=60) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"le serveur du port {port} ne répond pas")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def job_worker_command() -> list[str] | None:
    """Two workers of the job system (opencls/jobs on django-tasks-db), when it is installed."""
    if (ROOT / "opencls" / "jobs").is_dir():
        return [PYTHON, "manage.py", "db_worker", "--no-reload", "--queue-name", "*", "-v0"]
    return None


# A worker's first request loads templates and URL resolvers: on a busy shared machine it can take
# longer than gunicorn's 30 s default, which then kills the worker before it ever serves.
SLOW_MACHINE = ["--timeout", "300"]

CONFIGS = {
    "defaut": {
        "env": {"DB_CONN_MAX_AGE": "0"},
        "gunicorn": lambda port, workers: [
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            *SLOW_MACHINE,
        ],
    },
    "production": {
        "env": {},
        "gunicorn": lambda port, workers: [
            "--config",
            str(ROOT / "config" / "gunicorn.py"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            *SLOW_MACHINE,
        ],
    },
}


def run_config(name: str, args, tmp: Path, plan: Path) -> dict:
    config = CONFIGS[name]
    env = app_env(args.database_url, tmp / "media", config["env"])
    processes = []
    log = open(tmp / f"{name}-servers.log", "w")
    try:
        for port in PORTS:
            command = [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                *config["gunicorn"](port, args.workers),
            ]
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
        if worker := job_worker_command():
            for _ in range(2):
                processes.append(subprocess.Popen(worker, cwd=ROOT, env=env, stdout=log, stderr=log))
        deadline = time.monotonic() + 400
        for port in PORTS:
            wait_until_up(port, deadline)
        locust_env = dict(
            env,
            OPENCLS_LOAD_PLAN=str(plan),
            OPENCLS_LOAD_HOSTS=",".join(f"http://127.0.0.1:{p}" for p in PORTS),
            OPENCLS_LOAD_MAX_REQUESTS=str(args.max_requests),
        )
        started = time.monotonic()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "load" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{PORTS[0]}",
                "--csv",
                str(tmp / name),
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env=locust_env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp / f"{name}-locust.log", "w"),
            timeout=args.seconds + 120,
        )
        elapsed = time.monotonic() - started
    finally:
        stop(processes)
        log.close()
    rows = {}
    with open(tmp / f"{name}_stats.csv") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = row
    failures_file = tmp / f"{name}_failures.csv"
    failures = list(csv.DictReader(open(failures_file))) if failures_file.exists() else []
    return {"rows": rows, "failures": failures, "elapsed": elapsed}


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers (finally) on SIGTERM too
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--seconds", type=int, default=60, help="durée de chaque configuration (max 600)")
    parser.add_argument("--users", type=int, default=12, help="utilisateurs simultanés simulés")
    parser.add_argument("--max-requests", type=int, default=6000, help="arrêt après ce nombre de requêtes")
    parser.add_argument("--workers", type=int, default=2, help="workers gunicorn par processus d'application")
    parser.add_argument("--config", action="append", choices=sorted(CONFIGS), help="configurations à mesurer")
    args = parser.parse_args()
    host = urlsplit(args.database_url).hostname
    if not args.database_url.startswith("postgres") or host not in {"127.0.0.1", "localhost"}:
        raise SystemExit("DATABASE_URL doit désigner un PostgreSQL sur 127.0.0.1")
    args.seconds = min(args.seconds, 600)
    names = args.config or [
        n for n in CONFIGS if n != "production" or (ROOT / "config" / "gunicorn.py").exists()
    ]

    tmp = Path(tempfile.mkdtemp(prefix="opencls-load-"))
    env = app_env(args.database_url, tmp / "media", {})
    commands = [["migrate", "-v", "0"], ["createcachetable"]]
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # minutes on a busy machine: once
        commands.insert(0, ["collectstatic", "--noinput", "--verbosity", "0"])
    for command in commands:
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
    plan = tmp / "plan.json"
    with open(plan, "w") as out:
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "load" / "plan.py")], cwd=ROOT, env=env, stdout=out, check=True
        )

    results = {name: run_config(name, args, tmp, plan) for name in names}

    contracts = json.load(open(plan))["contracts"]
    print(
        f"\nTest de charge : {contracts} contrats (PostgreSQL), {args.users} utilisateurs, 2 processus gunicorn "
        f"× {args.workers} workers, {'2 workers de tâches' if job_worker_command() else 'sans workers de tâches'}, "
        f"{args.seconds} s ou {args.max_requests} requêtes par configuration. Journaux : {tmp}"
    )
    pages = sorted({page for r in results.values() for page in r["rows"] if page != "Aggregated"})
    header = f"{'page':38} " + " ".join(f"{n + ' n':>10} {n + ' p95':>15}" for n in names)
    if len(names) == 2:
        header += f" {'ratio p95':>10}"
    print(header)
    for page in pages + ["Aggregated"]:
        line = f"{('TOTAL' if page == 'Aggregated' else page)[:38]:38} "
        p95s = []
        for n in names:
            row = results[n]["rows"].get(page)
            count, p95 = (row["Request Count"], row["95%"]) if row else ("-", "-")
            p95s.append(float(p95) if row else None)
            line += f"{count:>10} {p95 + ' ms':>15} "
        if len(names) == 2 and all(p95s):
            line += f"{p95s[0] / p95s[1]:>10.2f}"
        print(line)
    status = 0
    for n in names:
        total = results[n]["rows"]["Aggregated"]
        failures = int(total["Failure Count"])
        print(
            f"{n} : {total['Request Count']} requêtes en {results[n]['elapsed']:.0f} s, "
            f"{float(total['Requests/s']):.1f} req/s, p95 {total['95%']} ms, erreurs {failures}"
        )
        for failure in results[n]["failures"][:10]:
            print(
                f"   erreur : {failure['Method']} {failure['Name']} — {failure['Error']} ({failure['Occurrences']}×)"
            )
        status |= failures > 0
    if len(names) == 2:
        a, b = (float(results[n]["rows"]["Aggregated"]["Requests/s"]) for n in names)
        print(f"débit {names[1]} / {names[0]} : {b / a:.2f}")
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
