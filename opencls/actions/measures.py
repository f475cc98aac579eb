"""How an indicator is measured (issue 13): a number, a percentage, a count broken down by
category, by commune or by QPV, or a satisfaction scale.

`suggest_measure` reads the kind from an indicator's label (« taux de satisfaction »,
« nombre et typologie des partenaires », « par commune »); the document importer calls it
when it builds the contract JSON, the coordinator corrects it on the indicator's form.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from opencls.actions.models import Indicator

Measure = Indicator.Measure

# Kinds whose value is the total of a count per key (category, commune or QPV).
BREAKDOWN_KINDS = frozenset({Measure.CATEGORIES, Measure.MUNICIPALITIES, Measure.NEIGHBOURHOODS})
# Kinds whose keys are typed on the indicator (the categories, the levels of the scale).
OWN_CATEGORY_KINDS = frozenset({Measure.CATEGORIES, Measure.SATISFACTION})
# Kinds whose value is a share, between 0 and 100.
PERCENT_KINDS = frozenset({Measure.PERCENTAGE, Measure.SATISFACTION})

# Stored data (the contract's own words), not interface text.
DEFAULT_SATISFACTION_LEVELS = [
    "Pas du tout satisfait",
    "Peu satisfait",
    "Moyennement satisfait",
    "Satisfait",
    "Très satisfait",
]
MAX_CATEGORIES = 30
MAX_CATEGORY_LENGTH = 100


def has_breakdown(measure_kind: str) -> bool:
    return measure_kind in BREAKDOWN_KINDS or measure_kind == Measure.SATISFACTION


def satisfied_levels(levels: list[str]) -> list[str]:
    """The upper half of the scale counts as « satisfied » (the top 2 of 5 or 4 levels)."""
    return levels[len(levels) - len(levels) // 2 :]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


_RULES = (
    (Measure.SATISFACTION, re.compile(r"satisf")),
    (Measure.NEIGHBOURHOODS, re.compile(r"\bpar (qpv|quartiers?( prioritaires?)?)\b")),
    (Measure.MUNICIPALITIES, re.compile(r"\bpar (communes?|villes?)\b")),
    (
        Measure.CATEGORIES,
        re.compile(
            r"typolog|\bnombre et (le )?types?\b|\bpar (types?|categories?|profils?)\b|\brepartition\b"
        ),
    ),
    (Measure.PERCENTAGE, re.compile(r"\btaux\b|%|\bpourcentage\b|\bproportion\b|\bpart des?\b")),
)


def suggest_measure(label: str) -> str:
    """The measure kind a label suggests; `Measure.NUMBER` when nothing does."""
    folded = _fold(label)
    for kind, pattern in _RULES:
        if pattern.search(folded):
            return kind
    return Measure.NUMBER


def suggested_fields(label: str) -> dict:
    """What the contract JSON of an imported indicator gets from its label: nothing for a plain
    number, else `measure_kind` (and the default levels of a satisfaction scale)."""
    kind = suggest_measure(label)
    if kind == Measure.NUMBER:
        return {}
    fields = {"measure_kind": str(kind)}
    if kind == Measure.SATISFACTION:
        fields["categories"] = list(DEFAULT_SATISFACTION_LEVELS)
    return fields


def clean_categories(measure_kind: str, categories, *, required: bool = False) -> list[str]:
    """The categories as stored: trimmed, no duplicates, only for the kinds that have their own.
    A typology may wait for its categories (an imported plan names none) unless `required`.
    Raises ValueError with a French message."""
    if measure_kind not in OWN_CATEGORY_KINDS:
        return []
    cleaned: list[str] = []
    for item in categories or []:
        text = " ".join(str(item).split())
        if not text:
            continue
        if len(text) > MAX_CATEGORY_LENGTH:
            raise ValueError(
                str(_("La catégorie « %(text)s… » dépasse %(max)s caractères."))
                % {"text": text[:30], "max": MAX_CATEGORY_LENGTH}
            )
        if _fold(text) in {_fold(c) for c in cleaned}:
            raise ValueError(str(_("La catégorie « %(text)s » est en double.")) % {"text": text})
        cleaned.append(text)
    if len(cleaned) > MAX_CATEGORIES:
        raise ValueError(str(_("Au plus %(max)s catégories.")) % {"max": MAX_CATEGORIES})
    if measure_kind == Measure.SATISFACTION and not cleaned:
        return list(DEFAULT_SATISFACTION_LEVELS)
    if measure_kind == Measure.SATISFACTION and len(cleaned) < 2:
        raise ValueError(str(_("Une échelle de satisfaction a au moins deux niveaux.")))
    if measure_kind == Measure.CATEGORIES and not cleaned and required:
        raise ValueError(str(_("Indiquez les catégories de la typologie, une par ligne.")))
    return cleaned
