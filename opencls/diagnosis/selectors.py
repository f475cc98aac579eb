"""What the diagnosis page reads: figures grouped by rubric, care supply with densities."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from opencls.accounts.models import normalise_name as fold
from opencls.actions.models import Indicator
from opencls.contracts.models import Contract, DiagnosisIndicator
from opencls.diagnosis.models import CareSupply, DiagnosisSection

Group = DiagnosisIndicator.Group

# Words that place a figure in a rubric, folded (no accents, lower case); first match wins,
# so "espérance de vie" is read as mortality before "population" could claim it.
GROUP_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    (Group.MORTALITY, ("mortalite", "deces", "esperance de vie", "suicide", "deceder")),
    (Group.PREVENTION, ("depistage", "vaccin", "prevention", "mammograph", "frottis", "bilan de sante")),
    (Group.ENVIRONMENT, ("environnement", "pollution", "qualite de l'air", "bruit", "radon", "insalubr", "eau potable")),
    (Group.CHRONIC, ("ald", "affection", "diabete", "cancer", "chronique", "obesite", "maladie", "handicap",
                     "surpoids", "prevalence")),
    (Group.CARE, ("medecin", "generaliste", "specialiste", "infirmi", "kinesith", "dentiste", "pharmac",
                  "hopital", "urgence", "recours", "consultation", "soins", "densite", "professionnel de sante")),
    (Group.SOCIAL, ("chomage", "revenu", "rsa", "pauvrete", "precarite", "diplom", "scolaris", "allocataire",
                    "monoparental", "logement", "css", "cmu", "emploi", "cadre", "ouvrier")),
    (Group.POPULATION, ("population", "habitant", "age", "menage", "naissance", "natalite", "vieilliss",
                        "ans et plus", "jeunes")),
]  # fmt: skip

NUMBER = re.compile(r"[-+−]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?")


def guess_group(*texts: str) -> str:
    """The rubric a figure belongs to, from its label and theme; "other" when nothing matches."""
    folded = " ".join(fold(t) for t in texts if t)
    for group, words in GROUP_KEYWORDS:
        if any(re.search(rf"\b{re.escape(word)}", folded) for word in words):
            return group
    return Group.OTHER


def parse_number(text: str) -> Decimal | None:
    """The first number of a figure as typed in French ("6,69 %", "32 428 €", "−10,1") or None."""
    match = NUMBER.search(text or "")
    if not match:
        return None
    raw = match[0].replace("−", "-")
    for space in (" ", "\u00a0", "\u202f"):
        raw = raw.replace(space, "")
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return None


@dataclass
class FigureGroup:
    key: str
    label: str
    figures: list = field(default_factory=list)


def figure_groups(contract: Contract) -> list[FigureGroup]:
    """The contract's figures by rubric, in the rubrics' order; a figure without a rubric is
    placed by `guess_group` (shown as such on the page until the coordinator sets it)."""
    groups = {key: FigureGroup(key, str(label)) for key, label in Group.choices}
    for figure in contract.diagnosis_indicators.prefetch_related("indicators"):
        figure.guessed_group = "" if figure.group else guess_group(figure.label, figure.theme)
        groups[figure.group or figure.guessed_group].figures.append(figure)
    return [group for group in groups.values() if group.figures]


def territory_population(contract: Contract) -> tuple[int | None, str]:
    """The population densities are computed on: the municipalities' own (official when the
    territory was chosen from the COG), else the population the document states."""
    territory = contract.territory
    populations = [m.population for m in territory.municipalities.all()]
    if populations and all(p is not None for p in populations):
        years = sorted({m.population_year for m in territory.municipalities.all() if m.population_year})
        basis = (
            f"somme des populations des communes ({', '.join(map(str, years))})"
            if years
            else "somme des populations des communes"
        )
        return sum(populations), basis
    if territory.stated_population:
        return territory.stated_population, "population annoncée par le contrat"
    return None, ""


def care_supply(contract: Contract, population: int | None) -> list[CareSupply]:
    rows = list(CareSupply.objects.filter(contract=contract))
    for row in rows:
        row.computed_density = row.density(population)
    return rows


def sections(contract: Contract) -> list[DiagnosisSection]:
    return list(DiagnosisSection.objects.filter(contract=contract))


def result_indicators(contract: Contract):
    """Indicators that may take a diagnosis figure as their baseline, with their action."""
    return (
        Indicator.objects.filter(action__contract=contract)
        .select_related("action", "baseline")
        .order_by("action__axis__position", "action__position", "action__pk", "kind", "position", "pk")
    )
