"""Co-financing of the coordinator post, computed exactly (no floats, no database).

The rule of 004 (art. 5 and the Villeneuve d'Ascq deliberation): the ARS pays a rate of the
post's yearly cost (50 %) within a yearly cap (30 000 €); the rest is shared among the
communes pro rata their population. Exact values are Fractions; what is shown is rounded by
largest remainder so that percentages add up to exactly 100,00 % and amounts to exactly the
cost, to the cent.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class CofinancingError(ValueError):
    """Input the rule cannot be computed from; the message is in French, for the user."""


@dataclass(frozen=True)
class Party:
    """A commune sharing the rest of the cost; `key` identifies it for the caller."""

    key: Hashable
    label: str
    population: int | None


@dataclass(frozen=True)
class ComputedShare:
    key: Hashable  # None for the ARS
    label: str
    population: int | None
    exact_percentage: Fraction
    percentage: Decimal  # two decimals, largest remainder
    amount: Decimal | None  # to the cent, largest remainder; None when the cost is unknown

    @property
    def is_ars(self) -> bool:
        return self.key is None


@dataclass(frozen=True)
class Cofinancing:
    cost: Decimal | None
    ars_rate: Decimal
    ars_cap: Decimal | None
    shares: list[ComputedShare]  # the ARS first, then the communes in the order given
    total_population: int

    @property
    def ars(self) -> ComputedShare:
        return self.shares[0]

    @property
    def communes(self) -> list[ComputedShare]:
        return self.shares[1:]

    @property
    def uncapped_ars_amount(self) -> Decimal | None:
        """What the ARS would pay at its rate without the cap (may have half cents)."""
        return None if self.cost is None else self.cost * self.ars_rate / HUNDRED

    @property
    def cap_binds(self) -> bool:
        """True when the cap lowers the ARS's part below its rate."""
        return self.cost is not None and self.ars_cap is not None and self.uncapped_ars_amount > self.ars_cap

    @property
    def cap_reached(self) -> bool:
        return self.cost is not None and self.ars_cap is not None and self.uncapped_ars_amount >= self.ars_cap

    @property
    def cap_threshold(self) -> Decimal | None:
        """The yearly cost from which the cap applies."""
        if self.ars_cap is None or not self.ars_rate:
            return None
        return (self.ars_cap * HUNDRED / self.ars_rate).quantize(CENT)

    @property
    def communes_amount(self) -> Decimal | None:
        return None if self.cost is None else self.cost - self.ars.amount


def largest_remainder(exact: Sequence[Fraction], total: int) -> list[int]:
    """Integers adding up to `total`, each the floor or the ceiling of its exact value.

    Every value is first truncated; the units still missing go one by one to the values
    whose truncated part was the largest (ties: the earlier value first).
    """
    if sum(exact) != total:
        raise ValueError("the exact values must add up to the total")
    floors = [floor(value) for value in exact]
    missing = total - sum(floors)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_remainder[:missing]:
        floors[index] += 1
    return floors


def compute_cofinancing(
    *,
    cost: Decimal | None,
    ars_rate: Decimal,
    ars_cap: Decimal | None,
    communes: Sequence[Party],
    ars_label: str = "ARS",
) -> Cofinancing:
    """Each party's percentage and amount of the post's yearly cost.

    Without a cost the percentages follow from the rate alone (the cap cannot be checked)
    and no amount is computed.
    """
    _check(cost=cost, ars_rate=ars_rate, ars_cap=ars_cap, communes=communes)
    total_population = sum(party.population for party in communes)

    if cost is None:
        ars_fraction = Fraction(ars_rate) / 100
    else:
        ars_exact = Fraction(cost) * Fraction(ars_rate) / 100
        if ars_cap is not None:
            ars_exact = min(ars_exact, Fraction(ars_cap))
        ars_fraction = ars_exact / Fraction(cost)
    fractions = [ars_fraction] + [
        (1 - ars_fraction) * Fraction(party.population, total_population) for party in communes
    ]

    hundredths = largest_remainder([f * 10000 for f in fractions], 10000)
    if cost is None:
        cents = [None] * len(fractions)
    else:
        total_cents = int(cost * 100)
        cents = largest_remainder([f * total_cents for f in fractions], total_cents)

    keys = [(None, ars_label, None)] + [(p.key, p.label, p.population) for p in communes]
    shares = [
        ComputedShare(
            key=key,
            label=label,
            population=population,
            exact_percentage=fraction * 100,
            percentage=Decimal(hundredth).scaleb(-2),
            amount=None if cent is None else Decimal(cent).scaleb(-2),
        )
        for (key, label, population), fraction, hundredth, cent in zip(
            keys, fractions, hundredths, cents, strict=True
        )
    ]
    return Cofinancing(
        cost=cost, ars_rate=ars_rate, ars_cap=ars_cap, shares=shares, total_population=total_population
    )


def _check(*, cost, ars_rate, ars_cap, communes) -> None:
    if cost is not None:
        if cost <= 0:
            raise CofinancingError("Le coût annuel du poste doit être supérieur à zéro.")
        if cost != cost.quantize(CENT):
            raise CofinancingError("Le coût annuel du poste s'exprime au centime près.")
    if not 0 <= ars_rate <= 100:
        raise CofinancingError("La part de l'ARS est un pourcentage compris entre 0 et 100.")
    if ars_cap is not None and ars_cap < 0:
        raise CofinancingError("Le plafond annuel de l'ARS ne peut pas être négatif.")
    if not communes:
        raise CofinancingError(
            "Aucune commune n'est rattachée au territoire du contrat : ajoutez les communes et leur "
            "population pour répartir le reste du coût."
        )
    missing = [party.label for party in communes if not party.population]
    if missing:
        raise CofinancingError(
            "Population manquante ou nulle pour : {names}. Renseignez la population de chaque commune : "
            "aucune répartition n'est calculée sans elle.".format(names=", ".join(missing))
        )


@dataclass(frozen=True)
class StatedLine:
    """A line of the table as signed in the contract."""

    key: Hashable  # None for the ARS, as in ComputedShare
    percentage: Decimal | None
    amount: Decimal | None = None


@dataclass(frozen=True)
class ComparedLine:
    computed: ComputedShare
    stated: StatedLine | None

    @property
    def percentage_gap(self) -> Decimal | None:
        """Stated minus computed, in percentage points; None when nothing was stated."""
        if self.stated is None or self.stated.percentage is None:
            return None
        return self.stated.percentage - self.computed.percentage

    @property
    def amount_gap(self) -> Decimal | None:
        if self.stated is None or self.stated.amount is None or self.computed.amount is None:
            return None
        return self.stated.amount - self.computed.amount

    @property
    def differs(self) -> bool:
        return bool(self.percentage_gap) or bool(self.amount_gap)


@dataclass(frozen=True)
class Comparison:
    lines: list[ComparedLine]
    stated_total: Decimal | None  # sum of the stated percentages; None when none was stated

    @property
    def differing(self) -> list[ComparedLine]:
        return [line for line in self.lines if line.differs]

    @property
    def stated_total_gap(self) -> Decimal | None:
        return None if self.stated_total is None else self.stated_total - HUNDRED


def compare(cofinancing: Cofinancing, stated: Sequence[StatedLine]) -> Comparison:
    by_key = {line.key: line for line in stated}
    percentages = [line.percentage for line in stated if line.percentage is not None]
    return Comparison(
        lines=[ComparedLine(computed=share, stated=by_key.get(share.key)) for share in cofinancing.shares],
        stated_total=sum(percentages, Decimal(0)) if percentages else None,
    )
