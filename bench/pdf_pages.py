"""PDF reading speed (pages per second) with the current reader, to set OPENCLS_MAX_PDF_PAGES.

    .venv/bin/python bench/pdf_pages.py [--repeat N]

Reads the seed contracts 003 and 004 as PDF (median of N runs), then a long PDF made of the seed's
pages repeated (as a contract with annexes would be), and prints pages per second and the page
count that fits in the extraction CPU ceiling (OPENCLS_EXTRACTION_CPU_SECONDS) with half of it spare.
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
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import override_settings  # noqa: E402

from opencls.imports.readers import read_pdf  # noqa: E402
from opencls.imports.tests.expected import DOCUMENTS  # noqa: E402


def repeated_pdf(data: bytes, times: int) -> bytes:
    """The seed's pages `times` over, in one PDF (pypdfium2 copies pages without re-rendering)."""
    import io

    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(data)
    target = pdfium.PdfDocument.new()
    for _ in range(times):
        target.import_pages(source)
    output = io.BytesIO()
    target.save(output)
    return output.getvalue()


def timed(data: bytes, repeat: int) -> tuple[float, int, float]:
    durations, cpu, pages = [], [], 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        pages = read_pdf(data).pages
        durations.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(durations), pages, statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--times", type=int, default=4, help="copies of seed 004 (74 pages) in the long PDF")
    args = parser.parse_args()
    print(f"Lecture PDF (pdfplumber) — médiane de {args.repeat} lectures\n")
    print(f"{'document':<28} {'pages':>6} {'durée':>8} {'CPU':>8} {'pages/s':>8}")
    rates = []
    cases = [(f"{seed} ({path.name[:18]})", path.read_bytes()) for seed, files in DOCUMENTS.items()
             for fmt, path in files.items() if fmt == "pdf"]  # fmt: skip
    long = repeated_pdf(DOCUMENTS["004"]["pdf"].read_bytes(), args.times)
    cases.append((f"004 × {args.times}", long))
    with override_settings(OPENCLS_MAX_PDF_PAGES=100_000):
        for name, data in cases:
            duration, pages, cpu = timed(data, args.repeat if len(data) < 1_000_000 else 1)
            rates.append(pages / cpu)
            print(f"{name:<28} {pages:>6} {duration:>7.2f}s {cpu:>7.2f}s {pages / cpu:>8.1f}")
    slowest = min(rates)
    ceiling = settings.OPENCLS_EXTRACTION_CPU_SECONDS
    print(
        f"\nPage la plus lente : {slowest:.1f} pages/s de CPU. Plafond CPU de l'extraction : {ceiling} s ; "
        f"à moitié de ce plafond : {int(slowest * ceiling / 2)} pages. "
        f"OPENCLS_MAX_PDF_PAGES actuel : {settings.OPENCLS_MAX_PDF_PAGES}."
    )


if __name__ == "__main__":
    main()
