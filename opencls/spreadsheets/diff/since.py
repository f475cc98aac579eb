"""What changed in OpenCLS since the file was exported (its version, `Source.exported_at`).

An old file does not know the rows created since: their absence is not a wish to delete them.
Such removals become optional (kept unless ticked one by one in the review), and every row
of the diff tells what OpenCLS recorded on it after the export, from the history.
"""

from collections import defaultdict
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.actions.models import Action, FundingLine, Indicator, Operation
from opencls.monitoring.models import IndicatorTarget, IndicatorValue
from opencls.spreadsheets.diff.records import Diff
from opencls.territories.models import Municipality

KIND_MODELS = {
    "action": Action,
    "operation": Operation,
    "indicator": Indicator,
    "funding": FundingLine,
    "municipality": Municipality,
}
MAX_NOTES = 5  # per row: the review stays readable


def _when_who(record) -> dict:
    user = record.history_user
    return {
        "date": timezone.localtime(record.history_date).strftime("%d/%m/%Y %H:%M"),
        "user": (user.get_full_name() or user.get_username()) if user else _("import ou système"),
    }


def _changed_fields(record) -> str:
    previous = record.prev_record
    if previous is None:
        return ""
    model = record.instance_type
    names = []
    for change in record.diff_against(previous).changes:
        try:
            names.append(str(model._meta.get_field(change.field).verbose_name))
        except Exception:  # noqa: BLE001 - a field gone since: its name as stored
            names.append(change.field)
    return ", ".join(names)


def mark_since_export(diff: Diff, exported_at: str | None) -> None:
    if not exported_at:
        return
    moment = datetime.fromisoformat(exported_at)
    diff.exported_at = exported_at
    pks_by_kind = defaultdict(set)
    for change in diff.changes:
        if change.pk is not None and change.kind in KIND_MODELS:
            pks_by_kind[change.kind].add(change.pk)
    notes: dict[tuple[str, int], list[str]] = defaultdict(list)
    created: set[tuple[str, int]] = set()
    for kind, pks in pks_by_kind.items():
        records = (
            KIND_MODELS[kind]
            .history.filter(id__in=pks, history_date__gt=moment)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for record in records:
            key = (kind, record.id)
            if record.history_type == "+":
                created.add(key)
                notes[key].append(_("créé dans OpenCLS le %(date)s par %(user)s") % _when_who(record))
            elif record.history_type == "~" and len(notes[key]) < MAX_NOTES:
                fields = _changed_fields(record)
                if fields:
                    notes[key].append(
                        _("modifié dans OpenCLS le %(date)s par %(user)s : %(fields)s")
                        % {**_when_who(record), "fields": fields}
                    )
    indicators = pks_by_kind.get("indicator")
    if indicators:
        for model, what in ((IndicatorValue, _("valeur")), (IndicatorTarget, _("cible"))):
            records = (
                model.history.filter(indicator_id__in=indicators, history_date__gt=moment)
                .select_related("history_user")
                .order_by("history_date", "history_id")
            )
            for record in records:
                key = ("indicator", record.indicator_id)
                if len(notes[key]) < MAX_NOTES:
                    notes[key].append(
                        _("%(what)s %(period)s saisie le %(date)s par %(user)s")
                        % {"what": what, "period": record.period, **_when_who(record)}
                    )
    for change in diff.changes:
        key = (change.kind, change.pk)
        change.since_export = notes.get(key, [])
        if change.op == "remove" and key in created:
            change.optional = True
