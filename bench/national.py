"""OpenCLS at national scale: the same pages with 10 and with 1 000 contracts, on PostgreSQL.

Builds two databases with `generate_national` (10 and 1 000 contracts, seed 1), then, for each,
times in-process requests (Django test client, middleware included) and prints p50 / p95 and the
SQL queries of: the regional page and its search (ARS reader of Hauts-de-France), a contract
overview (its coordinator), the open-data list (anonymous), and the exports (streamed, read to
the end). Targets (issue 16): p95 < 150 ms for pages and search, query counts that do not grow.

    .venv/bin/python bench/national.py            # PostgreSQL on 127.0.0.1:5432 (user postgres)
    OPENCLS_BENCH_POSTGRES=postgres://postgres@host:5432 .venv/bin/python bench/national.py
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("OPENCLS_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SIZES = [10, 1000]
RUNS = int(os.environ.get("OPENCLS_BENCH_RUNS", "20"))
# OPENCLS_BENCH_REUSE=1 measures the databases already generated (no drop, migrate only).
REUSE = os.environ.get("OPENCLS_BENCH_REUSE") == "1"


def database(size: int) -> str:
    return f"{SERVER}/opencls_bench_national_{size}"


def prepare(size: int) -> float:
    """A fresh database with `size` generated contracts; returns the generation time."""
    import psycopg

    if REUSE:
        env = {**os.environ, "DATABASE_URL": database(size)}
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True)
        return 0.0

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS opencls_bench_national_{size} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE opencls_bench_national_{size}")
    env = {**os.environ, "DATABASE_URL": database(size)}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "createcachetable", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([*manage, "generate_national", "--contracts", str(size), "--seed", "1"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def measure() -> dict:
    """Runs in a child process whose DATABASE_URL is the database to measure."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from opencls.accounts.models import User
    from opencls.contracts.models import Contract

    settings.ALLOWED_HOSTS = ["testserver"]
    ars = Client()
    ars.force_login(User.objects.get(username="ars-32"))
    # The worst case: a superuser reads the whole country.
    admin_user, _created = User.objects.get_or_create(
        username="bench-superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    admin = Client()
    admin.force_login(admin_user)
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="coord-national-0001"))
    anonymous = Client()
    contract = Contract.objects.get(short_name="CLS-0001")
    from opencls.region.models import Theme

    first_theme = Theme.objects.order_by("pk").values_list("pk", flat=True).first()

    def url(name, *args, query=""):
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            return None

    cases = [
        ("page régionale", ars, url("region:home")),
        ("page régionale (page 2, tri statut)", ars, url("region:home", query="?sort=status&page=2")),
        ("page régionale (superutilisateur)", admin, url("region:home")),
        ("recherche", ars, url("region:search", query="?q=vaccination")),
        ("recherche (mot générique)", ars, url("region:search", query="?q=sant%C3%A9")),
        ("recherche (superutilisateur)", admin, url("region:search", query="?q=vaccination")),
        ("matrice des thèmes", ars, url("region:themes")),
        ("matrice des thèmes (superutilisateur)", admin, url("region:themes")),
        ("carte", ars, url("region:map")),
        ("carte (superutilisateur)", admin, url("region:map")),
        ("comparaison (thème)", ars, url("region:comparison", query=f"?theme={first_theme}")),
        ("comparaison (mot générique)", ars, url("region:comparison", query="?q=nombre&dq=taux")),
        ("comparaison (superutilisateur)", admin, url("region:comparison", query="?q=nombre&dq=taux")),
        ("vue d'ensemble d'un contrat", coordinator, url("contracts:detail", contract.pk)),
        ("tableau de suivi d'un contrat", coordinator, url("monitoring:dashboard", contract.pk)),
        ("API données ouvertes (liste)", anonymous, url("opendata:contract-list")),
        ("API données ouvertes (détail)", anonymous, url("opendata:contract-detail",
                                                          Contract.objects.filter(is_published=True).first().pk)),
        ("export région CSV (flux)", anonymous, url("opendata:region-csv", "32")),
        ("export OSCARS (flux)", anonymous, url("opendata:region-oscars", "32")),
        ("export vue régionale CSV (flux)", ars, url("region:export_csv")),
        ("export vue régionale XLSX", ars, url("region:export_xlsx")),
    ]  # fmt: skip
    # As config/gunicorn.py does in each worker: after a first request, the long-lived objects
    # (modules, URL resolvers, templates) leave the garbage collector's generations; otherwise
    # its full collections (~75 ms here) land in the p95 of whatever request triggers them.
    import gc

    ars.get(reverse("region:home"))
    gc.collect()
    gc.freeze()
    results = {}
    for label, client, path in cases:
        if path is None:
            results[label] = None
            continue
        timings, queries, status = [], 0, 0
        for run in range(RUNS + 2):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                if getattr(response, "streaming", False):
                    size = sum(len(chunk) for chunk in response.streaming_content)
                else:
                    size = len(response.content)
                elapsed = time.perf_counter() - started
            status = response.status_code
            if run >= 2:  # two warm-up requests
                timings.append(elapsed * 1000)
                queries = len(captured.captured_queries)
        timings.sort()
        results[label] = {
            "status": status,
            "p50": statistics.median(timings),
            "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
            "queries": queries,
            "bytes": size,
        }
    return results


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure()))
        return
    measured, generation = {}, {}
    for size in SIZES:
        generation[size] = prepare(size)
        env = {**os.environ, "DATABASE_URL": database(size)}
        output = subprocess.run([sys.executable, __file__, "--measure"], env=env, check=True, capture_output=True,
                                text=True).stdout  # fmt: skip
        measured[size] = json.loads(output.strip().splitlines()[-1])
    small, large = SIZES
    print(
        f"generate_national : {small} contrats en {generation[small]:.1f} s, {large} en {generation[large]:.1f} s"
    )
    print(f"{'page':<40} {'p50 10':>8} {'p95 10':>8} {'p50 1000':>9} {'p95 1000':>9} {'ratio p50':>9} "
          f"{'req. 10':>7} {'req. 1000':>9} {'octets 1000':>11}")  # fmt: skip
    for label in measured[small]:
        a, b = measured[small][label], measured[large][label]
        if a is None or b is None:
            print(f"{label:<40} (adresse absente dans cette version)")
            continue
        ratio = b["p50"] / a["p50"] if a["p50"] else 0
        flag = "" if b["status"] == 200 else f"  statut {b['status']}"
        print(f"{label:<40} {a['p50']:>7.1f}  {a['p95']:>7.1f}  {b['p50']:>8.1f}  {b['p95']:>8.1f}  {ratio:>8.2f}  "
              f"{a['queries']:>7} {b['queries']:>9} {b['bytes']:>11}{flag}")  # fmt: skip


if __name__ == "__main__":
    main()
