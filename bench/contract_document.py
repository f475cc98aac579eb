"""Contract document (issue 18) of seeds 003 and 004: time to gather, HTML, PDF and DOCX; also the
one-page fiche, the COPIL deck and the annual report PDF of 004.

Imports the seeds through the document importer into a throwaway SQLite database and prints the
best of several runs (wall clock / processor time).

    .venv/bin/python bench/contract_document.py
"""

import os
import sys
import tempfile
import time
from datetime import date
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
from opencls.documents import contract_document, deck, fiche  # noqa: E402
from opencls.imports.services import import_document  # noqa: E402
from opencls.monitoring import reports  # noqa: E402

SEEDS = ROOT / "opencls" / "demo" / "seeds"
RUNS = 3
TODAY = date(2026, 6, 15)


def best_of(function, runs=RUNS):
    timings = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        timings.append((time.perf_counter() - start, time.process_time() - start_cpu))
    return min(timings), result


def show(label, timing, size=None):
    extra = f"  {size // 1024:>5} Ko" if size is not None else ""
    print(f"  {label:<28} {timing[0]:>6.2f} s / {timing[1]:>5.2f} s{extra}")


def main():
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench", password="bench-bench-42")
    for seed in ("003_cls_lens_lievin.txt", "004_clsi_marque_melantois.txt"):
        contract = import_document(SEEDS / seed, filename=seed, user=user)
        contract_document.render_pdf(contract_document.contract_document_data(contract))  # fonts, caches
        with CaptureQueriesContext(connection) as queries:
            contract_document.contract_document_data(contract)
        print(f"\n{seed} : {contract.actions.count()} fiches, données en {len(queries)} requêtes")
        gather, data = best_of(lambda contract=contract: contract_document.contract_document_data(contract))
        show("données", gather)
        html, _html = best_of(lambda data=data: contract_document.render_html(data))
        show("HTML", html)
        pdf, content = best_of(lambda data=data: contract_document.render_pdf(data))
        show("contrat PDF (WeasyPrint)", pdf, len(content))
        import pdfplumber  # noqa: PLC0415

        with pdfplumber.open(__import__("io").BytesIO(content)) as document:
            print(f"  {'':<28} {len(document.pages)} pages")
        docx, content = best_of(lambda data=data: contract_document.render_docx(data))
        show("contrat DOCX", docx, len(content))
        action = contract.actions.order_by("pk").first()
        one, content = best_of(lambda action=action: fiche.render_fiche_pdf(action))
        show("fiche action seule (PDF)", one, len(content))
        slides, content = best_of(
            lambda contract=contract: deck.render_pptx(deck.deck_data(contract, today=TODAY))
        )
        show("diaporama COPIL (PPTX)", slides, len(content))
        year = TODAY.year
        report, content = best_of(
            lambda contract=contract, year=year: reports.render_pdf(
                reports.evaluation_report_data(contract, year, today=TODAY)
            )
        )
        show(f"rapport annuel {year} (PDF)", report, len(content))


if __name__ == "__main__":
    main()
