"""PDF readers compared on the seeds' PDFs (issue 17): time to read, and whether the contract read
from them is still exactly the hand-verified one (fixtures/expected_*.json).

    .venv/bin/python bench/pdf_readers.py [--repeat N]

- pdfplumber: words and tables from pdfplumber (the reader before issue 17);
- PyMuPDF: words and drawn lines from PyMuPDF, tables found from those lines by pdfplumber's own table
  algorithm (readers/pdf_tables.py), on the pages that draw lines only (OPENCLS_PDF_TEXT_ENGINE="pymupdf",
  the default); PyMuPDF is imported before timing (the reader runs in a child forked after it);
- PyMuPDF alone (text, then text + page.find_tables()) and pypdfium2 (text only: it finds no tables),
  timed for reference.
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

from django.test import override_settings  # noqa: E402

from opencls.imports.extraction import extract_contract  # noqa: E402
from opencls.imports.readers import read_pdf  # noqa: E402
from opencls.imports.tests.expected import DOCUMENTS, compare, expected  # noqa: E402


def timed(function, repeat: int):
    durations, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), result


def mupdf_text(data: bytes) -> int:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as document:
        return sum(len(page.get_text("dict")["blocks"]) for page in document)


def mupdf_tables(data: bytes) -> int:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as document:
        return sum(len(page.find_tables().tables) + len(page.get_text("dict")["blocks"]) for page in document)


def pdfium_text(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return sum(len(document[i].get_textpage().get_text_range()) for i in range(len(document)))
    finally:
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--all", action="store_true", help="also PyMuPDF's own table finder (slow)")
    arguments = parser.parse_args()
    print(
        f"Lecture des PDF des contrats 003 et 004 (médiane de {arguments.repeat}), charge : {os.getloadavg()[0]:.1f}\n"
    )
    import pymupdf  # noqa: F401  (imported once per process, see readers.pdf_reader.preload)

    for seed, files in DOCUMENTS.items():
        data = files["pdf"].read_bytes()
        for engine in ("pdfplumber", "pymupdf"):
            with override_settings(OPENCLS_PDF_TEXT_ENGINE=engine):
                elapsed, read = timed(lambda data=data: read_pdf(data), arguments.repeat)
            checked, errors = compare(expected(seed), extract_contract(read.blocks))
            name = "pdfplumber" if engine == "pdfplumber" else "PyMuPDF (lecteur actuel)"
            print(f"{seed} {name:<22} {elapsed:7.2f} s  {read.pages} pages  {len(read.blocks)} blocs  "
                  f"contrôles exacts {checked - len(errors)}/{checked}")  # fmt: skip
        elapsed, _ = timed(lambda data=data: mupdf_text(data), arguments.repeat)
        print(f"{seed} {'PyMuPDF texte seul':<22} {elapsed:7.2f} s  (sans tableaux)")
        elapsed, _ = timed(lambda data=data: pdfium_text(data), arguments.repeat)
        print(f"{seed} {'pypdfium2 texte seul':<22} {elapsed:7.2f} s  (ne trouve pas les tableaux)")
        if arguments.all:
            elapsed, _ = timed(lambda data=data: mupdf_tables(data), arguments.repeat)
            print(f"{seed} {'PyMuPDF find_tables':<22} {elapsed:7.2f} s")


if __name__ == "__main__":
    main()
