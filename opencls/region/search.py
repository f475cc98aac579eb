"""Search across the actions and operations of the user's scope.

PostgreSQL: full-text search with the `french_unaccent` configuration (French stemming, accents
ignored; created by migration 0003, plain `french` where the extension could not be created),
every query word used as a prefix, all of them in the row's own text (GIN index of migration
0004) or all in the name of one of its organisations, highlighted by `ts_headline`. SQLite: the same words
folded and lightly stemmed (`opencls.region.text`), matched in Python, highlighted here.
Highlights are marked by control characters, the text is escaped, then the marks become <mark>:
nothing typed in an action can inject HTML.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.db import connection
from django.db.models import Prefetch, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from opencls.actions.models import Action, ActionOrganisation, Involvement, Operation, OperationOrganisation
from opencls.contracts.models import Contract
from opencls.region.search_sql import ACTION_COLUMNS, OPERATION_COLUMNS, text_vector
from opencls.region.text import folded, matches_all, query_terms, stem, words

START, STOP = "\x02", "\x03"
MAX_HITS = 50  # per kind (actions, operations): beyond, the user narrows the search
SNIPPET_WORDS = 30
TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass
class Hit:
    kind: str  # "action" or "operation"
    contract_id: int
    action_id: int
    code: str
    title: SafeString
    snippet: SafeString
    leads: str
    parent_title: str = ""


@dataclass
class ContractHits:
    contract: Contract
    hits: list[Hit] = field(default_factory=list)


def marked_html(text: str) -> SafeString:
    """Text with START/STOP marks → escaped HTML with <mark> elements."""
    html = escape(text or "").replace(START, "<mark>").replace(STOP, "</mark>")
    # A headline may cut inside a marked word: close what was opened.
    html += "</mark>" * (html.count("<mark>") - html.count("</mark>"))
    return mark_safe(html)  # noqa: S308 (escaped above)


def _is_hit(token: str, terms: list[str]) -> bool:
    word = folded(token)
    word_stem = stem(word)
    return any(
        word_stem == stem(term) or word.startswith(term) or word.startswith(stem(term)) for term in terms
    )


def highlight(text: str, terms: list[str], *, snippet: bool = False) -> SafeString:
    """Marks the words of `text` that a query term finds; as a snippet, ~30 words around the first."""
    text = (text or "").replace(START, "").replace(STOP, "")
    tokens = list(TOKEN.finditer(text))
    hits = [match for match in tokens if _is_hit(match.group(), terms)]
    start, end = 0, len(text)
    if snippet:
        if not tokens:
            return mark_safe("")
        first = tokens.index(hits[0]) if hits else 0
        low = max(0, first - 8)
        high = min(len(tokens), low + SNIPPET_WORDS)
        start, end = tokens[low].start(), tokens[high - 1].end()
    pieces, cursor = [], start
    for match in hits:
        if match.start() < start or match.end() > end:
            continue
        pieces += [text[cursor : match.start()], START, match.group(), STOP]
        cursor = match.end()
    pieces.append(text[cursor:end])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return marked_html(prefix + "".join(pieces) + suffix)


def _leads(work) -> str:
    return ", ".join(
        i.organisation.name for i in work.involvements.all() if i.involvement == Involvement.LEAD
    )


def _organisations(work) -> str:
    return " ".join(i.organisation.name for i in work.involvements.all())


def _group(hits: list[Hit], contract_ids) -> list[ContractHits]:
    by_contract: dict[int, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_contract[hit.contract_id].append(hit)
    contracts = (
        Contract.objects.filter(pk__in=list(by_contract)).select_related("territory").order_by("title")
    )
    return [ContractHits(contract, by_contract[contract.pk]) for contract in contracts]


def search(contract_ids, query: str) -> tuple[list[str], list[ContractHits]]:
    """(the query's terms, the hits grouped by contract) within the contracts `contract_ids`."""
    terms = query_terms(query)
    if not terms:
        return terms, []
    if connection.vendor == "postgresql":
        hits = _search_postgresql(contract_ids, terms)
    else:
        hits = _search_python(contract_ids, terms)
    return terms, _group(hits, contract_ids)


# SQLite (and any other database) --------------------------------------------------------------

ACTION_FIELDS = ACTION_COLUMNS
OPERATION_FIELDS = OPERATION_COLUMNS


def _involvements(model):
    return Prefetch(
        "involvements",
        queryset=model.objects.select_related("organisation").only(
            "pk",
            "involvement",
            f"{'action' if model is ActionOrganisation else 'operation'}_id",
            "organisation__name",
        ),
    )


def _search_python(contract_ids, terms: list[str]) -> list[Hit]:
    hits = []
    actions = (
        Action.objects.filter(contract_id__in=contract_ids)
        .only("pk", "contract_id", "code", *ACTION_FIELDS)
        .prefetch_related(_involvements(ActionOrganisation))
    )
    for action in actions:
        text = " ".join([*(getattr(action, name) for name in ACTION_FIELDS), _organisations(action)])
        if matches_all(words(text), terms):
            body = "\n".join(
                [action.description, action.target_publics, action.context, _organisations(action)]
            )
            hits.append(
                Hit(
                    "action",
                    action.contract_id,
                    action.pk,
                    action.code,
                    highlight(action.title, terms),
                    highlight(body, terms, snippet=True),
                    _leads(action),
                )
            )
    operations = (
        Operation.objects.filter(action__contract_id__in=contract_ids)
        .select_related("action")
        .only("pk", "action__contract_id", "action__code", "action__title", *OPERATION_FIELDS)
        .prefetch_related(_involvements(OperationOrganisation))
    )
    for operation in operations:
        text = " ".join([*(getattr(operation, name) for name in OPERATION_FIELDS), _organisations(operation)])
        if matches_all(words(text), terms):
            body = "\n".join(
                [
                    operation.description,
                    operation.target_publics,
                    operation.objective_text,
                    _organisations(operation),
                ]
            )
            hits.append(
                Hit(
                    "operation",
                    operation.action.contract_id,
                    operation.action_id,
                    operation.action.code,
                    highlight(operation.title, terms),
                    highlight(body, terms, snippet=True),
                    _leads(operation),
                    operation.action.title,
                )
            )
    return hits[:MAX_HITS]


# PostgreSQL -----------------------------------------------------------------------------------


@cache
def search_config() -> str:
    """`french_unaccent` where migration 0003 could create it, else plain `french`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent'")
        return "french_unaccent" if cursor.fetchone() else "french"


def _organisation_names(model, parent: str):
    from django.contrib.postgres.aggregates import StringAgg
    from django.db.models import OuterRef, Subquery

    names = (
        model.objects.filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(names=StringAgg("organisation__name", " "))
        .values("names")[:1]
    )
    return Coalesce(Subquery(names), Value(""), output_field=TextField())


def _candidates(table: str, columns, involvements, owner: str, config: str, terms: list[str]):
    """Rows whose own text holds every term (through the GIN index of migration 0004), or led
    or joined by an organisation whose name holds them all; the exact test on the whole
    document (text and organisations) follows on these candidates only."""
    every = " & ".join(f"{term}:*" for term in terms)
    by_text = RawSQL(
        f'SELECT "id" FROM "{table}" WHERE {text_vector(config, columns)} @@ to_tsquery(%s::regconfig, %s)',
        [config, every],
    )
    by_organisation = RawSQL(
        f'SELECT "{owner}_id" FROM "{involvements}" i JOIN "accounts_organisation" o ON o."id" = i."organisation_id" '
        f'WHERE to_tsvector(%s::regconfig, o."name") @@ to_tsquery(%s::regconfig, %s)',
        [config, config, every],
    )
    return Q(pk__in=by_text) | Q(pk__in=by_organisation)


def _search_postgresql(contract_ids, terms: list[str]) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    config = search_config()
    # Terms are folded to [a-z0-9]+ (opencls.region.text.WORD): safe in a raw tsquery.
    query = SearchQuery(" & ".join(f"{term}:*" for term in terms), search_type="raw", config=config)
    options = {"config": config, "start_sel": START, "stop_sel": STOP}
    snippet = {**options, "max_words": 30, "min_words": 12, "max_fragments": 2, "fragment_delimiter": " … "}

    def body(names):
        parts = []
        for name in names:
            parts += [Coalesce(name, Value(""), output_field=TextField()), Value("\n")]
        return Concat(*parts, output_field=TextField())

    def found(queryset, model, involvements, owner, columns, order):
        """The candidates are the hits (index on their own text, or an organisation's name):
        nothing is recomputed for them; only the first MAX_HITS get their highlights."""
        table, involvement_table = model._meta.db_table, involvements._meta.db_table
        first = list(
            queryset.filter(_candidates(table, columns, involvement_table, owner, config, terms))
            .order_by(*order)
            .values_list("pk", flat=True)[:MAX_HITS]
        )
        rows = (
            queryset.filter(pk__in=first)
            .annotate(organisation_names=_organisation_names(involvements, owner))
            .annotate(
                title_html=SearchHeadline(columns[0], query, highlight_all=True, **options),
                snippet_html=SearchHeadline(body([*columns[1:], "organisation_names"]), query, **snippet),
            )
            .prefetch_related(_involvements(involvements))
        )
        return sorted(rows, key=lambda row: first.index(row.pk))

    hits = []
    actions = Action.objects.filter(contract_id__in=contract_ids).only("pk", "contract_id", "code")
    for action in found(
        actions, Action, ActionOrganisation, "action", ACTION_COLUMNS, ("axis__position", "position", "pk")
    ):
        hits.append(
            Hit(
                "action",
                action.contract_id,
                action.pk,
                action.code,
                marked_html(action.title_html),
                marked_html(action.snippet_html),
                _leads(action),
            )
        )
    operations = (
        Operation.objects.filter(action__contract_id__in=contract_ids)
        .select_related("action")
        .only("pk", "action__contract_id", "action__code", "action__title")
    )
    for operation in found(
        operations,
        Operation,
        OperationOrganisation,
        "operation",
        OPERATION_COLUMNS,
        ("action__axis__position", "action__position", "position", "pk"),
    ):
        hits.append(
            Hit(
                "operation",
                operation.action.contract_id,
                operation.action_id,
                operation.action.code,
                marked_html(operation.title_html),
                marked_html(operation.snippet_html),
                _leads(operation),
                operation.action.title,
            )
        )
    return hits
