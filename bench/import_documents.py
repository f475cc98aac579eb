"""Time to import seeds 003 and 004 as text, Word and PDF, and how much of it was verified by hand;
then the score of each document of the layout corpus (issue 17: opencls/imports/tests/corpus).

    .venv/bin/python bench/import_documents.py [--repeat N] [--corpus-only]

Reading and extraction are timed separately (median of N runs), then one save into a throwaway
in-memory SQLite database. The hand-verified fields are opencls/imports/tests/fixtures/expected_*.json.
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from opencls.contracts.io import contract_from_json  # noqa: E402
from opencls.imports.extraction import extract_contract  # noqa: E402
from opencls.imports.readers import READERS  # noqa: E402
from opencls.imports.readers.pdf_reader import preload  # noqa: E402
from opencls.imports.services import read_and_extract  # noqa: E402
from opencls.imports.tests.corpus import CORPUS, FLOORS, score  # noqa: E402
from opencls.imports.tests.expected import DOCUMENTS, compare, count_fields, expected  # noqa: E402


def timed(function, repeat: int):
    durations, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus-only", action="store_true")
    arguments = parser.parse_args()
    repeat = arguments.repeat
    if arguments.corpus_only:
        corpus(verbose=True)
        return
    call_command("migrate", verbosity=0)
    preload()  # the PDF reader's library, imported once per process as the web import does
    print(
        f"Import des contrats 003 et 004 — médiane de {repeat} lectures, une sauvegarde (SQLite en mémoire)\n"
    )
    header = f"{'doc':<4} {'format':<5} {'taille':>9} {'lecture':>9} {'extraction':>11} {'total':>8} {'× texte':>8} " \
             f"{'sauvegarde':>11} {'champs':>7} {'vérifiés':>9} {'exacts':>7}"  # fmt: skip
    print(header)
    print("-" * len(header))
    for seed, files in DOCUMENTS.items():
        baseline = None
        wanted = expected(seed)
        for fmt, path in files.items():
            data = path.read_bytes()
            read_time, read = timed(lambda data=data, fmt=fmt: READERS[f".{fmt}"](data), repeat)
            extract_time, result = timed(lambda read=read: extract_contract(read.blocks), repeat)
            total = read_time + extract_time
            baseline = baseline or total
            start = time.perf_counter()
            contract_from_json(result)
            save_time = time.perf_counter() - start
            checked, errors = compare(wanted, result)
            fields = count_fields(result["contract"])
            verified = count_fields(wanted["contract"])  # the values checked by hand (absences aside)
            print(
                f"{seed:<4} {fmt:<5} {len(data) / 1024:>7.0f} Ko {read_time:>8.3f}s {extract_time:>10.3f}s "
                f"{total:>7.3f}s {total / baseline:>7.1f}× {save_time:>10.3f}s {fields:>7} "
                f"{verified / fields:>8.0%} {(checked - len(errors)) / checked:>7.1%}"
            )
    print(
        "\nchamps : valeurs remplies par l'extraction ; vérifiés : part de ces champs contrôlés à la main contre "
        "les seeds (fixtures/expected_*.json) ; exacts : part des contrôles réussis, y compris ceux qui vérifient "
        "qu'un champ absent du document est resté vide."
    )
    connection.close()
    corpus(verbose=False)


def corpus(*, verbose: bool) -> None:
    """Score per document of the layout corpus: share of the expected fields read right."""
    print("\nCorpus de mises en page (opencls/imports/tests/corpus) — part des champs attendus lus justes\n")
    header = f"{'document':<32} {'format':<6} {'mise en page':<58} {'fiches':>6} {'lecture':>8} {'score':>6} {'plancher':>8}"
    print(header)
    print("-" * len(header))
    scores = []
    for document in CORPUS:
        data = document.build()
        start = time.perf_counter()
        result = read_and_extract(data, document.filename)
        elapsed = time.perf_counter() - start
        value, errors = score(document.expected, result)
        scores.append(value)
        floor = FLOORS.get(document.name)
        print(f"{document.name:<32} {document.fmt:<6} {document.layout[:58]:<58} {len(document.expected):>6} "
              f"{elapsed:>7.2f}s {value:>6.0%} {'' if floor is None else f'{floor:.0%}':>8}")  # fmt: skip
        if verbose:
            for error in errors:
                print(f"    {error}")
    print(f"\nmoyenne : {statistics.mean(scores):.1%} sur {len(scores)} documents")


if __name__ == "__main__":
    main()
