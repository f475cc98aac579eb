"""Budget of actions and co-financing: time and queries as the data grows.

Builds contracts of 200, 1 000 and 5 000 funding lines in a throwaway SQLite database, then
measures the budget follow-up page, the XLSX and CSV exports, and the co-financing computation
(8 communes as in 004, then 500). Prints durations (best of several runs), queries, and the
ratio of each size to the smallest one, all measured in this run.

    .venv/bin/python bench/finance_budget.py
"""

import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.mkdtemp(prefix="opencls-bench-finance-")) / "bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from opencls.accounts.models import Organisation, User  # noqa: E402
from opencls.actions.models import Action, FundingLine  # noqa: E402
from opencls.contracts.models import Axis, Contract, ContractRole  # noqa: E402
from opencls.finance import exports, selectors  # noqa: E402
from opencls.finance.cofinancing import Party, compute_cofinancing  # noqa: E402
from opencls.territories.models import Territory  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]
SIZES = (200, 1000, 5000)  # funding lines; 4 per action, 5 axes
RUNS = 5


def best_of(function, runs=RUNS):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def build(lines: int, user) -> Contract:
    territory = Territory.objects.create(name=f"Territoire {lines}")
    contract = Contract.objects.create(title=f"Contrat de {lines} lignes", territory=territory)
    ContractRole.objects.create(contract=contract, user=user, role=ContractRole.Role.COORDINATOR)
    funders = [Organisation.objects.create(name=f"Financeur {lines}-{i}") for i in range(12)]
    axes = [
        Axis.objects.create(contract=contract, code=str(i), title=f"Axe {i}", position=i) for i in range(5)
    ]
    actions = Action.objects.bulk_create(
        Action(contract=contract, axis=axes[i % 5], code=f"FA {i}", title=f"Fiche action {i}", position=i)
        for i in range(lines // 4)
    )
    kinds = [kind for kind, _label in FundingLine.Kind.choices]
    FundingLine.objects.bulk_create(
        FundingLine(
            action=actions[i // 4],
            funder=funders[i % 12],
            kind=kinds[i % len(kinds)],
            year=2025 + i % 4,
            planned_amount=Decimal(1000 + i) + Decimal("0.10"),
            granted_amount=Decimal(900 + i),
            spent_amount=Decimal(450 + i) + Decimal("0.05"),
        )
        for i in range(lines)
    )
    return contract


def main():
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench", password="bench-password-42")
    client = Client()
    client.force_login(user)
    print(f"SQLite: {DB}")
    print(f"{'lignes':>7} {'page budget':>12} {'requêtes':>9} {'XLSX':>9} {'CSV':>9} {'sélecteur':>10}")
    baseline = None
    for size in SIZES:
        contract = build(size, user)
        url = reverse("finance:budget", args=[contract.pk])
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        page_time, _ = best_of(lambda url=url: client.get(url))
        selector_time, budget = best_of(lambda contract=contract: selectors.budget(contract))
        xlsx_time, _ = best_of(
            lambda c=contract, b=budget: exports.budget_xlsx(c, b, django.utils.timezone.localdate()), 3
        )
        csv_time, _ = best_of(lambda b=budget: exports.budget_csv(b))
        row = (page_time, xlsx_time, csv_time, selector_time)
        baseline = baseline or row
        print(
            f"{size:>7} {page_time * 1000:>10.1f}ms {len(queries):>9} {xlsx_time * 1000:>7.1f}ms "
            f"{csv_time * 1000:>7.1f}ms {selector_time * 1000:>8.1f}ms"
        )
        ratios = " ".join(
            f"{name} ×{value / base:.1f}"
            for name, value, base in zip(("page", "XLSX", "CSV", "sélecteur"), row, baseline, strict=True)
        )
        print(f"{'':>7} rapport à {SIZES[0]} lignes ({size / SIZES[0]:.0f}× plus de données) : {ratios}")

    print()
    for communes in (8, 500):
        parties = [Party(i, f"Commune {i}", 700 + 37 * i) for i in range(communes)]

        def compute(parties=parties):
            return compute_cofinancing(
                cost=Decimal("61234.57"), ars_rate=Decimal("50"), ars_cap=Decimal("30000"), communes=parties
            )

        elapsed, _ = best_of(lambda: [compute() for _ in range(100)])
        print(f"Cofinancement, {communes:>3} communes : {elapsed * 10:.3f} ms par calcul (100 calculs)")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(DB.parent, ignore_errors=True)
