"""What runs in a request and what goes to a background job (issue 13), measured on the demo.

Loads the demo in a throwaway SQLite database, then times, best of three: reading each seed
document (the document import's reading step: PDFs go to a job, small Word files stay in the
request), the plan exports of 004 (XLSX, ODS, TeT: a job from the page's buttons, in the request
only by direct link for plans of at most OPENCLS_SYNC_EXPORT_MAX_ACTIONS actions) and the
contract JSON export (kept in the request). Then a job end to end through the test worker.

    .venv/bin/python bench/background_jobs.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="opencls-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.setdefault("MEDIA_ROOT", str(WORK / "media"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.MEDIA_ROOT = str(WORK / "media")

from opencls.accounts.models import User  # noqa: E402
from opencls.contracts.io import contract_to_json  # noqa: E402
from opencls.contracts.models import Contract  # noqa: E402
from opencls.imports.services import extract_document  # noqa: E402
from opencls.imports.tests.expected import DOCUMENTS  # noqa: E402
from opencls.jobs.models import Job  # noqa: E402
from opencls.jobs.testing import run_queued_jobs  # noqa: E402
from opencls.spreadsheets.export import export_plan  # noqa: E402
from opencls.spreadsheets.jobs import start_plan_export  # noqa: E402

RUNS = 3


def best_of(function, runs=RUNS):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main():
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    print("Lecture des documents (étape « lecture » de l'import) :")
    for seed, formats in sorted(DOCUMENTS.items()):
        for fmt, path in sorted(formats.items()):
            duration = best_of(lambda p=path: extract_document(p, p.name))
            print(f"  {seed} {fmt:5} {path.stat().st_size / 1024:6.0f} Kio  {duration:5.2f} s")
    contract = Contract.objects.get(title__contains="Marque et du Mélantois")
    print(f"Contrat 004 : {contract.actions.count()} fiches actions")
    for file_format in ("xlsx", "ods", "tet"):
        duration = best_of(lambda f=file_format: export_plan(contract, f))
        print(f"  export {file_format:4} {duration:5.2f} s")
    print(f"  export JSON {best_of(lambda: contract_to_json(contract)):5.2f} s")
    coordinator = User.objects.get(username="coordination")
    start = time.perf_counter()
    job = start_plan_export(user=coordinator, contract=contract, file_format="xlsx")
    run_queued_jobs()
    job = Job.objects.get(pk=job.pk)
    print(
        f"Tâche d'export XLSX de bout en bout (mise en file + exécution) : {time.perf_counter() - start:.2f} s, "
        f"état {job.status}, {job.result.size / 1024:.0f} Kio"
    )


if __name__ == "__main__":
    main()
