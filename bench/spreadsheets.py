"""Plans in spreadsheets: export and import of a 500-action plan (goal: under 2 s each).

Builds, in a throwaway SQLite database, plans of 100 and 500 fiches actions with everything the
spreadsheets carry (2 operations, 2 porteurs/partenaires, 2 livrables, 2 indicators with five
years of targets, 3 funding lines and a status per fiche). Then measures, best of several runs:
the exports (XLSX, ODS, Territoires en Transitions), reading back an untouched export (empty
diff), applying an export where 50 cells were edited, and creating a whole plan from a file
(OpenCLS layout without IDs, and the TeT template) in an empty contract. Writes are rolled back
between runs. Prints durations, sizes and the 500/100 ratio measured in this run.

    .venv/bin/python bench/spreadsheets.py
"""

import io
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="opencls-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from opencls.accounts.models import Organisation  # noqa: E402
from opencls.actions.models import (  # noqa: E402
    Action,
    ActionOrganisation,
    Deliverable,
    FundingLine,
    Indicator,
    Involvement,
    Operation,
)
from opencls.contracts.models import Axis, Contract, Objective  # noqa: E402
from opencls.monitoring.models import IndicatorTarget, IndicatorValue, Status, StatusEntry  # noqa: E402
from opencls.spreadsheets.export import export_plan  # noqa: E402
from opencls.spreadsheets.layout import META_SHEET  # noqa: E402
from opencls.spreadsheets.models import ActionPlanDetails, Priority  # noqa: E402
from opencls.spreadsheets.services import plan_apply, plan_diff, plan_file_read  # noqa: E402
from opencls.territories.models import Municipality, Territory  # noqa: E402

SIZES = (100, 500)
RUNS = 3
GOAL = 2.0
TODAY = date(2026, 6, 1)


class Rollback(Exception):
    pass


def best_of(function, runs=RUNS, rollback=False):
    timings = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        if rollback:
            try:
                with transaction.atomic():
                    result = function()
                    timings.append(time.perf_counter() - start)
                    raise Rollback
            except Rollback:
                pass
        else:
            result = function()
            timings.append(time.perf_counter() - start)
    return min(timings), result


def build(size: int) -> Contract:
    territory = Territory.objects.create(name=f"Territoire {size}", region="Hauts-de-France")
    Municipality.objects.bulk_create(
        [
            Municipality(
                territory=territory, name=f"Commune {n}", insee_code=f"62{n:03d}", population=1000 + n
            )
            for n in range(20)
        ]
    )
    contract = Contract.objects.create(
        title=f"CLS de {size} fiches",
        territory=territory,
        start_date=date(2024, 1, 1),
        end_date=date(2028, 12, 31),
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Organisation {size}-{n}", normalised_name=f"organisation {size}-{n}")
            for n in range(40)
        ]
    )
    axes = Axis.objects.bulk_create(
        [
            Axis(contract=contract, code=str(a + 1), title=f"Axe stratégique {a + 1}", position=a)
            for a in range(5)
        ]
    )
    objectives = Objective.objects.bulk_create(
        [
            Objective(
                axis=axis, code=f"{axis.code}.{o + 1}", title=f"Objectif {axis.code}.{o + 1}", position=o
            )
            for axis in axes
            for o in range(3)
        ]
    )
    actions = Action.objects.bulk_create(
        [
            Action(
                contract=contract,
                axis=axes[n % 5],
                objective=objectives[(n % 5) * 3 + n % 3],
                code=f"FA {n + 1}",
                title=f"Fiche action {n + 1} : développer la prévention auprès des jeunes",
                context="Contexte\nsur deux lignes",
                description=f"Descriptif de la fiche {n + 1}",
                target_publics="Jeunes de 16 à 25 ans",
                funding_text="CPOM ARS",
                schedule="2025-2026",
                start_date=date(2025, 1, 1),
                end_date=date(2026, 12, 31),
                position=n,
            )
            for n in range(size)
        ]
    )
    operations = Operation.objects.bulk_create(
        [
            Operation(action=a, title=f"Opération {a.code}.{o + 1}", description="Ateliers", position=o)
            for a in actions
            for o in range(2)
        ]
    )
    ActionOrganisation.objects.bulk_create(
        [
            ActionOrganisation(
                action=a, organisation=organisations[(n + k) % 40], involvement=kind, position=0
            )
            for n, a in enumerate(actions)
            for k, kind in enumerate((Involvement.LEAD, Involvement.PARTNER))
        ]
    )
    ActionPlanDetails.objects.bulk_create(
        [
            ActionPlanDetails(
                contract=contract, action=a, priority=Priority.MEDIUM, objectives_text="Objectifs"
            )
            for a in actions
        ]
    )
    Deliverable.objects.bulk_create(
        [Deliverable(action=o.action, operation=o, text=f"Livrable de {o.title}") for o in operations]
    )
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(action=a, kind=kind, label=f"Indicateur {k} de {a.code}", unit="personnes")
            for a in actions
            for k, kind in enumerate((Indicator.Kind.PROCESS, Indicator.Kind.RESULT))
        ]
    )
    IndicatorTarget.objects.bulk_create(
        [
            IndicatorTarget(contract=contract, indicator=i, year=y, period=str(y), value=Decimal(10))
            for i in indicators
            for y in range(2024, 2029)
        ]
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(contract=contract, indicator=i, year=y, period=str(y), value=Decimal(8))
            for i in indicators
            for y in (2024, 2025)
        ]
    )
    FundingLine.objects.bulk_create(
        [
            FundingLine(
                action=a,
                funder=organisations[k],
                kind=FundingLine.Kind.OTHER,
                year=2025,
                planned_amount=Decimal("1000.00") * (k + 1),
            )
            for a in actions
            for k in range(3)
        ]
    )
    StatusEntry.objects.bulk_create(
        [
            StatusEntry(contract=contract, action=a, status=Status.IN_PROGRESS, date=date(2025, 3, 1))
            for a in actions
        ]
    )
    return contract


def edited(data: bytes, cells: int) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    plan = workbook["Plan"]
    headers = [c.value for c in plan[1]]
    column = headers.index("Publics cibles") + 1
    for row in range(2, cells + 2):
        plan.cell(row=row, column=column, value=f"Public modifié {row}")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def without_ids(data: bytes, target: Contract) -> bytes:
    """The export as a new plan for `target`: every ID emptied, rows tied by codes and titles."""
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        headers = [c.value for c in sheet[1]]
        for header in ("ID", "ID fiche action", "ID opération"):
            if header in headers:
                column = headers.index(header) + 1
                for row in range(2, sheet.max_row + 1):
                    sheet.cell(row=row, column=column).value = None  # cell(value=None) keeps the value
    meta = workbook[META_SHEET]
    for row in meta.iter_rows(min_row=1):
        if row[0].value == "Contrat":
            row[1].value = target.pk
    del workbook["Communes"]  # the empty contract's territory is another one
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def measure(size: int) -> dict[str, tuple[float, int]]:
    """Durations (best of RUNS) and file sizes for a plan of `size` fiches."""
    contract = build(size)
    row = {}
    for file_format in ("xlsx", "ods", "tet"):
        duration, (data, _warnings) = best_of(lambda f=file_format: export_plan(contract, f))
        row[f"export {file_format}"] = (duration, len(data))
    xlsx, _warnings = export_plan(contract, "xlsx")
    tet, _warnings = export_plan(contract, "tet")

    def reread():
        diff = plan_diff(contract, plan_file_read(xlsx), today=TODAY)
        assert not diff.errors and not diff.changes, diff.errors[:3]
        return diff

    row["relire un export intact"] = (best_of(reread)[0], len(xlsx))
    changed = edited(xlsx, 50)

    def apply_edits():
        diff = plan_apply(contract, plan_file_read(changed), today=TODAY)
        assert diff.count("change") == 50
        return diff

    row["appliquer 50 cellules modifiées"] = (best_of(apply_edits, rollback=True)[0], len(changed))
    empty = Contract.objects.create(title=f"Vide {size}", territory=Territory.objects.create(name="Vide"))
    new_plan = without_ids(xlsx, empty)

    def create(data):
        diff = plan_apply(empty, plan_file_read(data), today=TODAY)
        assert diff.count("add") >= size and not diff.errors
        return diff

    row["créer le plan (XLSX sans ID)"] = (best_of(lambda: create(new_plan), rollback=True)[0], len(new_plan))
    row["créer le plan (modèle TeT)"] = (best_of(lambda: create(tet), rollback=True)[0], len(tet))
    return row


def main():
    call_command("migrate", verbosity=0)
    print(f"Base jetable : {WORK / 'bench.sqlite3'}")
    results = {size: measure(size) for size in SIZES}
    small, large = SIZES
    print(
        f"\n{'Mesure':<34}{small:>10} fiches{large:>10} fiches{'rapport':>10}{'taille':>12}   objectif < {GOAL} s"
    )
    for name in results[large]:
        (t_small, _size), (t_large, size_bytes) = results[small][name], results[large][name]
        verdict = "oui" if t_large < GOAL else "NON"
        print(
            f"{name:<34}{t_small:>15.3f} s{t_large:>15.3f} s{t_large / t_small:>10.1f}{size_bytes / 1024:>10.0f} Ko   {verdict}"
        )


if __name__ == "__main__":
    main()
