"""OpenCLS's own spreadsheet layout: which sheets, which columns, of which kind.

Headers are the file format (they identify columns when a file comes back), so they are plain
French strings, not translated. Columns are found by header text, never by position.
"""

import re
from dataclasses import dataclass, field

from opencls.actions.models import FundingLine, Indicator
from opencls.spreadsheets import cells
from opencls.spreadsheets.cells import AMOUNT, BOOLEAN, CHOICE, DATE, DECIMAL, INTEGER, LINES, NAMES, TEXT
from opencls.spreadsheets.followup import STATUS_CHOICES
from opencls.spreadsheets.models import Participation, Priority
from opencls.territories.models import Territory

FORMAT_NAME = "opencls-plan"
FORMAT_VERSION = 1
META_SHEET = "OpenCLS"
META_CONTRACT = "Contrat"
# The version a file was exported from: the moment of the export (UTC, ISO 8601). A re-import
# compares it with the history to tell what changed in OpenCLS since.
META_EXPORTED = "Version (horodatage)"
LISTS_SHEET = "Listes"
# Control characters a spreadsheet cell cannot hold (XML 1.0 forbids them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
PATH_SEPARATOR = " › "  # not ">" : objectives speak of « > 65 ans »
LIST_SEPARATOR = " ; "


def _labels(choices) -> dict[str, str]:
    return {code: str(label) for code, label in choices}


PRIORITY_CHOICES = _labels(Priority.choices)
PARTICIPATION_CHOICES = _labels(Participation.choices)
INDICATOR_KIND_CHOICES = {Indicator.Kind.PROCESS: "Processus", Indicator.Kind.RESULT: "Résultat"}
PERIODICITY_CHOICES = _labels(Indicator.Periodicity.choices)
MEASURE_CHOICES = _labels(Indicator.Measure.choices)
FUNDING_KIND_CHOICES = _labels(FundingLine.Kind.choices)
TERRITORY_KIND_CHOICES = _labels(Territory.Kind.choices)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT
    width: int = 20
    choices: dict[str, str] | None = None
    what: str = ""  # « un statut » in « « Fini » n'est pas un statut connu »
    max_length: int | None = None
    required: bool = False
    # An empty cell leaves the value unchanged (a status cannot be « unset », only followed).
    blank_unchanged: bool = False
    end_of_period: bool = False  # « 2026 » in an end-date column means 31/12/2026
    minimum: int = 0
    maximum: int = 2_000_000_000

    def parse(self, value):
        """Canonical value of a cell, or CellError."""
        if self.kind == TEXT:
            text = cells.clean_text(value)
            if self.max_length and len(text) > self.max_length:
                raise cells.CellError(
                    f"le texte fait {len(text)} caractères, {self.max_length} au plus sont acceptés"
                )
            return text
        if self.kind == DATE:
            return cells.parse_date(value, end_of_period=self.end_of_period)
        if self.kind == AMOUNT:
            return cells.parse_amount(value)
        if self.kind == DECIMAL:
            return cells.parse_decimal(value)
        if self.kind == INTEGER:
            return cells.parse_integer(value, minimum=self.minimum, maximum=self.maximum)
        if self.kind == BOOLEAN:
            return cells.parse_boolean(value)
        if self.kind == CHOICE:
            return cells.parse_choice(value, self.choices or {}, what=self.what or "une valeur")
        if self.kind == NAMES:
            names = cells.split_names(value)
            too_long = next((n for n in names if len(n) > 300), None)
            if too_long:
                raise cells.CellError(f"le nom « {too_long[:40]}… » dépasse 300 caractères")
            return names
        if self.kind == LINES:
            return cells.split_lines(value)
        raise ValueError(self.kind)

    def cell(self, value):
        """Python value written in the sheet for a canonical value."""
        result = self._cell(value)
        return _ILLEGAL.sub("", result) if isinstance(result, str) else result

    def _cell(self, value):
        if self.kind == DATE:
            return cells.date_cell(value)
        if self.kind in (AMOUNT, DECIMAL):
            return cells.number_cell(value)
        if self.kind == BOOLEAN:
            return None if value is None else ("Oui" if value else "Non")
        if self.kind == CHOICE:
            return (self.choices or {}).get(value, value) or None
        if self.kind == NAMES:
            return LIST_SEPARATOR.join(value) or None
        if self.kind == LINES:
            return "\n".join(value) or None
        return value if value not in ("", None) else None

    def canonical(self, value):
        """A database value as it reads back from a cell: « a\r\nb  » and « a\nb » are equal."""
        try:
            return self.parse(self.cell(value))
        except cells.CellError:
            return value

    def display(self, value) -> str:
        """How the review screen shows a canonical value."""
        if value in (None, "", []):
            return ""
        if self.kind == DATE:
            return cells.date_cell(value).strftime("%d/%m/%Y")
        if self.kind == AMOUNT:
            return cells.amount_text(value)
        if self.kind == DECIMAL:
            return str(cells.number_cell(value)).replace(".", ",")
        if self.kind == BOOLEAN:
            return "Oui" if value else "Non"
        if self.kind == CHOICE:
            return (self.choices or {}).get(value, value)
        if self.kind == NAMES:
            return LIST_SEPARATOR.join(value)
        if self.kind == LINES:
            return "\n".join(value)
        return str(value)

    @property
    def number_format(self) -> str | None:
        return {DATE: "DD/MM/YYYY", AMOUNT: "#,##0.00", DECIMAL: "#,##0.##", INTEGER: "0"}.get(self.kind)

    @property
    def list_name(self) -> str | None:
        """Name of the drop-down list of a choice column (a column of the Listes sheet)."""
        return self.header if self.kind in (CHOICE, BOOLEAN) else None

    @property
    def list_values(self) -> list[str]:
        if self.kind == BOOLEAN:
            return ["Oui", "Non"]
        return list((self.choices or {}).values())


@dataclass(frozen=True)
class Table:
    sheet: str
    kind: str  # the record kind its rows become
    columns: tuple[Column, ...]
    help: str = ""
    optional_headers: tuple[str, ...] = field(default=())

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def by_header(self) -> dict[str, Column]:
        return {cells.fold(c.header): c for c in self.columns}


ID = Column("id", "ID", INTEGER, width=8, minimum=1)
ACTION_ID = Column("action_id", "ID fiche action", INTEGER, width=10, minimum=1)
ACTION_CODE = Column("action_code", "Code fiche action", TEXT, width=12, max_length=30)
OPERATION_ID = Column("operation_id", "ID opération", INTEGER, width=10, minimum=1)
OPERATION_TITLE = Column("operation", "Opération", TEXT, width=30, max_length=500)


def _status():
    return Column(
        "status", "Statut", CHOICE, width=16, choices=STATUS_CHOICES, what="un statut", blank_unchanged=True
    )


def _work():
    """Columns a fiche gives for the whole action or per operation."""
    return (
        Column("description", "Descriptif", width=45),
        Column("target_publics", "Publics cibles", width=30),
        Column("leads", "Porteurs", NAMES, width=30),
        Column("partners", "Partenaires", NAMES, width=30),
        Column("start_date", "Début", DATE, width=12),
        Column("end_date", "Fin", DATE, width=12, end_of_period=True),
        Column("schedule", "Calendrier", width=20, max_length=300),
        _status(),
    )


PLAN = Table(
    "Plan",
    "action",
    (
        ID,
        Column("axis", "Axe", width=30, max_length=530, required=True),
        Column("objective", "Objectif", width=35),
        Column("code", "Code", width=10, max_length=30),
        Column("title", "Intitulé", width=45, max_length=500, required=True),
        Column("context", "Contexte et enjeux", width=40),
        Column("area", "Secteur géographique", width=25, max_length=500),
        *_work(),
        Column(
            "priority",
            "Niveau de priorité",
            CHOICE,
            width=14,
            choices=PRIORITY_CHOICES,
            what="un niveau de priorité",
        ),
        Column("objectives_text", "Objectifs (texte)", width=35),
        Column("governance_text", "Instances de gouvernance", width=30),
        Column(
            "participation",
            "Participation citoyenne",
            CHOICE,
            width=24,
            choices=PARTICIPATION_CHOICES,
            what="un niveau de participation citoyenne",
        ),
        Column("funding_text", "Financement (texte)", width=30),
        Column("deliverables", "Livrables", LINES, width=40),
        Column("is_public", "Visible sur la page publique", BOOLEAN, width=12, blank_unchanged=True),
    ),
    help="Une ligne par fiche action. Laissez la colonne ID vide pour une nouvelle fiche.",
)

OPERATIONS = Table(
    "Opérations",
    "operation",
    (
        ID,
        ACTION_ID,
        ACTION_CODE,
        Column("title", "Intitulé", width=40, max_length=500, required=True),
        Column("objective_text", "Objectif poursuivi", width=35),
        *_work(),
        Column("funding_text", "Financement (texte)", width=30),
        Column("deliverables", "Livrables", LINES, width=40),
    ),
    help="Une ligne par opération, rattachée à sa fiche par l'ID ou le code de la fiche.",
)

INDICATORS = Table(
    "Indicateurs",
    "indicator",
    (
        ID,
        ACTION_ID,
        ACTION_CODE,
        OPERATION_ID,
        OPERATION_TITLE,
        Column(
            "kind",
            "Type",
            CHOICE,
            width=12,
            choices=INDICATOR_KIND_CHOICES,
            what="un type d'indicateur",
            required=True,
        ),
        Column("label", "Indicateur", width=45, max_length=500, required=True),
        Column("unit", "Unité", width=12, max_length=50),
        Column(
            "periodicity",
            "Périodicité",
            CHOICE,
            width=14,
            choices=PERIODICITY_CHOICES,
            what="une périodicité",
        ),
        Column("cumulative", "Cibles cumulées", BOOLEAN, width=10, blank_unchanged=True),
        # Issue 13: how values are measured; the categories (or satisfaction levels), one per line.
        Column(
            "measure_kind",
            "Mesure",
            CHOICE,
            width=24,
            choices=MEASURE_CHOICES,
            what="une mesure",
            blank_unchanged=True,
        ),
        Column("categories", "Catégories ou niveaux", LINES, width=30),
    ),
    help="Une ligne par indicateur ; une colonne « Cible 2026 » / « Valeur 2026 » par période "
    "(« 2026-S1 » pour un semestre, « 2026-T3 » pour un trimestre) ; « Ventilation 2026 » donne "
    "le nombre par catégorie, commune, QPV ou niveau : « Femmes : 7 ; Hommes : 5 ».",
)
PERIOD_HEADER = re.compile(r"^(cible|valeur|ventilation)\s+(\d{4}(?:-[st][1-4])?)$", re.IGNORECASE)

FUNDING = Table(
    "Financements",
    "funding",
    (
        ID,
        ACTION_ID,
        ACTION_CODE,
        OPERATION_ID,
        OPERATION_TITLE,
        Column("funder", "Financeur", width=30, max_length=300),
        Column(
            "kind", "Nature", CHOICE, width=28, choices=FUNDING_KIND_CHOICES, what="une nature de financement"
        ),
        Column("year", "Année", INTEGER, width=8, minimum=cells.MIN_YEAR, maximum=cells.MAX_YEAR),
        Column("planned_amount", "Montant prévu (€)", AMOUNT, width=14),
        Column("granted_amount", "Montant accordé (€)", AMOUNT, width=14),
        Column("spent_amount", "Montant dépensé (€)", AMOUNT, width=14),
        Column("comment", "Commentaire", width=30, max_length=500),
    ),
    help="Une ligne par ligne budgétaire d'une fiche (ou d'une de ses opérations).",
)

MUNICIPALITIES = Table(
    "Communes",
    "municipality",
    (
        ID,
        Column("name", "Commune", width=30, max_length=200, required=True),
        Column("insee_code", "Code INSEE", width=10, max_length=5),
        Column("population", "Population", INTEGER, width=12),
        Column("population_year", "Année de la population", INTEGER, width=10, minimum=1800, maximum=2100),
        Column("neighbourhood_inhabitants", "Habitants en QPV", INTEGER, width=12),
        Column("stated_neighbourhood_share", "Part en QPV annoncée (%)", DECIMAL, width=12),
        Column("neighbourhoods", "Quartiers prioritaires (QPV)", NAMES, width=40),
    ),
)

TERRITORY_FIELDS = (
    Column("name", "Nom", width=40, max_length=300, required=True),
    Column("kind", "Type", CHOICE, choices=TERRITORY_KIND_CHOICES, what="un type de territoire"),
    Column("region", "Région", max_length=100),
    Column("department", "Département", max_length=100),
    Column("stated_municipality_count", "Nombre de communes annoncé", INTEGER),
    Column("stated_population", "Population annoncée", INTEGER),
    Column("stated_neighbourhood_count", "Nombre de QPV annoncé", INTEGER),
    Column("stated_neighbourhood_inhabitants", "Habitants en QPV annoncés", INTEGER),
)
TERRITORY_SHEET = "Territoire"
TERRITORY_HEADERS = ("Champ", "Valeur")

TABLES = (PLAN, OPERATIONS, INDICATORS, FUNDING, MUNICIPALITIES)
TABLES_BY_KIND = {t.kind: t for t in TABLES}


def target_column(period: str) -> Column:
    return Column(f"target:{period}", f"Cible {period}", DECIMAL, width=11)


def value_column(period: str) -> Column:
    return Column(f"value:{period}", f"Valeur {period}", DECIMAL, width=11)


def breakdown_column(period: str) -> Column:
    return Column(f"breakdown:{period}", f"Ventilation {period}", TEXT, width=34)


# ---------------------------------------------------------------- numbered labels

_NUMBERED = re.compile(
    r"^(?P<code>(?:(?:axe|orientation|objectif|priorit[ée]|fa|fiche action|action)\s*n?°?\s*)?"
    r"\d+(?:\.\d+)*[a-z]?)(?:\s*[.)\-–—:]\s*|\s+)(?P<title>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_ROMAN = re.compile(r"^(?P<code>[IVX]{1,5})\s*[.)\-–—:]\s*(?P<title>\S.*)$", re.DOTALL)


def numbered(code: str, title: str) -> str:
    """« 1. Titre » (the Territoires en Transitions convention), or the title alone."""
    if not code:
        return title
    return f"{code} {title}" if code.endswith((".", ")", ":")) else f"{code}. {title}"


def split_numbered(label: str) -> tuple[str, str]:
    """(code, title) of « 1.1. Améliorer l'air », « Axe 2 - Prévention », « II. Accès »."""
    label = " ".join(label.split())
    match = _NUMBERED.match(label) or _ROMAN.match(label)
    if match:
        return match["code"].rstrip("."), match["title"].strip()
    return "", label


def split_path(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(PATH_SEPARATOR.strip()) if part.strip()]
