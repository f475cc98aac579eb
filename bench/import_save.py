"""Time and queries to save an imported contract, in-process (issue 17).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencls_<name> .venv/bin/python bench/import_save.py [--repeat N]

For seed 004 (text): extraction, then `contract_from_json` (the loader every import goes through),
inside a transaction rolled back after each run; then `contract_from_json` of the contract's own
export (what "load a contract JSON" costs). Prints the median time and the number of queries.
Without DATABASE_URL, an in-memory SQLite database is used.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from opencls.contracts.io import contract_from_json, contract_to_json  # noqa: E402
from opencls.imports.extraction import extract_contract  # noqa: E402
from opencls.imports.readers import READERS  # noqa: E402
from opencls.imports.tests.expected import DOCUMENTS  # noqa: E402


class Rollback(Exception):
    pass


def measured(function, repeat: int) -> tuple[float, int]:
    durations, queries = [], 0
    for _ in range(repeat):
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                function()
                durations.append(time.perf_counter() - start)
                queries = len(captured)
                raise Rollback
        except Rollback:
            pass
    return statistics.median(durations), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
    data = DOCUMENTS["004"]["txt"].read_bytes()
    print(f"Base : {connection.vendor} — médiane de {repeat} passages\n")

    start = time.perf_counter()
    extracted = extract_contract(READERS[".txt"](data).blocks)
    extraction = time.perf_counter() - start
    save, save_queries = measured(lambda: contract_from_json(extracted), repeat)
    print(
        f"004 texte : lecture + extraction {extraction:.3f} s ; enregistrement {save:.3f} s, {save_queries} requêtes"
    )
    print(f"004 texte : import de bout en bout {extraction + save:.3f} s (cible < 0,5 s)")

    exported = {}
    with transaction.atomic():
        exported = contract_to_json(contract_from_json(extracted))
        transaction.set_rollback(True)
    load, load_queries = measured(lambda: contract_from_json(exported), repeat)
    print(f"load_contract (JSON exporté de 004) : {load:.3f} s, {load_queries} requêtes (cible < 0,3 s)")


if __name__ == "__main__":
    main()
