"""Target proposals read from a deliverable's wording.

Deliverables are often countable: « Organisation d'au moins deux sessions de sensibilisation
par an » means a target of 2 per year. `propose_target` reads such a sentence and returns a
proposal the user confirms (or None when nothing is countable); it never writes anything.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
}
# « un », « une » are mostly articles (« Création d'un outil commun »): they count only after
# a minimum marker, or when the sentence distributes them (« une personne par commune »).
ARTICLES = {"un", "une"}
MINIMUM_MARKERS = (("au", "moins"), ("au", "minimum"), ("minimum",))
PERIODICITY_PATTERNS = (
    ("year", re.compile(r"\b(par an|par année|chaque année|annuel(le)?s?)\b")),
    ("semester", re.compile(r"\b(par semestre|chaque semestre|semestriel(le)?s?)\b")),
    ("quarter", re.compile(r"\b(par trimestre|chaque trimestre|trimestriel(le)?s?)\b")),
)
PER_MUNICIPALITY = re.compile(r"\b(par commune|chaque commune)\b")
# « (cf FA 3.1) » and other parentheses never carry the count of the main clause.
PARENTHESES = re.compile(r"\([^)]*\)")
TOKEN = re.compile(r"\w+(?:[.,]\d+)?(?:-\w+)*")
DIGITS = re.compile(r"\d+(?:[.,]\d+)?")
# Numbers that name something rather than count it: « FA 3.1 », « article 7 ».
NAMING_WORDS = {"fa", "article", "art", "axe", "n", "no", "numéro"}


@dataclass(frozen=True)
class TargetProposal:
    value: Decimal
    periodicity: str | None  # "year", "semester", "quarter"; None: once over the contract
    per_municipality: bool
    fragment: str  # the words the count was read from, shown to the user

    def value_for(self, municipality_count: int) -> Decimal:
        """The figure to propose for a territory of `municipality_count` municipalities."""
        if self.per_municipality and municipality_count:
            return self.value * municipality_count
        return self.value


def normalise(text: str) -> str:
    text = (text or "").replace("’", "'").replace("'", " ").replace("\u00a0", " ").lower()
    return " ".join(text.split())


def _number(token: str) -> Decimal | None:
    if token in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[token])
    if DIGITS.fullmatch(token):
        return Decimal(token.replace(",", "."))
    return None


def _preceded_by(tokens: list[str], index: int, words: tuple[str, ...]) -> bool:
    return tuple(tokens[max(0, index - len(words)) : index]) == words


def propose_target(text: str) -> TargetProposal | None:
    """The countable target a deliverable sentence states, or None."""
    # Clauses are read one by one: « … des collectivités; Définir une personne référente par
    # commune » holds two deliverables, and « par commune » belongs to the second only.
    for clause in PARENTHESES.sub(" ", normalise(text)).split(";"):
        proposal = _clause_target(clause)
        if proposal:
            return proposal
    return None


def _clause_target(clause: str) -> TargetProposal | None:
    tokens = TOKEN.findall(clause)
    per_municipality = bool(PER_MUNICIPALITY.search(clause))
    periodicity = next((name for name, pattern in PERIODICITY_PATTERNS if pattern.search(clause)), None)
    for index, token in enumerate(tokens):
        value = _number(token)
        if value is None or value <= 0:
            continue
        minimum = next((m for m in MINIMUM_MARKERS if _preceded_by(tokens, index, m)), ())
        before = index - len(minimum)
        # « touchés par au moins une action » names who acts, not what is produced.
        if before > 0 and tokens[before - 1] in {"par", "dont"}:
            continue
        if index > 0 and tokens[index - 1] in NAMING_WORDS:
            continue
        if token in ARTICLES and not (minimum or per_municipality or periodicity):
            continue
        if token.isdigit() and len(token) == 4 and token.startswith(("19", "20")):
            continue  # a year, not a count
        fragment = " ".join(tokens[before : index + 2])
        return TargetProposal(value, periodicity, per_municipality, fragment)
    return None


def _stems(text: str) -> set[str]:
    # Crude French stemming: enough to match « sessions » with « session », « formées » with « formation ».
    return {word.rstrip("s")[:6] for word in TOKEN.findall(normalise(text)) if len(word) > 3}


def best_indicator(text: str, indicators):
    """The indicator whose label shares the most words with the deliverable (the first one on a tie)."""
    words = _stems(text)
    return max(indicators, key=lambda indicator: len(words & _stems(indicator.label)), default=None)
