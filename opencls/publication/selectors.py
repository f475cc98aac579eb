"""Reads of the public side, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils.dateparse import parse_datetime

from opencls.contracts.models import Contract
from opencls.monitoring.models import EvaluationReport, Status
from opencls.monitoring.periods import Period
from opencls.publication.models import PublishedVersion, Suggestion
from opencls.publication.snapshot import all_actions, served

PUBLIC_LIST_PAGE_SIZE = 20
MODERATION_PAGE_SIZE = 30


def latest_published_version(contract: Contract) -> PublishedVersion | None:
    """The version the public sees: the latest one of a contract that is published, else None.

    Its `snapshot` is the whole public page as JSON; its shape is documented in
    `opencls/publication/snapshot.py` (format 1). Readers (citizen pages, open-data API) must
    read nothing else of the contract: what is not in the snapshot is not public.
    """
    if not contract.is_published:
        return None
    return latest_version(contract)


def latest_version(contract: Contract) -> PublishedVersion | None:
    """The latest version, published or withdrawn since (the coordination's preview)."""
    return PublishedVersion.objects.filter(contract=contract).select_related("published_by").first()


def contract_versions(contract: Contract) -> list[PublishedVersion]:
    return list(
        PublishedVersion.objects.filter(contract=contract)
        .select_related("published_by", "evaluation_report")
        .defer("snapshot")
    )


def published_contracts():
    """Published contracts that have a version, with its number and date (`version_number`,
    `version_published_at`), by title: one query per page of the list."""
    latest = PublishedVersion.objects.filter(contract=OuterRef("pk")).order_by("-number")
    return (
        Contract.objects.filter(is_published=True)
        .annotate(
            version_number=Subquery(latest.values("number")[:1]),
            version_published_at=Subquery(latest.values("published_at")[:1]),
        )
        .filter(version_number__isnull=False)
        .select_related("territory")
        .order_by("title", "pk")
    )


def evaluation_reports(contract: Contract):
    """The PDF reports generated for the contract, latest first (candidates for publication)."""
    return EvaluationReport.objects.filter(contract=contract, format=EvaluationReport.Format.PDF).order_by(
        "-year", "-generated_at", "-pk"
    )


# The snapshot, read for the page -------------------------------------------------------------


@dataclass
class TargetShown:
    value: Decimal
    cumulative: bool


@dataclass
class ValueShown:
    """A published value, shaped like monitoring's IndicatorValue for the charts and summaries."""

    value: Decimal
    breakdown: dict


@dataclass
class IndicatorShown:
    """A published indicator, shaped like actions' Indicator for `indicator_chart`/`summarise`."""

    label: str
    measure_kind: str
    categories: list


@dataclass
class PeriodRow:
    """One period of a published indicator, shaped like monitoring's IndicatorPeriodRow."""

    period: Period
    achieved: Decimal | None
    target: TargetShown | None
    value: ValueShown | None = None


@dataclass
class AxisCounts:
    """An axis's fiches by status, shaped like monitoring's AxisProgress for its chart."""

    axis: str
    counts: dict
    total: int

    @property
    def done_share(self) -> int:
        return round(100 * self.counts[Status.DONE] / self.total) if self.total else 0


def indicator_shown(indicator: dict) -> IndicatorShown:
    """Older versions have no measure kind: a plain number."""
    return IndicatorShown(
        indicator["label"], indicator.get("measure_kind") or "number", indicator.get("categories") or []
    )


def indicator_rows(indicator: dict) -> list[PeriodRow]:
    values = {
        v["period"]: ValueShown(Decimal(v["value"]), v.get("breakdown") or {}) for v in indicator["values"]
    }
    targets = {t["period"]: TargetShown(Decimal(t["value"]), t["cumulative"]) for t in indicator["targets"]}
    rows = []
    for code in sorted(set(values) | set(targets), key=lambda c: (Period.from_code(c).start, c)):
        value = values.get(code)
        rows.append(
            PeriodRow(Period.from_code(code), value.value if value else None, targets.get(code), value)
        )
    return rows


def axis_counts(snapshot: dict) -> list[AxisCounts]:
    rows = []
    for axis in snapshot["contract"]["axes"]:
        counts = dict.fromkeys(Status.values, 0)
        for action in axis["actions"]:
            counts[action["status"] if action["status"] in counts else Status.NOT_STARTED] += 1
        name = f"{axis['code']} {axis['title']}".strip()
        rows.append(AxisCounts(name, counts, len(axis["actions"])))
    return rows


@dataclass
class QpvShown:
    """A quartier of the published territory, with the public fiches serving it."""

    name: str
    code: str
    population: int | None
    population_year: int | None
    share: Decimal | None  # % of the territory's inhabitants
    actions: list


def qpv_table(snapshot: dict, actions: list[dict]) -> tuple[list[QpvShown], list[dict]]:
    """(each QPV of the published territory with the fiches among `actions` serving it, the fiches
    serving the whole territory without naming a quartier)."""
    territory = snapshot["contract"].get("territory") or {}
    population = sum(m.get("population") or 0 for m in territory.get("municipalities", []))
    by_name: dict[str, list[dict]] = {}
    whole = []
    for action in actions:
        names, everywhere = served(action)
        for name in names:
            by_name.setdefault(name, []).append(action)
        if everywhere and not names:
            whole.append(action)
    rows = []
    for qpv in territory.get("neighbourhoods", []):
        share = None
        if population and qpv.get("population") is not None:
            share = (Decimal(qpv["population"]) * 100 / population).quantize(Decimal("0.1"))
        rows.append(
            QpvShown(
                qpv["name"],
                qpv.get("code") or "",
                qpv.get("population"),
                qpv.get("population_year"),
                share,
                by_name.get(qpv["name"], []),
            )
        )
    return rows, whole


def qpv_codes(snapshot: dict) -> dict[str, str]:
    """QPV name → official code, from the published territory's table."""
    territory = snapshot["contract"].get("territory") or {}
    return {q["name"]: q.get("code") or "" for q in territory.get("neighbourhoods", [])}


def snapshot_themes(snapshot: dict) -> list[dict]:
    """The themes of the published fiches ({"code", "label", "count"}), by label."""
    themes: dict[str, dict] = {}
    for action in all_actions(snapshot).values():
        for theme in action.get("themes", []):
            entry = themes.setdefault(theme["code"], {**theme, "count": 0})
            entry["count"] += 1
    return sorted(themes.values(), key=lambda t: t["label"])


def participation(snapshot: dict) -> dict:
    """{"bodies", "events"}: empty for versions published before participation was shown."""
    data = snapshot.get("participation") or {}
    return {"bodies": data.get("bodies", []), "events": data.get("events", [])}


def snapshot_action(snapshot: dict, action_pk: int) -> dict | None:
    return all_actions(snapshot).get(action_pk)


def upcoming_meetings(snapshot: dict, now: datetime) -> list[dict]:
    meetings = []
    for meeting in snapshot.get("meetings", []):
        starts = parse_datetime(meeting["starts_at"])
        if starts and starts >= now:
            meetings.append({**meeting, "starts": starts, "ends": parse_datetime(meeting["ends_at"] or "")})
    return meetings


# Suggestions ---------------------------------------------------------------------------------


def approved_suggestions(contract: Contract, *, action_pk: int | None = None, on_contract: bool = False):
    """What the public reads: approved messages (of one fiche, or of the contract itself)."""
    suggestions = Suggestion.objects.filter(contract=contract, state=Suggestion.State.APPROVED).order_by(
        "-created_at", "-pk"
    )
    if action_pk is not None:
        suggestions = suggestions.filter(action_id=action_pk)
    elif on_contract:
        suggestions = suggestions.filter(action__isnull=True, action_label="")
    return suggestions


def moderation_queue(contract: Contract, state: str | None):
    suggestions = Suggestion.objects.filter(contract=contract).select_related("moderated_by")
    if state:
        suggestions = suggestions.filter(state=state)
    return suggestions.order_by("-created_at", "-pk")


def pending_count(contract: Contract) -> int:
    return Suggestion.objects.filter(contract=contract, state=Suggestion.State.PENDING).count()
