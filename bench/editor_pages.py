"""The contract editor as the plan grows: time and queries of its list pages, and of parse_schedule.

Builds contracts of 20, 100 and 500 fiches actions (5 axes, 2 levels of objectives, one porteur
and two operations per action) in a throwaway SQLite database, then measures the axes page, the
actions list, one action's page (with 5, 25 and 125 operations) and reading the 004 schedule
texts. Prints durations (best of several runs), queries, and the ratio of each size to the
smallest, all measured in this run.

    .venv/bin/python bench/editor_pages.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.mkdtemp(prefix="opencls-bench-editor-")) / "bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from opencls.accounts.models import Organisation, User  # noqa: E402
from opencls.actions.models import Action, ActionOrganisation, Involvement, Operation  # noqa: E402
from opencls.actions.schedule import parse_schedule  # noqa: E402
from opencls.contracts.models import Axis, Contract, ContractRole, Objective  # noqa: E402
from opencls.territories.models import Territory  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]
SIZES = (20, 100, 500)  # fiches actions
RUNS = 5
SCHEDULES = ["Premier semestre 2026", "Second semestre 2026", "Démarrage début 2026", "2025-2028", "Fin 2026"]


def best_of(function, runs=RUNS):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def build(size: int, user) -> Contract:
    territory = Territory.objects.create(name=f"Territoire {size}")
    contract = Contract.objects.create(title=f"Contrat de {size} fiches", territory=territory)
    ContractRole.objects.create(contract=contract, user=user, role=ContractRole.Role.COORDINATOR)
    axes = [
        Axis.objects.create(contract=contract, code=str(i), title=f"Axe {i}", position=i) for i in range(5)
    ]
    for axis in axes:
        for j in range(4):
            parent = Objective.objects.create(
                axis=axis, code=f"{axis.code}.{j}", title="Objectif", position=j
            )
            Objective.objects.create(axis=axis, parent=parent, code=f"{parent.code}.1", title="Sous-objectif")
    actions = Action.objects.bulk_create(
        Action(contract=contract, axis=axes[i % 5], code=f"FA {i}", title=f"Fiche action {i}", position=i)
        for i in range(size)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Porteur {size}-{i}", normalised_name=f"porteur {size}-{i}") for i in range(size)
    )
    ActionOrganisation.objects.bulk_create(
        ActionOrganisation(action=action, organisation=organisation, involvement=Involvement.LEAD)
        for action, organisation in zip(actions, organisations, strict=True)
    )
    Operation.objects.bulk_create(
        Operation(action=action, title=f"Opération {k}", position=k) for action in actions for k in range(2)
    )
    return contract


def measure(client, url):
    client.get(url)  # warm caches
    reset_queries()  # DEBUG keeps a bounded log of every query: start it empty
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return best_of(lambda: client.get(url)), len(queries)


def main():
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench", password="bench-password-42")
    client = Client()
    client.force_login(user)
    print(f"SQLite: {DB}")
    print(
        f"{'fiches':>7} {'axes':>9} {'req.':>5} {'fiches actions':>15} {'req.':>5} {'une fiche':>10} {'req.':>5}"
    )
    baseline = None
    for size in SIZES:
        contract = build(size, user)
        # One action carries size / 4 operations, to see the action page grow too.
        action = contract.actions.first()
        Operation.objects.bulk_create(Operation(action=action, title=f"Op {k}") for k in range(size // 4 - 2))
        axes_time, axes_queries = measure(client, reverse("contracts:edit_axes", args=[contract.pk]))
        list_time, list_queries = measure(client, reverse("actions:list", args=[contract.pk]))
        action_time, action_queries = measure(client, reverse("actions:edit", args=[contract.pk, action.pk]))
        row = (axes_time, list_time, action_time)
        baseline = baseline or row
        print(
            f"{size:>7} {axes_time * 1000:>7.1f}ms {axes_queries:>5} {list_time * 1000:>13.1f}ms {list_queries:>5}"
            f" {action_time * 1000:>8.1f}ms {action_queries:>5}"
        )
        ratios = " ".join(
            f"{name} ×{value / base:.1f}"
            for name, value, base in zip(("axes", "liste", "fiche"), row, baseline, strict=True)
        )
        print(f"{'':>7} rapport à {SIZES[0]} fiches ({size / SIZES[0]:.0f}× plus de données) : {ratios}")

    texts = SCHEDULES * 2000
    elapsed = best_of(lambda: [parse_schedule(text) for text in texts])
    print(
        f"\nparse_schedule : {len(texts)} textes en {elapsed * 1000:.1f} ms ({elapsed / len(texts) * 1e6:.1f} µs par texte)"
    )


if __name__ == "__main__":
    main()
