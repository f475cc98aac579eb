"""The calendar of actions: a Gantt-like timeline of the actions and operations, grouped by axis,
from their dates (set, or read from the « calendrier » text), with today's line and late items
(end passed, status not « réalisée »). Drawn in HTML/CSS on the server; exported as iCalendar."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from opencls.contracts.models import Axis, Contract
from opencls.governance.ical import published_calendar
from opencls.monitoring import selectors
from opencls.monitoring.models import Status


@dataclass
class Bar:
    label: str
    schedule: str
    start: date | None
    end: date | None
    status: str
    is_operation: bool
    action_pk: int
    uid: str
    is_late: bool = False
    left: float = 0.0  # percent of the timeline
    width: float = 0.0

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_dated(self) -> bool:
        return bool(self.start or self.end)


@dataclass
class AxisRows:
    axis: Axis
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Timeline:
    contract: Contract
    today: date
    start: date
    end: date
    axes: list[AxisRows]
    years: list[tuple[int, float, float]]  # year, left %, width %
    today_left: float | None

    @property
    def bars(self) -> list[Bar]:
        return [bar for row in self.axes for bar in row.bars]

    @property
    def dated(self) -> list[Bar]:
        return [bar for bar in self.bars if bar.is_dated]

    @property
    def late(self) -> list[Bar]:
        return [bar for bar in self.bars if bar.is_late]


def is_late(end: date | None, status: str, today: date) -> bool:
    return end is not None and end < today and status not in (Status.DONE, Status.ABANDONED)


def timeline(contract: Contract, *, today: date) -> Timeline:
    """Four queries whatever the size of the plan (actions with status, operations, porteurs, axes)."""
    actions = list(selectors.contract_actions(contract))
    by_axis: dict[int, list] = {}
    for action in actions:
        by_axis.setdefault(action.axis_id, []).append(action)
    rows = []
    for axis in Axis.objects.filter(contract=contract):
        row = AxisRows(axis)
        for action in by_axis.get(axis.pk, []):
            start, end = selectors.schedule_range(action)
            row.bars.append(
                Bar(
                    str(action),
                    action.schedule,
                    start,
                    end,
                    action.current_status,
                    False,
                    action.pk,
                    f"action-{action.pk}",
                )
            )
            for operation in action.operations.all():
                op_start, op_end = selectors.schedule_range(operation)
                if op_start or op_end:
                    row.bars.append(
                        Bar(
                            operation.title,
                            operation.schedule,
                            op_start,
                            op_end,
                            operation.current_status,
                            True,
                            action.pk,
                            f"operation-{operation.pk}",
                        )
                    )
        rows.append(row)
    days = [d for row in rows for bar in row.bars for d in (bar.start, bar.end) if d]
    days += [d for d in (contract.start_date, contract.end_date) if d]
    first_year = min([d.year for d in days] + [today.year])
    last_year = max([d.year for d in days] + [first_year])
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    span = (end - start).days + 1

    def percent(day: date) -> float:
        return round(100 * (min(max(day, start), end) - start).days / span, 3)

    for row in rows:
        for bar in row.bars:
            bar.is_late = is_late(bar.end, bar.status, today)
            if bar.is_dated:
                bar.left = percent(bar.start or start)
                bar.width = max(round(percent((bar.end or end) + timedelta(days=1)) - bar.left, 3), 0.6)
    years = [
        (year, percent(date(year, 1, 1)), round(100 * (365 + (year % 4 == 0)) / span, 3))
        for year in range(first_year, last_year + 1)
    ]
    today_left = percent(today) if start <= today <= end else None
    return Timeline(contract, today, start, end, rows, years, today_left)


def timeline_ical(data: Timeline, *, host: str, url: str) -> bytes:
    """One all-day event per dated action or operation (DTEND exclusive, as RFC 5545 wants)."""
    calendar = published_calendar("-//OpenCLS//Calendrier des actions//FR")
    calendar.add("x-wr-calname", _("Calendrier des actions — %(contract)s") % {"contract": data.contract})
    stamp = timezone.now()
    for bar in data.dated:
        first = bar.start or bar.end
        last = bar.end or bar.start
        event = Event()
        event.add("uid", f"{bar.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))
        event.add("summary", bar.label)
        lines = [_("Statut : %(status)s") % {"status": bar.status_label}]
        if bar.schedule:
            lines.append(_("Calendrier : %(text)s") % {"text": bar.schedule})
        if bar.is_late:
            lines.append(_("En retard : échéance passée, non réalisée."))
        lines.append(url)
        event.add("description", "\n".join(lines))
        event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()
