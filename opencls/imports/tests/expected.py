"""Compare an extraction with the fields verified by hand against the seeds (fixtures/expected_*.json).

In an expectation, null means "absent from the document: must not be invented", and a text ending
with "…" is checked by its beginning (long contexts and descriptions).
"""

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"
DOCUMENTS = {
    "003": {"txt": SEEDS / "003_cls_lens_lievin.txt", "docx": FIXTURES / "003_cls_lens_lievin.docx",
            "pdf": FIXTURES / "003_cls_lens_lievin.pdf"},
    "004": {"txt": SEEDS / "004_clsi_marque_melantois.txt", "docx": FIXTURES / "004_clsi_marque_melantois.docx",
            "pdf": FIXTURES / "004_clsi_marque_melantois.pdf"},
}  # fmt: skip


def expected(seed: str) -> dict:
    return json.loads((FIXTURES / f"expected_{seed}.json").read_text(encoding="utf-8"))


def _leaves(value) -> int:
    if isinstance(value, dict):
        return sum(_leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(_leaves(v) for v in value)
    return 1


def count_fields(value) -> int:
    """Fields an extraction filled (empty values do not count)."""
    if isinstance(value, dict):
        return sum(count_fields(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_fields(v) for v in value)
    return 0 if value in (None, "") else 1


def compare(wanted, actual, path: str = "") -> tuple[int, list[str]]:
    """(fields checked, differences) of `actual` against the hand-verified `wanted`."""
    if isinstance(wanted, dict):
        if not isinstance(actual, dict):
            return _leaves(wanted), [f"{path}: attendu un objet, trouvé {actual!r}"]
        checked, errors = 0, []
        for key, value in wanted.items():
            c, e = compare(value, actual.get(key), f"{path}.{key}")
            checked, errors = checked + c, errors + e
        return checked, errors
    if isinstance(wanted, list):
        if not isinstance(actual, list) or len(actual) != len(wanted):
            size = len(actual) if isinstance(actual, list) else actual
            return _leaves(wanted), [f"{path}: {len(wanted)} éléments attendus, trouvé {size}"]
        checked, errors = 0, []
        for index, (w, a) in enumerate(zip(wanted, actual, strict=True)):
            c, e = compare(w, a, f"{path}[{index}]")
            checked, errors = checked + c, errors + e
        return checked, errors
    if wanted is None:
        ok = actual in (None, "", [])
    elif isinstance(wanted, str) and wanted.endswith("…"):
        ok = isinstance(actual, str) and actual.startswith(wanted[:-1])
    else:
        ok = wanted == actual
    return 1, [] if ok else [f"{path}: attendu {wanted!r}, trouvé {actual!r}"]
