"""The health part of the contrat de ville (issue 14): everything the CLS does for the QPV.

`city_contract_data(contract)` gathers, in a fixed number of queries, what a CLS coordinator
hands to the contrat de ville's steering: the QPV with their population and the actions serving
them, the actions by axis with their porteurs, the politique de la ville credits (from the
funding lines of kind « Crédits politique de la ville »), the indicators of those actions with
their values, and the participation of inhabitants. The page, the DOCX, the PDF and the XLSX
all read this one structure (citycontract_exports.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from opencls.actions.models import (
    Action,
    ActionOrganisation,
    FundingLine,
    Indicator,
    Operation,
)
from opencls.contracts.models import Axis, Contract
from opencls.contracts.selectors import QpvRow, qpv_rows, territory_municipalities
from opencls.participation.models import ParticipationBody, ParticipationEvent


@dataclass
class Credits:
    planned: Decimal = Decimal(0)
    granted: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    lines: int = 0

    def add(self, line: FundingLine) -> None:
        self.planned += line.planned_amount or 0
        self.granted += line.granted_amount or 0
        self.spent += line.spent_amount or 0
        self.lines += 1

    def __iadd__(self, other: "Credits"):
        self.planned += other.planned
        self.granted += other.granted
        self.spent += other.spent
        self.lines += other.lines
        return self


@dataclass
class IndicatorLine:
    indicator: Indicator
    values: list  # IndicatorValue rows, oldest first
    qpv_values: dict  # {neighbourhood name: value} when the indicator is broken down by QPV

    @property
    def last(self):
        return self.values[-1] if self.values else None


@dataclass
class QpvAction:
    action: Action
    leads: list[str]
    neighbourhoods: list[str]  # names of the QPV served, by the fiche or one of its operations
    whole_territory: bool
    credits: Credits
    indicators: list[IndicatorLine]

    @property
    def served(self) -> str:
        if self.neighbourhoods:
            return ", ".join(self.neighbourhoods)
        return _("Tout le territoire") if self.whole_territory else "—"

    @property
    def funded_by_city_policy(self) -> bool:
        return self.action.city_policy_funded or self.credits.lines > 0

    @property
    def share(self) -> str:
        a = self.action
        if a.qpv_public_share is None:
            return "—"
        return (
            f"{a.qpv_public_share:.2f}".replace(".", ",") + f" % ({a.get_qpv_public_share_basis_display()})"
        )


@dataclass
class AxisGroup:
    axis: Axis
    actions: list[QpvAction]
    credits: Credits = field(default_factory=Credits)


@dataclass
class CityContractData:
    contract: Contract
    qpv: list[QpvRow]
    axes: list[AxisGroup]
    credits: Credits
    bodies: list[ParticipationBody]
    events: list[ParticipationEvent]
    children: list[Contract]

    @property
    def actions(self) -> list[QpvAction]:
        return [a for group in self.axes for a in group.actions]

    @property
    def qpv_population(self) -> int:
        return sum(row.neighbourhood.population or 0 for row in self.qpv)


def indicator_qpv_values(indicator: Indicator) -> dict:
    """Hook for indicators broken down by QPV (issue 15, « kinds »): {QPV name: value}.

    Indicators carry one value per period today; when an indicator kind with a breakdown by
    quartier exists, return its last values per QPV here and the page and exports show them in
    the « atteint en QPV » column. Until then: nothing, and the total value is shown."""
    return {}


def city_contract_data(contract: Contract) -> CityContractData:
    """What the CLS does for the QPV: actions serving one (or the whole territory, QPV included)."""
    from opencls.monitoring.models import IndicatorValue

    municipalities = territory_municipalities(contract)
    rows = qpv_rows(contract, municipalities)
    serving = (
        Q(neighbourhoods__isnull=False)
        | Q(whole_territory=True)
        | Q(operations__neighbourhoods__isnull=False)
    )
    serving |= Q(operations__whole_territory=True) | Q(city_policy_funded=True)
    serving |= Q(funding_lines__kind=FundingLine.Kind.CITY_POLICY)
    ids = Action.objects.filter(contract=contract).filter(serving).values("pk")
    actions = list(
        Action.objects.filter(pk__in=ids)
        .select_related("axis")
        .prefetch_related(
            Prefetch(
                "involvements",
                queryset=ActionOrganisation.objects.filter(involvement="lead").select_related("organisation"),
            ),
            "neighbourhoods",
            Prefetch("operations", queryset=Operation.objects.prefetch_related("neighbourhoods")),
            Prefetch("funding_lines", queryset=FundingLine.objects.filter(kind=FundingLine.Kind.CITY_POLICY)),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.order_by("period"))
                ),
            ),
        )
        .order_by("axis__position", "axis_id", "position", "pk")
    )
    groups: dict[int, AxisGroup] = {}
    total = Credits()
    for action in actions:
        names = [n.name for n in action.neighbourhoods.all()]
        whole = action.whole_territory
        for operation in action.operations.all():
            names += [n.name for n in operation.neighbourhoods.all()]
            whole = whole or operation.whole_territory
        credits = Credits()
        for line in action.funding_lines.all():
            credits.add(line)
        item = QpvAction(
            action=action,
            leads=[i.organisation.name for i in action.involvements.all()],
            neighbourhoods=sorted(set(names)),
            whole_territory=whole,
            credits=credits,
            indicators=[
                IndicatorLine(i, list(i.values.all()), indicator_qpv_values(i))
                for i in action.indicators.all()
            ],
        )
        group = groups.setdefault(action.axis_id, AxisGroup(action.axis, []))
        group.actions.append(item)
        group.credits += credits
        total += credits
    bodies = list(
        ParticipationBody.objects.filter(contract=contract)
        .select_related("neighbourhood")
        .order_by("position", "pk")
    )
    events = list(
        ParticipationEvent.objects.filter(contract=contract).select_related("body").order_by("-date", "pk")
    )
    children = list(Contract.objects.filter(parent=contract).order_by("title"))
    return CityContractData(contract, rows, list(groups.values()), total, bodies, events, children)


def actions_by_neighbourhood(data: CityContractData) -> dict[str, list[QpvAction]]:
    """{QPV name: actions serving it}; the actions for the whole territory under their own key."""
    by_name = defaultdict(list)
    for item in data.actions:
        for name in item.neighbourhoods:
            by_name[name].append(item)
        if item.whole_territory and not item.neighbourhoods:
            by_name[_("Tout le territoire")].append(item)
    return dict(by_name)
