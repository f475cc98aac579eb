"""Annual evaluation report of 004 (CLSI Marque et Mélantois) with five years of figures.

Imports seed 004 through the document importer into a throwaway SQLite database, sets the
contract over 2025-2029, and enters for every indicator a value and a target for each year
(statuses, deliverables done with dates). Then measures, for the last year (whose cumulative
targets add up all five years) and for the first one: gathering the data (time and queries),
the web page's HTML, the PDF (WeasyPrint) and the DOCX (python-docx). Prints the best of
several runs and the ratios measured in this run.

    .venv/bin/python bench/evaluation_report.py
"""

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
os.environ["MEDIA_ROOT"] = str(WORK / "media")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from opencls.accounts.models import User  # noqa: E402
from opencls.actions.models import Action, Deliverable, Indicator, Operation  # noqa: E402
from opencls.imports.services import import_document  # noqa: E402
from opencls.monitoring import reports  # noqa: E402
from opencls.monitoring.models import (  # noqa: E402
    DeliverableFollowUp,
    Evaluation,
    IndicatorTarget,
    IndicatorValue,
    Status,
    StatusEntry,
)
from opencls.monitoring.periods import periods_of_year  # noqa: E402

SEED = ROOT / "opencls" / "demo" / "seeds" / "004_clsi_marque_melantois.txt"
YEARS = range(2025, 2030)
TODAY = date(2030, 2, 15)
RUNS = 3


def best_of(function, runs=RUNS):
    """Best wall-clock time of `runs` calls, and the processor time of that call (steadier when
    the machine is busy)."""
    timings = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        timings.append((time.perf_counter() - start, time.process_time() - start_cpu))
    return min(timings), result


def build():
    user = User.objects.create_user("bench", password="bench-bench-42")
    contract = import_document(SEED, filename=SEED.name, user=user)
    contract.start_date, contract.end_date = date(2025, 1, 1), date(2029, 12, 31)
    contract.save(update_fields=["start_date", "end_date"])
    indicators = list(Indicator.objects.filter(action__contract=contract))
    values, targets = [], []
    for n, indicator in enumerate(indicators):
        for year in YEARS:
            for period in periods_of_year(indicator.periodicity, year):
                common = {"contract": contract, "indicator": indicator, "year": year, "period": period.code}
                values.append(IndicatorValue(**common, value=Decimal((n * 7 + year) % 13), entered_by=user))
                targets.append(IndicatorTarget(**common, value=Decimal(5 + n % 4), cumulative=n % 10 == 0))
    IndicatorValue.objects.bulk_create(values)
    IndicatorTarget.objects.bulk_create(targets)
    statuses = list(Status.values)
    entries = []
    for n, action in enumerate(Action.objects.filter(contract=contract)):
        for year in YEARS:
            entries.append(
                StatusEntry(
                    contract=contract,
                    action=action,
                    status=statuses[(n + year) % len(statuses)],
                    date=date(year, 1 + n % 12, 10),
                    comment=f"Point d'étape {year} de {action.code}",
                    author=user,
                )
            )
    for n, operation in enumerate(Operation.objects.filter(action__contract=contract)):
        entries.append(
            StatusEntry(
                contract=contract,
                action_id=operation.action_id,
                operation=operation,
                status=Status.IN_PROGRESS,
                date=date(2025 + n % 5, 6, 1),
            )
        )
    StatusEntry.objects.bulk_create(entries)
    DeliverableFollowUp.objects.bulk_create(
        DeliverableFollowUp(
            contract=contract, deliverable=deliverable, is_done=True, done_on=date(2025 + n % 5, 10, 1)
        )
        for n, deliverable in enumerate(Deliverable.objects.filter(action__contract=contract))
        if n % 3
    )
    for year in YEARS:
        Evaluation.objects.create(contract=contract, year=year, synthesis=f"Synthèse {year}.\n" * 20)
    return contract, len(indicators), len(values)


def main():
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    contract, indicator_count, value_count = build()
    print(f"Données : 004 importé, {contract.actions.count()} fiches, {indicator_count} indicateurs, ")
    print(
        f"  {value_count} valeurs et autant de cibles sur {len(YEARS)} ans — construit en {time.perf_counter() - start:.1f} s"
    )
    reports.render_pdf(reports.evaluation_report_data(contract, YEARS[-1], today=TODAY))  # fonts, caches

    rows = []
    for year in (YEARS[-1], YEARS[0]):
        with CaptureQueriesContext(connection) as queries:
            reports.evaluation_report_data(contract, year, today=TODAY)
        gather, data = best_of(lambda year=year: reports.evaluation_report_data(contract, year, today=TODAY))
        html_time, _html = best_of(lambda data=data: reports.render_html(data))
        pdf_time, pdf = best_of(lambda data=data: reports.render_pdf(data))
        docx_time, docx = best_of(lambda data=data: reports.render_docx(data))
        rows.append((year, len(queries), gather, html_time, pdf_time, len(pdf), docx_time, len(docx)))

    print(f"\nRapport d'évaluation (meilleur de {RUNS} exécutions ; durée réelle / temps processeur) :")
    print(
        f"{'année':>6} {'requêtes':>9} {'données':>14} {'HTML':>14} {'PDF':>14} {'Ko':>5} {'DOCX':>14} {'Ko':>5}"
    )
    for year, query_count, gather, html_time, pdf_time, pdf_size, docx_time, docx_size in rows:
        print(
            f"{year:>6} {query_count:>9} {gather[0]:>6.2f}s/{gather[1]:>5.2f}s {html_time[0]:>6.2f}s/{html_time[1]:>5.2f}s "
            f"{pdf_time[0]:>6.2f}s/{pdf_time[1]:>5.2f}s {pdf_size // 1024:>5} "
            f"{docx_time[0]:>6.2f}s/{docx_time[1]:>5.2f}s {docx_size // 1024:>5}"
        )
    last, first = rows
    print("\nRapports mesurés dans cette exécution (temps processeur) :")
    print(
        f"  PDF / données ({last[0]}) : {last[4][1] / last[2][1]:.1f}×  — la mise en page domine, pas les requêtes"
    )
    print(f"  PDF {last[0]} (5 ans cumulés) / PDF {first[0]} : {last[4][1] / first[4][1]:.2f}×")
    print(f"  DOCX / PDF ({last[0]}) : {last[6][1] / last[4][1]:.2f}×")
    total = last[2][0] + last[4][0]
    print(
        f"  Génération PDF complète {last[0]} (données + PDF, durée réelle) : {total:.2f} s — "
        + (
            "au-delà d'une seconde : la page affiche un indicateur de progression."
            if total > 1
            else "moins d'une seconde."
        )
    )


if __name__ == "__main__":
    main()
