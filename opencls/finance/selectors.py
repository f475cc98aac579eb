from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, ActionOrganisation, FundingLine, OperationOrganisation
from opencls.contracts.models import Axis, Contract, Signatory
from opencls.finance.cofinancing import (
    Cofinancing,
    CofinancingError,
    ComparedLine,
    Comparison,
    Party,
    StatedLine,
    compare,
    compute_cofinancing,
)
from opencls.finance.models import CoordinatorPostFunding, StatedShare
from opencls.territories.models import Municipality

# ---------------------------------------------------------------- coordinator post


@dataclass(frozen=True)
class CofinancingRow:
    line: ComparedLine
    uncapped_amount: Decimal | None  # what the party would pay if the ARS paid its full rate
    # The commune (None for the ARS): its signed and official populations, shown side by side.
    municipality: Municipality | None = None

    @property
    def population_gap(self) -> int | None:
        """Signed minus official population; None when either is unknown or they agree."""
        return self.municipality.population_gap if self.municipality else None

    @property
    def cap_effect(self) -> Decimal | None:
        if self.uncapped_amount is None or self.line.computed.amount is None:
            return None
        return self.line.computed.amount - self.uncapped_amount


@dataclass
class CofinancingTable:
    funding: CoordinatorPostFunding  # unsaved defaults when the coordinator has entered nothing yet
    cost: Decimal | None  # the recorded cost, or the one being simulated
    stated_shares: list[StatedShare]
    cofinancing: Cofinancing | None = None
    comparison: Comparison | None = None
    rows: list[CofinancingRow] = field(default_factory=list)
    uncapped: Cofinancing | None = None  # the same cost if the ARS paid its full rate, when the cap binds
    error: str = ""
    # Issue 16: both populations of the communes, whichever the rule uses.
    signed_total: int | None = None
    official_total: int | None = None
    population_year: int | None = None  # of the official populations

    @property
    def official_basis(self) -> bool:
        return self.funding.population_basis == CoordinatorPostFunding.PopulationBasis.OFFICIAL

    @property
    def population_gap(self) -> int | None:
        if self.signed_total is None or self.official_total is None:
            return None
        return (self.signed_total - self.official_total) or None

    @property
    def communes_extra(self) -> Decimal | None:
        """What the cap moves from the ARS to the communes."""
        if self.uncapped is None:
            return None
        return self.uncapped.ars.amount - self.cofinancing.ars.amount

    @property
    def ars_label(self) -> str:
        return self.funding.ars_organisation.name if self.funding.ars_organisation else _("ARS")


def coordinator_post_funding(contract: Contract) -> CoordinatorPostFunding:
    funding = (
        CoordinatorPostFunding.objects.select_related("ars_organisation", "rest_payer")
        .filter(contract=contract)
        .first()
    )
    return funding or CoordinatorPostFunding(contract=contract)


def contract_municipalities(contract: Contract) -> list[Municipality]:
    return list(Municipality.objects.filter(territory_id=contract.territory_id))


def stated_shares(contract: Contract) -> list[StatedShare]:
    return list(StatedShare.objects.filter(contract=contract))


@dataclass(frozen=True)
class CofinancingInputs:
    """What the rule is computed from, read once (three queries) for any number of costs."""

    funding: CoordinatorPostFunding
    municipalities: list[Municipality]
    stated_shares: list[StatedShare]


def cofinancing_inputs(contract: Contract) -> CofinancingInputs:
    return CofinancingInputs(
        funding=coordinator_post_funding(contract),
        municipalities=contract_municipalities(contract),
        stated_shares=stated_shares(contract),
    )


def rest_parties(
    funding: CoordinatorPostFunding, inputs: CofinancingInputs, *, official=False
) -> list[Party]:
    """Who shares what the ARS does not pay, weighted as the rule says (issue 17): the communes by
    their population (004) — the signed one, or the official one when the coordination chose it
    (issue 16) —, one payer for all of it (003), or the fixed shares of the signed table."""
    rules = CoordinatorPostFunding.RestRule
    if funding.rest_rule == rules.SINGLE_PAYER and funding.rest_payer_id:
        return [Party("rest_payer", funding.rest_payer.name, 1)]
    if funding.rest_rule == rules.STATED_SHARES:
        names = {m.pk: m.name for m in inputs.municipalities}
        return [
            Party(s.municipality_id, names.get(s.municipality_id, ""), int(s.stated_percentage * 100))
            for s in inputs.stated_shares
            if s.municipality_id is not None and s.stated_percentage
        ]
    return [
        Party(m.pk, m.name, m.official_population if official else m.population)
        for m in inputs.municipalities
    ]


def cofinancing_table(
    inputs: CofinancingInputs, *, cost: Decimal | None = None, simulate: bool = False
) -> CofinancingTable:
    """The signed table beside the computed one, at the recorded cost or at `cost` when simulating."""
    funding = inputs.funding
    table = CofinancingTable(
        funding=funding,
        cost=cost if simulate else funding.yearly_cost,
        stated_shares=inputs.stated_shares,
    )
    municipalities = inputs.municipalities
    signed = [m.population for m in municipalities if m.population is not None]
    official_figures = [m for m in municipalities if m.official_population is not None]
    table.signed_total = sum(signed) if signed else None
    table.official_total = sum(m.official_population for m in official_figures) if official_figures else None
    years = [m.official_population_year for m in official_figures if m.official_population_year]
    table.population_year = max(years) if years else None
    parties = rest_parties(funding, inputs, official=table.official_basis)
    rule = {"ars_rate": funding.ars_rate, "communes": parties, "ars_label": table.ars_label}
    try:
        table.cofinancing = compute_cofinancing(cost=table.cost, ars_cap=funding.ars_yearly_cap, **rule)
    except CofinancingError as error:
        table.error = str(error)
        if table.official_basis and not official_figures:
            table.error += " " + _(
                "Le prorata suit la population officielle : choisissez les communes dans la géographie "
                "officielle (page « Territoire » de l'édition du contrat)."
            )
        return table
    if table.cofinancing.cap_binds:
        table.uncapped = compute_cofinancing(cost=table.cost, ars_cap=None, **rule)
    table.comparison = compare(
        table.cofinancing,
        [StatedLine(s.municipality_id, s.stated_percentage, s.stated_amount) for s in table.stated_shares],
    )
    by_pk = {m.pk: m for m in inputs.municipalities}
    table.rows = [
        CofinancingRow(
            line=line,
            uncapped_amount=table.uncapped.shares[index].amount if table.uncapped else None,
            municipality=by_pk.get(line.computed.key),
        )
        for index, line in enumerate(table.comparison.lines)
    ]
    return table


# ---------------------------------------------------------------- budget of actions

MONEY = ("planned", "granted", "spent")


def cents_sum(column: str) -> Sum:
    """Sum of a money column in whole cents. SQLite keeps decimals as floats and would answer
    9.99999999999998 for a hundred 0,10 €; integer cents add up exactly on every database."""
    return Sum(Cast(Round(F(column) * 100), BigIntegerField()))


def money_sums(prefix: str = "") -> dict:
    return {name: cents_sum(f"{prefix}{name}_amount") for name in MONEY}


def as_euros(row):
    """Turn the cents summed by the database back into exact euros, in place (dict or object)."""
    for name in MONEY:
        cents = row[name] if isinstance(row, dict) else getattr(row, name)
        value = None if cents is None else Decimal(cents).scaleb(-2)
        if isinstance(row, dict):
            row[name] = value
        else:
            setattr(row, name, value)
    return row


AMOUNTS = {**money_sums(), "line_count": Count("pk")}


def contract_funding_lines(contract: Contract) -> QuerySet[FundingLine]:
    return FundingLine.objects.filter(action__contract=contract)


def overspent_lines(contract: Contract) -> QuerySet[FundingLine]:
    """Spent above granted: worth a look, not an error (an advance, a late grant decision…)."""
    return contract_funding_lines(contract).filter(spent_amount__gt=F("granted_amount"))


def is_overspent(line: FundingLine) -> bool:
    return (
        line.spent_amount is not None
        and line.granted_amount is not None
        and line.spent_amount > line.granted_amount
    )


@dataclass
class Budget:
    actions: list[Action]  # each with `budget_lines` and `totals`
    by_axis: list[Axis]  # annotated with planned, granted, spent, line_count
    by_funder: list[dict]
    by_kind: list[dict]
    by_year: list[dict]
    total: dict


def _totals(lines: list[FundingLine]) -> dict:
    def add(name):
        values = [getattr(line, name) for line in lines if getattr(line, name) is not None]
        return sum(values, Decimal(0)) if values else None

    return {
        "planned": add("planned_amount"),
        "granted": add("granted_amount"),
        "spent": add("spent_amount"),
        "line_count": len(lines),
    }


def budget(contract: Contract) -> Budget:
    """The coordinator's follow-up table: lines per action, totals per axis, funder, kind and year.

    Seven queries whatever the number of actions and lines; totals are summed by the database,
    in whole cents.
    """
    lines = FundingLine.objects.select_related("funder", "operation").order_by(
        F("year").asc(nulls_last=True), "pk"
    )
    actions = list(
        Action.objects.filter(contract=contract)
        .select_related("axis")
        .prefetch_related(Prefetch("funding_lines", queryset=lines, to_attr="budget_lines"))
    )
    for action in actions:
        action.totals = _totals(action.budget_lines)

    by_axis = [
        as_euros(axis)
        for axis in Axis.objects.filter(contract=contract)
        .annotate(**money_sums("actions__funding_lines__"), line_count=Count("actions__funding_lines"))
        .order_by("position", "pk")
    ]
    scoped = contract_funding_lines(contract)
    by_funder = [
        as_euros(row)
        for row in scoped.values("funder_id", "funder__name")
        .annotate(**AMOUNTS)
        .order_by(F("funder__name").asc(nulls_last=True))
    ]
    kinds = dict(FundingLine.Kind.choices)
    order = list(kinds)
    by_kind = sorted(
        (as_euros(row) for row in scoped.values("kind").annotate(**AMOUNTS).order_by()),
        key=lambda row: order.index(row["kind"]),
    )
    for row in by_kind:
        row["label"] = kinds[row["kind"]]
    by_year = [
        as_euros(row)
        for row in scoped.values("year").annotate(**AMOUNTS).order_by(F("year").asc(nulls_last=True))
    ]
    total = as_euros(scoped.aggregate(**AMOUNTS))
    return Budget(
        actions=actions, by_axis=by_axis, by_funder=by_funder, by_kind=by_kind, by_year=by_year, total=total
    )


def contract_organisations(contract: Contract) -> QuerySet[Organisation]:
    """Organisations already taking part in the contract: the funders a line may name."""
    return Organisation.objects.filter(
        Q(pk__in=Signatory.objects.filter(contract=contract).values("organisation"))
        | Q(pk__in=ActionOrganisation.objects.filter(action__contract=contract).values("organisation"))
        | Q(
            pk__in=OperationOrganisation.objects.filter(operation__action__contract=contract).values(
                "organisation"
            )
        )
        | Q(pk__in=contract_funding_lines(contract).values("funder"))
    ).order_by("name")
