from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Manager, OuterRef, Subquery, Value
from django.utils import timezone
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
    "neighbourhoods": gettext_lazy("quartiers prioritaires (QPV)"),
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


@dataclass(frozen=True)
class HistoryFilters:
    """What the reader narrowed the Historique page to; empty means everything."""

    kinds: tuple[str, ...] = ()
    author: str = ""  # a user's pk, or NO_AUTHOR for changes made outside the application
    since: date | None = None
    until: date | None = None


NO_AUTHOR = "none"


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(queryset, filters: HistoryFilters):
    if filters.author == NO_AUTHOR:
        queryset = queryset.filter(history_user__isnull=True)
    elif filters.author:
        queryset = queryset.filter(history_user_id=filters.author)
    if filters.since:
        queryset = queryset.filter(history_date__gte=_local_midnight(filters.since))
    if filters.until:
        queryset = queryset.filter(history_date__lt=_local_midnight(filters.until + timedelta(days=1)))
    return queryset


def history_kind_choices() -> list[tuple[str, str]]:
    return sorted(((key, str(source.label)) for key, source in HISTORY_SOURCES.items()), key=lambda c: c[1])


def contract_history_scopes(contract) -> dict:
    """{source key: historical rows of the contract}, built once per page (building them costs more
    than running them)."""
    return {key: source.scope(contract.pk) for key, source in HISTORY_SOURCES.items()}


def contract_history_authors(contract, scopes: dict | None = None) -> list:
    """The users who changed something of the contract (two queries, whatever its size)."""
    scopes = scopes or contract_history_scopes(contract)
    listings = [scope.order_by().values_list("history_user_id") for scope in scopes.values()]
    ids = {pk for (pk,) in listings[0].union(*listings[1:]) if pk is not None}
    return sorted(get_user_model().objects.filter(pk__in=ids), key=lambda user: str(user).lower())


def tracked_m2m_fields(model) -> list:
    """The many-to-many fields whose links django-simple-history records (`m2m_fields`)."""
    history_model = model.history.model
    return [f for f in model._meta.many_to_many if isinstance(getattr(history_model, f.name, None), Manager)]


def _m2m_links(model, records) -> dict:
    """{(history_id, field name): set of linked pks} for these historical rows, one query per field."""
    links = defaultdict(set)
    for field in tracked_m2m_fields(model):
        through = getattr(model.history.model, field.name).model
        target = next(
            f.attname
            for f in through._meta.concrete_fields
            if f.many_to_one and f.related_model is field.related_model
        )
        rows = through.objects.filter(history_id__in=[r.history_id for r in records]).values_list(
            "history_id", target
        )
        for history_id, pk in rows:
            links[history_id, field.name].add(pk)
    return links


def contract_history_page(
    contract, page_number, filters: HistoryFilters = HistoryFilters(), scopes: dict | None = None
) -> tuple[Page, list[HistoryEntry]]:
    """One page of the changes to a contract and everything attached to it, newest first.

    The number of queries does not grow with the page's rows: one query lists the page across
    every historical table, then two per kind of object on the page (the rows and the rows they
    replace, for the before → after), one per recorded many-to-many field, then one per kind of
    related object named.
    """
    sources = {
        key: source for key, source in HISTORY_SOURCES.items() if not filters.kinds or key in filters.kinds
    } or HISTORY_SOURCES
    scopes = scopes or contract_history_scopes(contract)
    listings = [
        _filtered(scopes[key], filters)
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
    m2m_links = {}
    for key in ids_by_source:
        model = sources[key].model
        if tracked_m2m_fields(model):
            rows = [r for (k, _pk), r in {**records, **previous}.items() if k == key]
            m2m_links.update({(key, *link): pks for link, pks in _m2m_links(model, rows).items()})
    for (key, history_id), record in records.items():
        source = sources[key]
        for name in source.label_fields:
            wanted[record._meta.get_field(name).related_model].add(getattr(record, f"{name}_id"))
        before = previous.get((key, record.previous_history_id))
        if before is not None:
            m2m = tracked_m2m_fields(source.model)
            hidden = [f.name for f in source.model._meta.concrete_fields if not f.editable]
            changes = [
                (c.field, c.old, c.new)
                for c in record.diff_against(before, excluded_fields=[f.name for f in m2m] + hidden).changes
            ]
            for field in m2m:
                old = m2m_links.get((key, before.history_id, field.name), set())
                new = m2m_links.get((key, history_id, field.name), set())
                if old != new:
                    changes.append((field.name, sorted(old), sorted(new)))
                    wanted[field.related_model].update(old | new)
            diffs[key, history_id] = changes
            for name, old, new in changes:
                field = source.model._meta.get_field(name)
                if field.many_to_one:
                    wanted[field.related_model].update({old, new})
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
        if field.many_to_many:
            value = ", ".join(sorted(str(related_object(field.related_model, pk)) for pk in value))
        elif field.many_to_one:
            value = related_object(field.related_model, value)
        elif field.choices and value not in (None, ""):
            value = dict(field.flatchoices).get(value, value)
        elif isinstance(value, dict):  # a breakdown by category (issue 13): « Femmes : 7 ; Hommes : 5 »
            value = " ; ".join(f"{key} : {item}" for key, item in value.items())
        elif isinstance(value, list):  # categories, levels
            value = " ; ".join(str(item) for item in value)
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
        for name, old, new in diffs.get((key, history_id), []):
            field = source.model._meta.get_field(name)
            changes.append(FieldChange(field_label(field), display(field, old), display(field, new)))
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
