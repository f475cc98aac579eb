"""The final evaluation's facts: for each axis and fiche, every year's results against targets."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from opencls.actions.models import Action, Indicator
from opencls.contracts.models import Contract
from opencls.monitoring import selectors as monitoring
from opencls.monitoring.models import IndicatorTarget, IndicatorValue, Status, StatusEntry
from opencls.monitoring.periods import periods_of_year
from opencls.renewal.models import ActionConclusion, FinalEvaluation


@dataclass
class FinalIndicator:
    indicator: Indicator
    rows: list  # monitoring.IndicatorPeriodRow, one per period of the contract's years

    @property
    def targets(self) -> int:
        return sum(1 for row in self.rows if row.target is not None)

    @property
    def met(self) -> int:
        return sum(1 for row in self.rows if row.is_met)

    @property
    def entered(self) -> int:
        return sum(1 for row in self.rows if row.value is not None)

    @property
    def is_empty(self) -> bool:
        return all(row.value is None and row.target is None for row in self.rows)

    def by_year(self, years: list[int]) -> list[list]:
        """The rows of each year (one for a yearly indicator, two for a semester one…)."""
        return [[row for row in self.rows if row.period.year == year] for year in years]


@dataclass
class FinalAction:
    action: Action
    indicators: list[FinalIndicator]
    conclusion: ActionConclusion | None
    porteur_notes: list[StatusEntry]

    @property
    def status_label(self) -> str:
        return Status(self.action.current_status).label

    @property
    def targets(self) -> int:
        return sum(i.targets for i in self.indicators)

    @property
    def met(self) -> int:
        return sum(i.met for i in self.indicators)

    @property
    def measured(self) -> list[FinalIndicator]:
        return [i for i in self.indicators if not i.is_empty]

    @property
    def unmeasured(self) -> int:
        return sum(1 for i in self.indicators if i.is_empty)


@dataclass
class FinalAxis:
    axis: object
    actions: list[FinalAction] = field(default_factory=list)


@dataclass
class FinalResults:
    contract: Contract
    years: list[int]
    axes: list[FinalAxis]
    evaluation: FinalEvaluation | None

    @property
    def actions(self) -> list[FinalAction]:
        return [action for axis in self.axes for action in axis.actions]

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        counts = defaultdict(int)
        for item in self.actions:
            counts[item.action.current_status] += 1
        return [(label, counts[value]) for value, label in Status.choices if counts[value]]

    @property
    def targets(self) -> int:
        return sum(a.targets for a in self.actions)

    @property
    def met(self) -> int:
        return sum(a.met for a in self.actions)


def final_results(contract: Contract, today: date) -> FinalResults:
    """Everything in a fixed number of queries, whatever the size of the plan."""
    years = monitoring.contract_years(contract, today)
    actions = list(monitoring.contract_actions(contract).order_by("axis__position", "position", "pk"))
    indicators = defaultdict(list)
    for indicator in Indicator.objects.filter(action__contract=contract).order_by("kind", "position", "pk"):
        indicators[indicator.action_id].append(indicator)
    values, targets = defaultdict(list), defaultdict(list)
    for value in IndicatorValue.objects.filter(contract=contract):
        values[value.indicator_id].append(value)
    for target in IndicatorTarget.objects.filter(contract=contract):
        targets[target.indicator_id].append(target)
    notes = defaultdict(list)
    for entry in StatusEntry.objects.filter(contract=contract).exclude(comment="").order_by("date", "pk"):
        notes[entry.action_id].append(entry)
    conclusions = {c.action_id: c for c in ActionConclusion.objects.filter(contract=contract)}
    axes: dict[int, FinalAxis] = {}
    for action in actions:
        final_indicators = []
        for indicator in indicators[action.pk]:
            periods = [p for year in years for p in periods_of_year(indicator.periodicity, year)]
            rows = monitoring.indicator_rows(indicator, periods, values[indicator.pk], targets[indicator.pk])
            final = FinalIndicator(indicator, rows)
            final.cells = final.by_year(years)
            final_indicators.append(final)
        axes.setdefault(action.axis_id, FinalAxis(action.axis)).actions.append(
            FinalAction(action, final_indicators, conclusions.get(action.pk), notes[action.pk])
        )
    evaluation = FinalEvaluation.objects.filter(contract=contract).first()
    return FinalResults(contract, years, list(axes.values()), evaluation)
