"""Historique page of a contract as everything it owns grows (values, targets, follow-ups, communes,
shared organisations), unfiltered and filtered by kind and by author.

Builds, in a throwaway SQLite database, contracts of increasing size, then prints the best of several
runs, the queries, and each size's ratio to the smallest, measured in this run.

    .venv/bin/python bench/history.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="opencls-bench-history-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from opencls.accounts.models import Organisation, User  # noqa: E402
from opencls.actions.models import Action, ActionOrganisation, Deliverable, Indicator  # noqa: E402
from opencls.contracts.models import Axis, Contract  # noqa: E402
from opencls.monitoring.models import DeliverableFollowUp, IndicatorTarget, IndicatorValue  # noqa: E402
from opencls.territories.models import Municipality, PriorityNeighbourhood, Territory  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]
RUNS = 5
SIZES = [10, 100, 500]  # actions, each with an indicator (3 values, a target), a deliverable, a lead


def best_of(function, runs=RUNS):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


@transaction.atomic
def build(actions: int) -> Contract:
    territory = Territory.objects.create(name=f"Territoire {actions}", region="Hauts-de-France")
    qpv = PriorityNeighbourhood.objects.create(territory=territory, name="QPV")
    contract = Contract.objects.create(title=f"CLS de {actions} fiches", territory=territory)
    axis = Axis.objects.create(contract=contract, code="1", title="Axe")
    for index in range(actions):
        town = Municipality.objects.create(territory=territory, name=f"Commune {index}", position=index)
        town.neighbourhoods.add(qpv)
        organisation = Organisation.objects.create(name=f"Porteur {actions}-{index}")
        action = Action.objects.create(
            contract=contract, axis=axis, code=f"FA {index}", title=f"Fiche {index}"
        )
        ActionOrganisation.objects.create(action=action, organisation=organisation, involvement="lead")
        indicator = Indicator.objects.create(action=action, kind="process", label=f"Indicateur {index}")
        for year in (2025, 2026, 2027):
            value = IndicatorValue.objects.create(
                contract=contract, indicator=indicator, year=year, period=str(year), value=1
            )
            value.value = 2
            value.save()
        IndicatorTarget.objects.create(
            contract=contract, indicator=indicator, year=2027, period="2027", value=5
        )
        deliverable = Deliverable.objects.create(action=action, text=f"Livrable {index}")
        DeliverableFollowUp.objects.create(contract=contract, deliverable=deliverable, is_done=False)
        organisation.siret = f"{index:014d}"
        organisation.save()
    return contract


def main():
    call_command("migrate", verbosity=0)
    user = User.objects.create_superuser("bench", "bench@example.fr", "bench-password-42")
    client = Client()
    client.force_login(user)
    rows = []
    for size in SIZES:
        contract = build(size)
        url = reverse("core:contract_history", args=[contract.pk])
        measures = []
        for params in ({}, {"kind": "indicator_value"}, {"author": "none", "page": 3}):
            client.get(url, params)
            executed = []
            with connection.execute_wrapper(
                lambda run, sql, *args, e=executed: e.append(sql) or run(sql, *args)
            ):
                assert client.get(url, params).status_code == 200
            measures.append((best_of(lambda p=params, u=url: client.get(u, p)), len(executed)))
        rows.append((size, measures))
    base = rows[0][1]
    print(
        "fiches | page 1 (s, requêtes, ×) | filtre type (s, requêtes, ×) | auteur + page 3 (s, requêtes, ×)"
    )
    for size, measures in rows:
        cells = [f"{t:.3f} s, {q} req., ×{t / b[0]:.1f}" for (t, q), b in zip(measures, base, strict=True)]
        print(f"{size:6} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
