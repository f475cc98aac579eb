"""Share of the expected fields an extraction got right.

Each expected fiche is matched with an extracted one (same number, else the closest title); each of
its fields counts one point: title (same meaning), axis code, porteurs and partners (same names, any
order, case and accents aside), publics, status, priority, start and end dates. A fiche not found
loses all its points; a fiche found in excess costs one point.
"""

import re

from opencls.imports.extraction.text import norm, same_meaning, similarity


def _fiches(data: dict) -> list[dict]:
    details = {
        (d["axis"], d["action"]): d
        for d in data.get("extensions", {}).get("spreadsheets", {}).get("action_details", [])
    }
    fiches = []
    for axis_index, axis in enumerate(data["contract"].get("axes", [])):
        for action_index, action in enumerate(axis.get("actions", [])):
            detail = details.get((axis_index, action_index), {})
            fiches.append({**action, "axis": axis.get("code", ""), "status": detail.get("status"),
                           "priority": detail.get("priority")})  # fmt: skip
    return fiches


def _number(code: str | None) -> str:
    return re.sub(r"^(?:fa|fiche action|action)\s*", "", norm(code or "")).strip()


def _match(wanted: dict, fiches: list[dict], used: set[int]) -> int | None:
    if wanted.get("code"):
        for index, fiche in enumerate(fiches):
            if index not in used and _number(fiche.get("code")) == _number(wanted["code"]):
                return index
    scored = [(similarity(wanted["title"], f["title"]), i) for i, f in enumerate(fiches) if i not in used]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] >= 0.6 else None


def _names(values) -> set[str]:
    return {norm(v) for v in values or []}


def _right(name: str, wanted, actual) -> bool:
    if name == "title":
        return isinstance(actual, str) and same_meaning(wanted, actual, 0.9)
    if name in ("leads", "partners"):
        return _names(wanted) == _names(actual)
    if name == "target_publics":
        return "".join(norm(wanted).split()) == "".join(norm(actual or "").split())
    if name == "code":
        return _number(wanted) == _number(actual)
    return wanted == actual


def score(expected: list[dict] | tuple[dict, ...], data: dict) -> tuple[float, list[str]]:
    """(share of points won, what was wrong) for an extraction `data` against the expected fiches."""
    fiches = _fiches(data)
    used: set[int] = set()
    points, total, errors = 0, 0, []
    for wanted in expected:
        index = _match(wanted, fiches, used)
        total += len(wanted)
        if index is None:
            errors.append(f"fiche « {wanted['title']} » non trouvée")
            continue
        used.add(index)
        for name, value in wanted.items():
            actual = fiches[index].get(name)
            if _right(name, value, actual):
                points += 1
            else:
                errors.append(
                    f"{wanted.get('code') or wanted['title'][:30]} · {name} : attendu {value!r}, lu {actual!r}"
                )
    extra = len(fiches) - len(used)
    if extra > 0:
        total += extra
        errors.append(f"{extra} fiche(s) en trop")
    return (points / total if total else 0.0), errors
