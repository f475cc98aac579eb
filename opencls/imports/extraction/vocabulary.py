"""The label vocabulary of fiches actions, as data (issue 17): `vocabulary.json` maps each field
to the labels coordinators write for it, and each status, priority and participation level to
its wordings. Labels are compared folded (lower case, no accents, straight apostrophes, no
trailing ':' or 'les '), so "ÉTAT D'AVANCEMENT :" and "etat d'avancement" are one label.

    field_of("Structure pilote")      # "leads"
    status_of("Terminée")            # "done"
    LABELS["leads"][0]               # "Porteur / pilote", the label shown to users
"""

import json
import re
from functools import cache
from pathlib import Path

from opencls.imports.extraction.text import norm

PATH = Path(__file__).with_name("vocabulary.json")
# Fields that place a fiche (its title, number, axis, objective) rather than describe it: read in
# tables (a row per fiche, or a label/value table), never taken for a label in running text.
STRUCTURAL = frozenset({"title", "code", "axis", "objective"})


def fold(label: str) -> str:
    """Comparable form of a label: norm(), œ → oe, no trailing punctuation, no leading article."""
    key = norm(label).replace("œ", "oe").replace("’", "'")
    key = re.sub(r"\s*\(\s*", "(", key)
    key = re.sub(r"\s*\)\s*", ")", key).strip(" :.*-–")
    return re.sub(r"^(?:les|le|la|l')\s*", "", key)


@cache
def _data() -> dict:
    return json.loads(PATH.read_text(encoding="utf-8"))


def _folded(section: str) -> dict[str, str]:
    return {fold(label): key for key, labels in _data()[section].items() for label in labels}


@cache
def labels() -> dict[str, list[str]]:
    """Field → its labels as printed (the first is the one shown to users)."""
    return {name: list(items) for name, items in _data()["fields"].items()}


@cache
def label_index() -> dict[str, str]:
    """Folded label → field."""
    return _folded("fields")


@cache
def _values(section: str) -> dict[str, str]:
    return _folded(section)


def field_of(label: str, *, structural: bool = True) -> str | None:
    name = label_index().get(fold(label))
    if name in STRUCTURAL and not structural:
        return None
    return name


def _value_of(section: str, text: str) -> str | None:
    key = fold(text)
    found = _values(section).get(key)
    if found or not key:
        return found
    # "En cours (démarrage en mars)", "Réalisée en 2025": the wording it starts with.
    for wording in sorted(_values(section), key=len, reverse=True):
        if not wording.isdigit() and re.match(rf"{re.escape(wording)}\b", key):
            return _values(section)[wording]
    return None


def status_of(text: str) -> str | None:
    """Monitoring status code (opencls.monitoring.models.Status) of a status as written, or None."""
    return _value_of("statuses", text)


def priority_of(text: str) -> str | None:
    """Priority code (opencls.spreadsheets.models.Priority) of a priority as written, or None."""
    return _value_of("priorities", text)


def participation_of(text: str) -> str | None:
    return _value_of("participation", text)
