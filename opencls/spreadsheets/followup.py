"""What the spreadsheets read from and write to the monitoring app: statuses, and indicator
targets and values per period.

The monitoring app owns them: statuses are a dated history (`StatusEntry`) whose latest entry
is the current status (« non démarrée » when there is none); figures are stored per period
code (« 2026 », « 2026-S1 »). A spreadsheet import adds a status entry dated of the import, so
the history keeps what came before, and writes figures in bulk (a plan has thousands of them)
after checking them with the monitoring app's own rules (`period_for_indicator`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from opencls.actions.models import Indicator
from opencls.campaigns.locks import check_unlocked
from opencls.monitoring.models import IndicatorTarget, IndicatorValue, Status, StatusEntry
from opencls.monitoring.periods import Period
from opencls.monitoring.services import period_for_indicator

STATUS_CHOICES: dict[str, str] = {code: str(label) for code, label in Status.choices}
DEFAULT_STATUS = Status.NOT_STARTED
IMPORT_COMMENT = "Modifié par l'import d'un tableur"


def current_statuses(contract) -> dict[tuple[int, int | None], str]:
    """(action id, operation id or None) → current status code, in one query; keys without an
    entry are absent (their status is DEFAULT_STATUS)."""
    entries = (
        StatusEntry.objects.filter(contract=contract)
        .order_by("action_id", "operation_id", "-date", "-pk")
        .values_list("action_id", "operation_id", "status")
    )
    current: dict[tuple[int, int | None], str] = {}
    for action_id, operation_id, status in entries:
        current.setdefault((action_id, operation_id), status)
    return current


def statuses_record(contract, changes: list[tuple[int, int | None, str]], *, user, day: date) -> None:
    """Adds one entry dated `day` per (action id, operation id or None, status)."""
    if changes:
        check_unlocked(contract.pk, {day.year})  # bulk writes skip the model guards
    StatusEntry.objects.bulk_create(
        [
            StatusEntry(
                contract=contract,
                action_id=action_id,
                operation_id=operation_id,
                status=status,
                date=day,
                comment=IMPORT_COMMENT,
                author=user,
            )
            for action_id, operation_id, status in changes
        ]
    )


def indicator_figures(contract) -> tuple[dict, dict, dict]:
    """(targets, values, breakdowns): indicator id → {period code: (value, cumulative)},
    indicator id → {period code: value}, values as canonical decimal strings, and indicator id →
    {period code: breakdown} for the values broken down (issue 13)."""
    targets: dict[int, dict[str, tuple[str, bool]]] = defaultdict(dict)
    for indicator_id, period, value, cumulative in IndicatorTarget.objects.filter(
        contract=contract
    ).values_list("indicator_id", "period", "value", "cumulative"):
        targets[indicator_id][period] = (f"{value:.2f}", cumulative)
    values: dict[int, dict[str, str]] = defaultdict(dict)
    breakdowns: dict[int, dict[str, dict]] = defaultdict(dict)
    for indicator_id, period, value, breakdown in IndicatorValue.objects.filter(
        contract=contract
    ).values_list("indicator_id", "period", "value", "breakdown"):
        values[indicator_id][period] = f"{value:.2f}"
        if breakdown:
            breakdowns[indicator_id][period] = breakdown
    return targets, values, breakdowns


def period_check(periodicity: str, code: str, *, is_value: bool, today: date) -> str:
    """The period code, normalised, if an indicator of `periodicity` can have a target (or a
    value) for it; a French error otherwise — the monitoring app's rules."""

    try:
        period = period_for_indicator(Indicator(periodicity=periodicity), code)
    except ValidationError as error:
        raise ValueError(" ".join(error.message_dict.get("period", error.messages))) from error
    if is_value and period.start > today:
        raise ValueError(f"la période {period.label} n'a pas commencé : aucune valeur ne peut y être saisie")
    return period.code


@dataclass
class FigureChange:
    """What an import changes in one indicator's figures: period → value string (None deletes);
    `cumulative` None leaves the targets' flag alone."""

    indicator_id: int
    targets: dict[str, str | None] = field(default_factory=dict)
    values: dict[str, str | None] = field(default_factory=dict)
    cumulative: bool | None = None
    breakdowns: dict[str, dict] = field(default_factory=dict)  # period → new breakdown


def figures_write(contract, changes: list[FigureChange], *, user) -> None:
    """Writes the changes of many indicators in a handful of queries (a plan has thousands)."""
    check_unlocked(contract.pk, {Period.from_code(p).year for c in changes for p in c.values})
    flags = {c.indicator_id: c.cumulative for c in changes if c.cumulative is not None}
    _sync(
        IndicatorTarget,
        contract,
        {(c.indicator_id, p): v for c in changes for p, v in c.targets.items()},
        user,
        extra=lambda obj: {"cumulative": flags.get(obj.indicator_id, obj.cumulative), "set_by": user},
        also=flags,
    )
    breakdowns = {(c.indicator_id, p): b for c in changes for p, b in c.breakdowns.items()}
    _sync(
        IndicatorValue,
        contract,
        {(c.indicator_id, p): v for c in changes for p, v in c.values.items()},
        user,
        extra=lambda obj: {
            "entered_by": user,
            "breakdown": breakdowns.get((obj.indicator_id, obj.period), obj.breakdown),
        },
    )


def _sync(model, contract, wanted: dict[tuple[int, str], str | None], user, *, extra, also=()) -> None:
    """`also`: indicators whose every row is rewritten (their cumulative flag changed)."""
    indicators = {indicator_id for indicator_id, _period in wanted} | set(also)
    if not indicators:
        return
    existing = {
        (obj.indicator_id, obj.period): obj
        for obj in model.objects.filter(contract=contract, indicator_id__in=indicators)
    }
    to_delete = [existing[key].pk for key, value in wanted.items() if value is None and key in existing]
    if to_delete:
        model.objects.filter(pk__in=to_delete).delete()
    updated, created = [], []
    for key, obj in existing.items():
        if key[0] in also and key not in wanted:
            updated.append(obj)
    for (indicator_id, period), value in wanted.items():
        if value is None:
            continue
        obj = existing.get((indicator_id, period)) or model(
            contract=contract, indicator_id=indicator_id, period=period
        )
        obj.year = Period.from_code(period).year
        obj.value = Decimal(value)
        (updated if obj.pk else created).append(obj)
    for obj in updated + created:
        for attribute, attribute_value in extra(obj).items():
            setattr(obj, attribute, attribute_value)
    if created:
        bulk_create_with_history(created, model, default_user=user)
    if updated:
        fields = ["year", "value", *extra(updated[0]).keys()]
        bulk_update_with_history(updated, model, fields, default_user=user)
