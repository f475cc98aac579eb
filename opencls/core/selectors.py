from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import CharField, OuterRef, Subquery, Value
from django.utils.formats import localize
from django.utils.translation import gettext, gettext_lazy

from opencls.core.registry import HISTORY_SOURCES

HISTORY_PAGE_SIZE = 50
OPERATIONS = {"+": "creation", "~": "change", "-": "deletion"}
# French names for the fields the core models leave without a verbose_name.
FIELD_LABELS = {
    "action": gettext_lazy("fiche action"),
    "axis": gettext_lazy("axe"),
    "contract": gettext_lazy("contrat"),
    "involvement": gettext_lazy("implication"),
    "operation": gettext_lazy("opération"),
    "organisation": gettext_lazy("organisation"),
    "parent": gettext_lazy("objectif parent"),
    "position": gettext_lazy("ordre"),
    "user": gettext_lazy("utilisateur"),
}


def field_label(field) -> str:
    if field.verbose_name == field.name.replace("_", " "):
        return str(FIELD_LABELS.get(field.name, field.verbose_name))
    return str(field.verbose_name)


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    date: datetime
    user: object  # None when the change was made outside a request (import script, shell)
    kind: str
    name: str
    operation: str  # creation | change | deletion
    changes: list[FieldChange]
    reason: str


def contract_history_page(contract, page_number) -> tuple[Page, list[HistoryEntry]]:
    """One page of the changes to a contract and everything attached to it, newest first.

    The number of queries does not grow with the page's rows: one query lists the page across
    every historical table, then two per kind of object on the page (the rows and the rows they
    replace, for the before → after), then one per kind of related object named.
    """
    sources = HISTORY_SOURCES
    listings = [
        source.scope(contract.pk)
        .annotate(opencls_history_source=Value(key, output_field=CharField()))
        .order_by()
        .values_list("opencls_history_source", "history_id", "history_date")
        for key, source in sources.items()
    ]
    merged = listings[0].union(*listings[1:], all=True).order_by("-history_date", "-history_id")
    page = Paginator(merged, HISTORY_PAGE_SIZE).get_page(page_number)

    ids_by_source = defaultdict(list)
    for key, history_id, _date in page.object_list:
        ids_by_source[key].append(history_id)
    records, previous = {}, {}
    for key, history_ids in ids_by_source.items():
        history = sources[key].model.history
        earlier = (
            history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rows = list(
            history.filter(history_id__in=history_ids)
            .select_related("history_user")
            .annotate(previous_history_id=Subquery(earlier))
        )
        records.update({(key, record.history_id): record for record in rows})
        previous_ids = [
            r.previous_history_id for r in rows if r.history_type == "~" and r.previous_history_id
        ]
        if previous_ids:
            previous.update({(key, pk): record for pk, record in history.in_bulk(previous_ids).items()})

    diffs = {}
    wanted = defaultdict(set)  # related model → primary keys to name
    for (key, history_id), record in records.items():
        source = sources[key]
        for name in source.label_fields:
            wanted[record._meta.get_field(name).related_model].add(getattr(record, f"{name}_id"))
        before = previous.get((key, record.previous_history_id))
        if before is not None:
            diffs[key, history_id] = record.diff_against(before).changes
            for change in diffs[key, history_id]:
                field = source.model._meta.get_field(change.field)
                if field.many_to_one:
                    wanted[field.related_model].update({change.old, change.new})
    named = {
        model: model._default_manager.in_bulk([pk for pk in pks if pk is not None])
        for model, pks in wanted.items()
    }

    def related_object(model, pk):
        if pk is None:
            return None
        return named[model].get(pk) or gettext("n° %(pk)s (supprimé)") % {"pk": pk}

    def related(record, name):
        return related_object(record._meta.get_field(name).related_model, getattr(record, f"{name}_id"))

    def display(field, value):
        if field.many_to_one:
            value = related_object(field.related_model, value)
        elif field.choices and value not in (None, ""):
            value = dict(field.flatchoices).get(value, value)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return gettext("oui") if value else gettext("non")
        if isinstance(value, date | Decimal | int):
            return str(localize(value))
        return str(value)

    entries = []
    for key, history_id, _date in page.object_list:
        record, source = records[key, history_id], sources[key]
        changes = []
        for change in diffs.get((key, history_id), []):
            field = source.model._meta.get_field(change.field)
            changes.append(
                FieldChange(field_label(field), display(field, change.old), display(field, change.new))
            )
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=record.history_user,
                kind=str(source.label),
                name=source.describe(record, related),
                operation=OPERATIONS[record.history_type],
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return page, entries
