"""Reads of the follow-up, each in a fixed number of queries whatever the size of the contract."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import wraps

from django.db.models import Max, Min, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Deliverable,
    Indicator,
    Operation,
    OperationOrganisation,
)
from opencls.actions.schedule import parse_schedule
from opencls.contracts.models import Axis, Contract
from opencls.core.confirm import Replacement
from opencls.core.text import normalize_text
from opencls.monitoring.charts import number
from opencls.monitoring.models import (
    DeliverableFollowUp,
    EvaluationReport,
    IndicatorTarget,
    IndicatorValue,
    Status,
    StatusEntry,
)
from opencls.monitoring.periods import Period, periods_of_year, semester_of
from opencls.territories.models import Municipality

STATUS_ORDER = list(Status.values)


def once_per_request(function):
    """Computed once per contract object and day. A contract object lives one request: the
    overview and the dashboard show these alerts and their own tables from one computation."""

    @wraps(function)
    def wrapper(contract: Contract, today: date):
        cache = contract.__dict__.setdefault("_opencls_once", {})
        key = (function.__name__, today)
        if key not in cache:
            cache[key] = function(contract, today)
        return cache[key]

    return wrapper


# Statuses -------------------------------------------------------------------------------------


def _latest_status(on: date | None = None, *, of_operation: bool = False):
    entries = StatusEntry.objects.filter(
        **({"operation": OuterRef("pk")} if of_operation else {"action": OuterRef("pk"), "operation": None})
    )
    if on is not None:
        entries = entries.filter(date__lte=on)
    return entries.order_by("-date", "-pk")


def with_status(queryset, on: date | None = None, *, of_operation: bool = False):
    """Annotates `current_status` (not started when nothing recorded) and `status_date`."""
    latest = _latest_status(on, of_operation=of_operation)
    return queryset.annotate(
        current_status=Coalesce(Subquery(latest.values("status")[:1]), Value(Status.NOT_STARTED)),
        status_date=Subquery(latest.values("date")[:1]),
    )


def contract_actions(contract: Contract, on: date | None = None):
    """Actions with their status on `on` (today when None), operations and porteurs."""
    org = "organisation"
    operations = with_status(Operation.objects.all(), on, of_operation=True).prefetch_related(
        Prefetch("involvements", queryset=OperationOrganisation.objects.select_related(org))
    )
    return (
        with_status(Action.objects.filter(contract=contract), on)
        .select_related("axis")
        .prefetch_related(
            Prefetch("involvements", queryset=ActionOrganisation.objects.select_related(org)),
            Prefetch("operations", queryset=operations),
        )
    )


@dataclass
class AxisProgress:
    axis: Axis
    actions: list[Action]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.actions)

    @property
    def done_share(self) -> int:
        return round(100 * self.counts[Status.DONE] / self.total) if self.total else 0


def axis_progress(contract: Contract, actions: list[Action]) -> list[AxisProgress]:
    by_axis = defaultdict(list)
    for action in actions:
        by_axis[action.axis_id].append(action)
    rows = []
    for axis in Axis.objects.filter(contract=contract):
        axis_actions = by_axis.get(axis.pk, [])
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for action in axis_actions:
            counts[action.current_status] += 1
        rows.append(AxisProgress(axis, axis_actions, counts))
    return rows


def status_history(action: Action) -> list[StatusEntry]:
    return list(action.status_entries.select_related("author", "operation"))


# Schedules ------------------------------------------------------------------------------------


def schedule_range(work) -> tuple[date | None, date | None]:
    """The dates set on an action or operation, completed from its « calendrier » text."""
    start, end = work.start_date, work.end_date
    if (start is None or end is None) and work.schedule:
        parsed_start, parsed_end = parse_schedule(work.schedule)
        start, end = start or parsed_start, end or parsed_end
    return start, end


@dataclass
class CalendarItem:
    label: str
    schedule: str
    start: date | None
    end: date | None
    status: str
    is_operation: bool
    url_action_pk: int

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def calendar_items(actions: list[Action]) -> list[CalendarItem]:
    items = []
    for action in actions:
        start, end = schedule_range(action)
        items.append(
            CalendarItem(str(action), action.schedule, start, end, action.current_status, False, action.pk)
        )
        for operation in action.operations.all():
            op_start, op_end = schedule_range(operation)
            if operation.schedule or op_start or op_end:
                items.append(
                    CalendarItem(
                        operation.title,
                        operation.schedule,
                        op_start,
                        op_end,
                        operation.current_status,
                        True,
                        action.pk,
                    )
                )
    return items


def contract_years(contract: Contract, today: date) -> list[int]:
    """The years the contract runs over. Without both dates, the span of what is known: the dates
    set, the actions' and operations' schedules, the figures entered, and the current year."""
    if contract.start_date and contract.end_date:
        return list(range(contract.start_date.year, max(contract.start_date, contract.end_date).year + 1))
    known = [today.year] + [day.year for day in (contract.start_date, contract.end_date) if day]
    spans = Action.objects.filter(contract=contract).aggregate(
        Min("start_date"), Max("end_date"), Min("operations__start_date"), Max("operations__end_date")
    )
    known += [day.year for day in spans.values() if day]
    known += [
        year
        for year in IndicatorValue.objects.filter(contract=contract)
        .aggregate(Min("year"), Max("year"))
        .values()
        if year
    ]
    first = contract.start_date.year if contract.start_date else min(known)
    last = contract.end_date.year if contract.end_date else max(known)
    return list(range(first, max(first, last) + 1))


# Indicators -----------------------------------------------------------------------------------


@dataclass
class TargetReview:
    target: IndicatorTarget
    achieved: Decimal | None  # the period's value, or the running total for a cumulative target

    @property
    def period(self) -> Period:
        return self.target.period_obj

    @property
    def is_met(self) -> bool:
        return self.achieved is not None and self.achieved >= self.target.value


def _values_by_indicator(values) -> dict[int, dict[str, IndicatorValue]]:
    by_indicator: dict[int, dict[str, IndicatorValue]] = defaultdict(dict)
    for value in values:
        by_indicator[value.indicator_id][value.period] = value
    return by_indicator


def achieved_for(target: IndicatorTarget, values: dict[str, IndicatorValue]) -> Decimal | None:
    if not target.cumulative:
        found = values.get(target.period)
        return found.value if found else None
    end = target.period_obj.end
    running = [v.value for v in values.values() if v.period_obj.end <= end]
    return sum(running, Decimal(0)) if running else None


def targets_reviewed(contract: Contract, *, ended_before: date) -> list[TargetReview]:
    """Targets whose period ended before `ended_before`, with what was achieved."""
    targets = [
        target
        for target in IndicatorTarget.objects.filter(
            contract=contract, year__lte=ended_before.year
        ).select_related("indicator__action")
        if target.period_obj.end < ended_before
    ]
    values = _values_by_indicator(
        IndicatorValue.objects.filter(contract=contract, indicator__in={t.indicator_id for t in targets})
    )
    return [TargetReview(target, achieved_for(target, values[target.indicator_id])) for target in targets]


@once_per_request
def indicators_off_target(contract: Contract, today: date) -> list[TargetReview]:
    reviews = [review for review in targets_reviewed(contract, ended_before=today) if not review.is_met]
    # Latest periods first, then in the order of the fiches.
    return sorted(
        reviews, key=lambda r: (-r.target.period_obj.end.toordinal(), r.target.indicator.action.code)
    )


@dataclass
class IndicatorPeriodRow:
    period: Period
    value: IndicatorValue | None
    target: IndicatorTarget | None
    achieved: Decimal | None

    @property
    def is_met(self) -> bool | None:
        if self.target is None or self.achieved is None:
            return None
        return self.achieved >= self.target.value


def indicator_rows(indicator: Indicator, periods: list[Period], values, targets) -> list[IndicatorPeriodRow]:
    """One row per period: value, target, and what counts against the target."""
    values_by_period = {v.period: v for v in values}
    targets_by_period = {t.period: t for t in targets}
    rows = []
    for period in periods:
        target = targets_by_period.get(period.code)
        value = values_by_period.get(period.code)
        achieved = achieved_for(target, values_by_period) if target else (value.value if value else None)
        rows.append(IndicatorPeriodRow(period, value, target, achieved))
    return rows


def action_indicators(action: Action):
    return (
        Indicator.objects.filter(action=action)
        .select_related("operation")
        .prefetch_related("values", "targets")
    )


# Deliverables ---------------------------------------------------------------------------------


@dataclass
class DeliverableRow:
    deliverable: Deliverable
    follow_up: DeliverableFollowUp | None
    due: date | None
    evidence_count: int = 0

    @property
    def is_done(self) -> bool:
        return bool(self.follow_up and self.follow_up.is_done)


def deliverable_due(deliverable: Deliverable) -> date | None:
    follow_up = getattr(deliverable, "follow_up", None)
    if follow_up and follow_up.due_date:
        return follow_up.due_date
    if deliverable.operation is not None:
        end = schedule_range(deliverable.operation)[1]
        if end:
            return end
    return schedule_range(deliverable.action)[1]


LONG_TEXTS = {
    "action": ("description", "target_publics", "funding_text", "context", "area"),
    "operation": ("description", "target_publics", "funding_text", "objective_text"),
}


def contract_deliverables(contract: Contract) -> list[DeliverableRow]:
    deliverables = (
        Deliverable.objects.filter(action__contract=contract)
        .select_related("action", "operation", "follow_up")
        # The long texts of the fiches are not shown beside a deliverable: not read.
        .defer(*(f"{work}__{name}" for work in ("action", "operation") for name in LONG_TEXTS[work]))
        .order_by("action__axis__position", "action__position", "action_id", "position", "pk")
    )
    rows = []
    for deliverable in deliverables:
        follow_up = getattr(deliverable, "follow_up", None)
        rows.append(DeliverableRow(deliverable, follow_up, deliverable_due(deliverable)))
    return rows


@once_per_request
def deliverables_due(contract: Contract, today: date) -> tuple[list[DeliverableRow], list[DeliverableRow]]:
    """(due by the end of the current semester, overdue): deliverables not done, by due date."""
    semester_end = semester_of(today).end
    due, overdue = [], []
    for row in contract_deliverables(contract):
        if row.is_done or row.due is None:
            continue
        if row.due < today:
            overdue.append(row)
        elif row.due <= semester_end:
            due.append(row)
    return sorted(due, key=lambda r: r.due), sorted(overdue, key=lambda r: r.due)


def action_deliverables(action: Action) -> list[DeliverableRow]:
    deliverables = (
        Deliverable.objects.filter(action=action)
        .select_related("action", "operation", "follow_up")
        .prefetch_related("evidences")
    )
    return [
        DeliverableRow(d, getattr(d, "follow_up", None), deliverable_due(d), len(d.evidences.all()))
        for d in deliverables
    ]


def municipality_count(contract: Contract) -> int:
    """What a target « par commune » is multiplied by."""
    return Municipality.objects.filter(territory_id=contract.territory_id).count()


def latest_reports(contract: Contract, year: int):
    return EvaluationReport.objects.filter(contract=contract, year=year).select_related("generated_by")[:10]


# What a write would replace (shown before → after, opencls/core/confirm.py) ------------------


def _shown_target(value, cumulative: bool) -> str:
    return number(value) + (" " + str(_("(cumulée)")) if cumulative else "")


def target_periods(indicator, years: list[int], cumulative: bool) -> list:
    """The periods a target over `years` is set on: each one, or the last for a cumulative target."""
    if not years:
        return []
    if cumulative:
        return [periods_of_year(indicator.periodicity, max(years))[-1]]
    return [period for year in sorted(set(years)) for period in periods_of_year(indicator.periodicity, year)]


def targets_replaced(indicator, period_codes: list[str], value, cumulative: bool) -> list:
    """Targets already recorded on those periods that the new value would overwrite."""
    existing = IndicatorTarget.objects.filter(indicator=indicator, period__in=period_codes)
    return [
        Replacement(
            _("Cible %(period)s de « %(indicator)s »")
            % {"period": target.period_obj.label, "indicator": indicator.label},
            _shown_target(target.value, target.cumulative),
            _shown_target(value, cumulative),
        )
        for target in existing
        if target.value != value or target.cumulative != cumulative
    ]


def value_replaced(indicator, period_code: str, value, comment: str, breakdown=None) -> list:
    """The value already entered for that period, if the new one differs."""
    from opencls.monitoring.measures import breakdown_text

    existing = IndicatorValue.objects.filter(indicator=indicator, period=period_code).first()
    breakdown = breakdown or {}
    if existing is None or (
        existing.value == value
        and existing.comment == normalize_text(comment or "")
        and (existing.breakdown or {}) == breakdown
    ):
        return []

    def shown(figure, parts, text):
        detail = breakdown_text(parts)
        return number(figure) + (f" ({detail})" if detail else "") + (f" — {text}" if text else "")

    return [
        Replacement(
            _("Valeur %(period)s de « %(indicator)s »")
            % {"period": existing.period_obj.label, "indicator": indicator.label},
            shown(existing.value, existing.breakdown, existing.comment),
            shown(value, breakdown, normalize_text(comment or "")),
        )
    ]
