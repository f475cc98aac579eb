"""What the load test's simulated users work on, read from the database once before the run.

Writes a JSON plan: the contracts each demo account may open, the indicators the coordinator and
the porteur may enter values for (with the periods the page offers), the published contracts.

    DATABASE_URL=… .venv/bin/python bench/load/plan.py > plan.json
"""

import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from opencls.accounts.models import User  # noqa: E402
from opencls.accounts.permissions import can  # noqa: E402
from opencls.actions.models import Action, Indicator  # noqa: E402
from opencls.contracts.models import Contract, ContractRole  # noqa: E402
from opencls.monitoring import selectors  # noqa: E402
from opencls.monitoring.periods import periods_of_year  # noqa: E402


def started_periods(indicator: Indicator, today) -> list[str]:
    years = selectors.contract_years(indicator.action.contract, today)
    return [p.code for y in years for p in periods_of_year(indicator.periodicity, y) if p.start <= today]


def indicators_for(user, contracts, limit=150) -> list[list]:
    today = timezone.localdate()
    chosen = []
    queryset = Indicator.objects.filter(action__contract__in=contracts).select_related(
        "action__contract", "operation"
    )
    for indicator in queryset.order_by("?")[: limit * 3]:
        if len(chosen) >= limit:
            break
        if can(user, "indicator_value.change", indicator) and (periods := started_periods(indicator, today)):
            chosen.append([indicator.action.contract_id, indicator.pk, periods[-4:]])
    return chosen


def build() -> dict:
    random.seed(15)
    coordinator = User.objects.get(username="coordination")
    ars = User.objects.get(username="ars")
    coordinated = list(
        ContractRole.objects.filter(user=coordinator, role=ContractRole.Role.COORDINATOR).values_list(
            "contract_id", flat=True
        )
    )
    porteur_role = (
        ContractRole.objects.filter(user__username__startswith="porteur")
        .select_related("user", "contract")
        .first()
    )
    porteur = porteur_role.user
    porteur_contracts = list(ContractRole.objects.filter(user=porteur).values_list("contract_id", flat=True))
    all_contracts = list(Contract.objects.values_list("pk", flat=True))
    return {
        "password": "opencls-demo",
        "contracts": len(all_contracts),
        "coordinator": {
            "username": coordinator.username,
            "contracts": coordinated,
            "indicators": indicators_for(coordinator, coordinated),
            "actions": [
                list(a)
                for a in Action.objects.filter(contract__in=coordinated[:60]).values_list(
                    "contract_id", "pk"
                )[:300]
            ],
        },
        "porteur": {
            "username": porteur.username,
            "contracts": porteur_contracts,
            "indicators": indicators_for(porteur, porteur_contracts),
        },
        "ars": {
            "username": ars.username,
            "contracts": [c for c in all_contracts if can(ars, "contract.view", Contract.objects.get(pk=c))][
                :400
            ],
        },
        "published": list(Contract.objects.filter(is_published=True).values_list("pk", flat=True)),
    }


if __name__ == "__main__":
    json.dump(build(), sys.stdout)
