"""The cost of « an untouched record is not saved » (opencls/core/unchanged.py).

Every save of an existing row with history first reads the row back to compare. Measures, in a
throwaway SQLite database, saving 300 fiches actions one by one: changed (the guard reads, then
writes) and unchanged (the guard reads, writes nothing), against the same saves without the guard.
Prints durations (best of several runs) and the ratios, all measured in this run.

    .venv/bin/python bench/unchanged_guard.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.mkdtemp(prefix="opencls-bench-guard-")) / "bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import models, transaction  # noqa: E402

from opencls.actions.models import Action  # noqa: E402
from opencls.contracts.models import Axis, Contract  # noqa: E402
from opencls.territories.models import Territory  # noqa: E402

ROWS, RUNS = 300, 5


def best_of(function):
    timings = []
    for _ in range(RUNS):
        with transaction.atomic():
            start = time.perf_counter()
            function()
            timings.append(time.perf_counter() - start)
            transaction.set_rollback(True)
    return min(timings)


def main():
    call_command("migrate", verbosity=0)
    contract = Contract.objects.create(title="Banc", territory=Territory.objects.create(name="Banc"))
    axis = Axis.objects.create(contract=contract, title="Axe")
    Action.objects.bulk_create(
        Action(contract=contract, axis=axis, title=f"Fiche {n}", context="Ligne 1\nLigne 2", position=n)
        for n in range(ROWS)
    )
    actions = list(Action.objects.filter(contract=contract))

    def unchanged():
        for action in actions:
            action.save()

    def changed():
        for action in actions:
            action.description = f"{action.description}x"
            action.save()

    guard = Action.save_base
    guarded, plain = {}, {}
    for case, function in (("unchanged", unchanged), ("changed", changed)):
        # Interleaved, so that the load of the machine weighs on both alike.
        Action.save_base = models.Model.save_base  # the same saves without the guard
        plain[case] = best_of(function)
        Action.save_base = guard
        guarded[case] = best_of(function)
    print(f"{ROWS} saves of fiches actions, best of {RUNS} (SQLite)")
    for case in ("unchanged", "changed"):
        print(
            f"  {case:9}: guard {guarded[case] * 1000:7.1f} ms, without {plain[case] * 1000:7.1f} ms, "
            f"ratio {guarded[case] / plain[case]:.2f}"
        )


if __name__ == "__main__":
    main()
