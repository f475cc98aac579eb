"""The plan import template of Territoires en Transitions (TeT), both ways.

Reading accepts the template and its older variants: columns are found by header text
(trimmed, case- and accent-insensitive), the header row is searched for, the template's help
rows and worked example are skipped. Writing fills the template itself, so the file keeps its
sheet name, header rows, column order and cell formats, and TeT's own import accepts it.

TeT has eight statuses, OpenCLS five (the monitoring app's); `TET_STATUSES` says how they map.
"""

import io
import re
from copy import copy
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from warnings import catch_warnings, filterwarnings

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from opencls.monitoring.models import Status
from opencls.spreadsheets import cells
from opencls.spreadsheets.cells import CellError, clean_text, fold
from opencls.spreadsheets.layout import PARTICIPATION_CHOICES, PATH_SEPARATOR
from opencls.spreadsheets.models import Priority
from opencls.spreadsheets.reader import RawSheet, RawWorkbook
from opencls.spreadsheets.selectors import Snapshot
from opencls.spreadsheets.source import Problem, Source, read_rows, report_unknown, version_identifier

TEMPLATE_PATH = (
    Path(settings.BASE_DIR) / "opencls" / "demo" / "territoires-en-transitions-modele-import-pa.xlsx"
)
SHEET_NAME = "Fichier dimport"
LISTS_SHEET_NAME = "Listes déroulantes"
HEADER_ROW = 2
FIRST_DATA_ROW = 5
TITLE_LIMIT = 300
FUNDER_COLUMNS = 3
NO_AXIS = "Sans axe"

# TeT status → OpenCLS status. Several TeT statuses have no exact twin: « À discuter » has not
# started, « En retard » is still in progress, « Bloqué » waits like « En pause ».
TET_STATUSES = {
    "À venir": Status.NOT_STARTED,
    "À discuter": Status.NOT_STARTED,
    "En cours": Status.IN_PROGRESS,
    "Réalisé": Status.DONE,
    "En retard": Status.IN_PROGRESS,
    "En pause": Status.POSTPONED,
    "Bloqué": Status.POSTPONED,
    "Abandonné": Status.ABANDONED,
}
STATUS_TO_TET = {
    Status.NOT_STARTED: "À venir",
    Status.IN_PROGRESS: "En cours",
    Status.DONE: "Réalisé",
    Status.POSTPONED: "En pause",
    Status.ABANDONED: "Abandonné",
}
TET_PRIORITIES = {"Élevé": Priority.HIGH, "Moyen": Priority.MEDIUM, "Bas": Priority.LOW}
PRIORITY_TO_TET = {code: label for label, code in TET_PRIORITIES.items()}

# Normalised header (see `header_key`) → field. Older templates spell some differently.
HEADERS = {
    "axe": "axis",
    "sous-axe": "sub_axis",
    "sous axe": "sub_axis",
    "sous-sous axe": "sub_sub_axis",
    "sous-sous-axe": "sub_sub_axis",
    "sous sous axe": "sub_sub_axis",
    "titre de la fiche action": "title",
    "titre de l'action": "title",
    "titre de la fiche": "title",
    "titre": "title",
    "titre de la sous-action": "operation",
    "descriptif": "description",
    "description": "description",
    "instances de gouvernance": "governance_text",
    "objectifs": "objectives_text",
    "structure pilote": "leads",
    "structures pilotes": "leads",
    "partenaires": "partners",
    "participation citoyenne": "participation",
    "financements": "funding_text",
    "financeur 1": "funder:1",
    "financeur 2": "funder:2",
    "financeur 3": "funder:3",
    "budget previsionnel total": "budget",
    "budget previsionnel": "budget",
    "statut": "status",
    "niveau de priorite": "priority",
    "date de debut": "start_date",
    "date de fin": "end_date",
    "calendrier": "schedule",
    "cibles": "target_publics",
}
FIELD_LABELS = {
    "schedule": "Calendrier",
    "target_publics": "Publics cibles",
    "context": "Contexte et enjeux",
    "area": "Secteur géographique",
    "deliverables": "Livrables",
}
# Fields a sub-action row (an operation) can hold; the others are reported as not imported.
OPERATION_FIELDS = {
    "description",
    "leads",
    "partners",
    "funding_text",
    "status",
    "start_date",
    "end_date",
    "schedule",
    "target_publics",
}
# Rows of the blank template that are help, not data.
HELP_MARKERS = (
    "champ texte",
    "champ liste",
    "champ numerique",
    "champ date",
    "champ binaire",
    "ce champ ne sera pas integre lors de l'importation",
)
EXAMPLE_MARKER = "ces informations devront etre saisies directement sur la plateforme"
_CODE_IN_TITLE = re.compile(
    r"^(?P<code>(?:(?:fa|fiche action|action)\s*n?°?\s*)?\d+(?:\.\d+)*[a-z]?)\s*(?:[-–—:]|\.\s)\s*(?P<title>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


def header_key(header: str) -> str:
    """« Sous-axe (x.x) » → « sous-axe », « Budget prévisionnel total € HT » → « budget previsionnel total »."""
    key = re.sub(r"\([^)]*\)", " ", fold(header))
    key = re.sub(r"€|\b(ht|ttc)\b", " ", key)
    return " ".join(key.split()).strip(" :")


def split_code(title: str) -> tuple[str, str]:
    """« FA 1.2 - Titre » or « 1.1.1.1. Titre » → (code, title); else ("", title)."""
    match = _CODE_IN_TITLE.match(title)
    if match and len(match["code"]) <= 30:
        return match["code"].strip(), match["title"].strip()
    return "", title


def title_with_code(code: str, title: str) -> str:
    return f"{code} - {title}" if code else title


def is_tet(workbook: RawWorkbook) -> bool:
    return _find_header(workbook) is not None


def _find_header(workbook: RawWorkbook) -> tuple[RawSheet, int] | None:
    """The sheet and row whose cells name the most template columns (a title column among them)."""
    best = None
    for sheet in workbook.sheets:
        for number, row in enumerate(sheet.rows[:10], start=1):
            fields = [HEADERS.get(header_key(clean_text(v))) for v in row if clean_text(v)]
            if "title" not in fields and "operation" not in fields:
                continue
            score = sum(1 for f in fields if f)
            if score >= 3 and (best is None or score > best[2]):
                best = (sheet, number, score)
    return (best[0], best[1]) if best else None


def _list(value) -> list[str]:
    """TeT separates names with commas, with or without a space."""
    return cells.split_names(value, separators=",;\n")


class _RowReader:
    def __init__(self, sheet: RawSheet, columns: dict[int, str], headers: dict[int, str], source: Source):
        self.sheet, self.columns, self.headers, self.source = sheet, columns, headers, source

    def problem(self, row: int, index: int, message: str) -> None:
        self.source.add_problem(Problem(self.sheet.name, row, self.headers[index].strip(), message))

    def read(self, row: int, row_cells: dict[int, object]) -> dict:
        """field → canonical value, for the cells of the row that are filled."""
        values = {}
        for index, field_name in self.columns.items():
            raw = row_cells.get(index)
            if cells.is_blank(raw):
                continue
            try:
                values[field_name] = self._parse(field_name, raw)
            except CellError as error:
                self.problem(row, index, str(error))
        return values

    def _parse(self, field_name: str, raw):
        if field_name in ("leads", "partners"):
            return _list(raw)
        if field_name.startswith("funder:"):
            names = _list(raw)
            if len(names) > 1:
                raise CellError(
                    f"un seul financeur par colonne (« {clean_text(raw)} ») : mettez les autres dans "
                    "« Financeur 2 » ou « Financeur 3 »"
                )
            return names[0] if names else ""
        if field_name.startswith("amount:") or field_name == "budget":
            return cells.parse_amount(raw)
        if field_name == "status":
            return _tet_choice(raw, TET_STATUSES, "un statut")
        if field_name == "priority":
            return _tet_choice(raw, TET_PRIORITIES, "un niveau de priorité")
        if field_name == "participation":
            return cells.parse_choice(raw, PARTICIPATION_CHOICES, what="un niveau de participation citoyenne")
        if field_name in ("start_date", "end_date"):
            return cells.parse_date(raw, end_of_period=field_name == "end_date")
        return clean_text(raw)


def _tet_choice(raw, mapping: dict, what: str) -> str:
    folded = fold(clean_text(raw))
    for label, code in mapping.items():
        if folded == fold(label):
            return code
    raise CellError(
        f"« {clean_text(raw)} » n'est pas {what} connu (valeurs possibles : {', '.join(mapping)})"
    )


def read_tet(workbook: RawWorkbook) -> Source:
    source = Source("tet")
    found = _find_header(workbook)
    if found is None:
        source.add_problem(
            Problem(
                workbook.sheets[0].name,
                None,
                "",
                "ligne d'en-tête introuvable : aucune ligne ne porte les titres du modèle Territoires en "
                "Transitions (« Axe (x) », « Titre de la fiche action », « Statut »…)",
            )
        )
        return source
    sheet, header_row = found
    rows = read_rows(sheet, header_row, header_row + 1, source)
    columns: dict[int, str] = {}
    last_funder = None
    for index, header in sorted(rows.headers.items()):
        key = header_key(header)
        field_name = HEADERS.get(key)
        if field_name and field_name not in columns.values():
            columns[index] = field_name
            last_funder = field_name.split(":")[1] if field_name.startswith("funder:") else None
        elif key.startswith("montant") and last_funder:
            columns[index] = f"amount:{last_funder}"  # the amount right after « Financeur N »
            last_funder = None
    data_rows = []
    for number, row_cells in rows.rows:
        texts = [fold(clean_text(v)) for v in row_cells.values() if isinstance(v, str)]
        if any(t.startswith(HELP_MARKERS) for t in texts):
            continue
        if sum(EXAMPLE_MARKER in t for t in texts) >= 2:
            source.warnings.append(f"Ligne {number} : l'exemple du modèle a été ignoré.")
            continue
        data_rows.append((number, row_cells))
    rows.rows = data_rows
    report_unknown(sheet.name, rows, set(columns), source)
    reader = _RowReader(sheet, columns, rows.headers, source)
    actions: dict[tuple[str, str], int] = {}  # (axis path, folded title) → record index
    last_action = None
    for number, row_cells in rows.rows:
        values = reader.read(number, row_cells)
        title = values.pop("title", "")
        operation_title = values.pop("operation", "")
        if not title and not operation_title:
            if values:
                source.add_problem(
                    Problem(
                        sheet.name,
                        number,
                        "Titre de la fiche action",
                        "la ligne n'a ni titre de fiche action ni titre de sous-action",
                    )
                )
            continue
        for level in LEVELS:
            if level in values and HEADERS.get(header_key(values[level])) in LEVELS:
                source.warnings.append(
                    f"Ligne {number} : « {values.pop(level)} » ne fait que répéter le nom de sa colonne : "
                    "ce niveau est ignoré."
                )
        path = _path(values)
        if title:
            code, bare_title = split_code(title)
            key = (fold(path[0]) + "|" + fold(path[1]), fold(bare_title))
            if key in actions and not operation_title:
                first = source.records["action"][actions[key]]["row"]
                source.add_problem(
                    Problem(
                        sheet.name,
                        number,
                        "Titre de la fiche action",
                        f"la fiche « {bare_title[:80]} » apparaît déjà ligne {first} dans le même axe",
                    )
                )
                continue
            if key not in actions:
                action_values = {"axis": path[0], "objective": path[1], "title": bare_title}
                if code:  # a title without a code leaves the fiche's code as it is
                    action_values["code"] = code
                if not operation_title:
                    action_values |= {
                        k: v for k, v in values.items() if not k.startswith(("funder:", "amount:"))
                    }
                    action_values.pop("budget", None)
                    _funding(source, sheet.name, values, number, len(source.records.get("action", [])), None)
                source.add_record(
                    "action",
                    {"pk": None, "sheet": sheet.name, "row": number, "values": action_values, "match": True},
                )
                actions[key] = len(source.records["action"]) - 1
            last_action = actions[key]
        if operation_title:
            if last_action is None:
                source.add_problem(
                    Problem(
                        sheet.name,
                        number,
                        "Titre de la sous-action",
                        "cette sous-action ne suit aucune fiche action : ajoutez le titre de sa fiche",
                    )
                )
                continue
            operation_values = {"title": operation_title}
            for key_name, value in values.items():
                if key_name in OPERATION_FIELDS:
                    operation_values[key_name] = value
                elif not key_name.startswith(("funder:", "amount:")) and key_name != "budget":
                    header = next(rows.headers[i] for i, f in columns.items() if f == key_name)
                    source.not_imported.append(
                        {
                            "where": f"Feuille {sheet.name}, ligne {number}, colonne « {header.strip()} »",
                            "text": f"{_shown(value)} (une sous-action n'a pas ce champ dans OpenCLS)",
                        }
                    )
            source.add_record(
                "operation",
                {
                    "pk": None,
                    "sheet": sheet.name,
                    "row": number,
                    "values": operation_values,
                    "action": {"record": last_action},
                    "match": True,
                },
            )
            _funding(source, sheet.name, values, number, last_action, len(source.records["operation"]) - 1)
    if "action" not in source.records and not source.errors:
        source.add_problem(Problem(sheet.name, None, "", "la feuille ne contient aucune fiche action"))
    return source


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


LEVELS = ("axis", "sub_axis", "sub_sub_axis")


def _path(values: dict) -> tuple[str, str]:
    """(axis label, objective path) from Axe / Sous-axe / Sous-sous axe. Some plans leave
    « Sous-axe » empty and put the level in « Sous-sous axe »: empty levels are skipped."""
    levels = [values.pop(k, "") for k in ("axis", "sub_axis", "sub_sub_axis")]
    parts = [p for level in levels for p in level.split(PATH_SEPARATOR.strip()) if p.strip()]
    parts = [" ".join(p.split()) for p in parts]
    if not parts:
        return NO_AXIS, ""
    return parts[0], PATH_SEPARATOR.join(parts[1:])


def _funding(
    source: Source, sheet: str, values: dict, row: int, action_index: int, operation_index: int | None
) -> None:
    """Financeur 1–3 with their amounts, and what the total budget leaves unassigned."""
    refs = {
        "action": {"record": action_index},
        "operation": {} if operation_index is None else {"record": operation_index},
    }
    assigned = Decimal(0)
    for n in range(1, FUNDER_COLUMNS + 1):
        funder = values.get(f"funder:{n}", "")
        amount = values.get(f"amount:{n}")
        if not funder and amount is None:
            continue
        assigned += Decimal(amount or 0)
        source.add_record(
            "funding_total",
            {"sheet": sheet, "row": row, **refs, "values": {"funder": funder, "planned_amount": amount}},
        )
    budget = values.get("budget")
    if budget is None:
        return
    rest = Decimal(budget) - assigned
    if rest < 0:
        source.warnings.append(
            f"Ligne {row} : le budget prévisionnel ({cells.amount_text(budget)}) est inférieur à la somme "
            f"des financeurs ({cells.amount_text(f'{assigned:.2f}')}) ; seuls les financeurs sont importés."
        )
        return
    source.add_record(
        "funding_total",
        {"sheet": sheet, "row": row, **refs, "values": {"funder": "", "planned_amount": f"{rest:.2f}"}},
    )


# ---------------------------------------------------------------- export


def _whole_euros(total: Decimal, warnings: list[str], where: str) -> int:
    rounded = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if rounded != total:
        warnings.append(
            f"{where} : {cells.amount_text(f'{total:.2f}')} arrondi à {rounded} € (TeT attend des euros entiers)."
        )
    return rounded


def _funders(lines: list[dict], warnings: list[str], where: str) -> tuple[list[tuple[str, Decimal]], Decimal]:
    """Planned amounts summed per funder (first three funders), and the total budget."""
    per_funder: dict[str, Decimal] = {}
    total = Decimal(0)
    for line in lines:
        amount = Decimal(line["planned_amount"] or 0)
        total += amount
        if line["funder"]:
            per_funder[line["funder"]] = per_funder.get(line["funder"], Decimal(0)) + amount
    funders = list(per_funder.items())
    if len(funders) > FUNDER_COLUMNS:
        extra = ", ".join(name for name, _amount in funders[FUNDER_COLUMNS:])
        warnings.append(
            f"{where} : le modèle n'a que trois colonnes « Financeur » ; {extra} ne figure(nt) que dans "
            "le budget prévisionnel total."
        )
    return funders[:FUNDER_COLUMNS], total


def tet_rows(snapshot: Snapshot, warnings: list[str]) -> list[dict]:
    """One dict per template row (field → cell value): each action, then its operations."""
    operations_by_action: dict[int, list[tuple[int, dict]]] = {}
    for pk, values in snapshot.records["operation"].items():
        operations_by_action.setdefault(values["action_id"], []).append((pk, values))
    funding_by_owner: dict[tuple[int, int | None], list[dict]] = {}
    for values in snapshot.records["funding"].values():
        funding_by_owner.setdefault((values["action_id"], values["operation_id"]), []).append(values)
    rows = []
    for pk, action in snapshot.records["action"].items():
        where = f"Fiche {snapshot.action_label(pk)[:60]}"
        levels = action["objective"].split(PATH_SEPARATOR) if action["objective"] else []
        if len(levels) > 2:
            levels = [levels[0], PATH_SEPARATOR.join(levels[1:])]
        axes = {"axis": action["axis"], "sub_axis": "", "sub_sub_axis": ""}
        for name, level in zip(("sub_axis", "sub_sub_axis"), levels, strict=False):
            axes[name] = level
        title = title_with_code(action["code"], action["title"])
        if len(title) > TITLE_LIMIT:
            warnings.append(
                f"{where} : l'intitulé dépasse {TITLE_LIMIT} caractères, il est tronqué dans le fichier TeT."
            )
            title = title[: TITLE_LIMIT - 1] + "…"
        row = {**axes, "title": title, **_work(action, warnings, where)}
        row |= {
            "context": action["context"],
            "area": action["area"],
            "deliverables": "\n".join(action["deliverables"]),
            "governance_text": action["governance_text"],
            "objectives_text": action["objectives_text"],
            "participation": PARTICIPATION_CHOICES.get(action["participation"], ""),
            "priority": PRIORITY_TO_TET.get(action["priority"], ""),
        }
        row |= _funding_cells(funding_by_owner.get((pk, None), []), warnings, where)
        rows.append(row)
        for operation_pk, operation in operations_by_action.get(pk, []):
            operation_where = f"{where}, opération « {operation['title'][:40]} »"
            operation_title = operation["title"]
            if len(operation_title) > TITLE_LIMIT:
                warnings.append(f"{operation_where} : l'intitulé est tronqué à {TITLE_LIMIT} caractères.")
                operation_title = operation_title[: TITLE_LIMIT - 1] + "…"
            lines = funding_by_owner.get((pk, operation_pk), [])
            row = {
                **axes,
                "title": "",
                "operation": operation_title,
                **_work(operation, warnings, operation_where),
                "deliverables": "\n".join(operation["deliverables"]),
            }
            row |= _funding_cells(lines, warnings, operation_where)
            rows.append(row)
    if snapshot.records["operation"]:
        warnings.append(
            "TeT n'importe pas les lignes de sous-actions (opérations) : elles figurent dans le fichier "
            "pour que rien ne se perde, mais il faudra les saisir sur la plateforme."
        )
    columns = template_columns()
    unheld = {k for row in rows for k, v in row.items() if v not in ("", None) and k not in columns}
    for field_name in sorted(unheld, key=lambda name: FIELD_LABELS.get(name, name)):
        warnings.append(
            f"Le modèle TeT n'a pas de colonne « {FIELD_LABELS.get(field_name, field_name)} » : "
            "cette information n'est pas exportée."
        )
    if snapshot.records["indicator"]:
        warnings.append("Le modèle TeT n'importe pas les indicateurs : ils ne sont pas exportés.")
    return rows


@cache
def template_columns() -> dict[str, int]:
    """Field → column of the template's header row (found by header text, like any TeT file)."""
    with catch_warnings():
        filterwarnings("ignore", category=UserWarning, module="openpyxl")
        workbook = load_workbook(TEMPLATE_PATH, read_only=True)
        header = next(
            workbook[SHEET_NAME].iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True)
        )
        workbook.close()
    columns: dict[str, int] = {}
    last_funder = None
    for column, value in enumerate(header, start=1):
        key = header_key(clean_text(value))
        field_name = HEADERS.get(key)
        if field_name and field_name not in columns:
            columns[field_name] = column
            last_funder = field_name.split(":")[1] if field_name.startswith("funder:") else None
        elif key.startswith("montant") and last_funder:
            columns[f"amount:{last_funder}"] = column  # the amount right after « Financeur N »
            last_funder = None
    return columns


def _names(names: list[str], warnings: list[str], where: str) -> str:
    if any("," in name for name in names):
        warnings.append(f"{where} : un nom d'organisation contient une virgule ; TeT le coupera en deux.")
    return ", ".join(names)


def _work(values: dict, warnings: list[str], where: str) -> dict:
    return {
        "description": values["description"],
        "leads": _names(values["leads"], warnings, where),
        "partners": _names(values["partners"], warnings, where),
        "funding_text": values["funding_text"],
        "status": STATUS_TO_TET.get(values["status"], ""),
        "start_date": cells.date_cell(values["start_date"]),
        "end_date": cells.date_cell(values["end_date"]),
        "schedule": values["schedule"],
        "target_publics": values["target_publics"],
    }


def _funding_cells(lines: list[dict], warnings: list[str], where: str) -> dict:
    funders, total = _funders(lines, warnings, where)
    row = {}
    for n, (name, amount) in enumerate(funders, start=1):
        row[f"funder:{n}"] = name
        row[f"amount:{n}"] = _whole_euros(amount, warnings, where)
    if lines:
        row["budget"] = _whole_euros(total, warnings, where)
    return row


def write_tet(snapshot: Snapshot) -> tuple[bytes, list[str]]:
    """The template filled with the plan, and what could not be written exactly."""
    warnings: list[str] = []
    rows = tet_rows(snapshot, warnings)
    with catch_warnings():  # the template's drop-down lists are added back below
        filterwarnings("ignore", category=UserWarning, module="openpyxl")
        workbook = load_workbook(TEMPLATE_PATH)
    sheet = workbook[SHEET_NAME]
    columns = template_columns()
    styles = {c.column: c for c in sheet[FIRST_DATA_ROW]}
    last_template_row = sheet.max_row
    for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, max_row=last_template_row):
        for cell in row:
            cell.value = None
    for offset, values in enumerate(rows):
        number = FIRST_DATA_ROW + offset
        for field_name, column in columns.items():
            cell = sheet.cell(row=number, column=column)
            if number > last_template_row and column in styles:
                # The template formats 199 rows; further rows take row 5's format (its style ids:
                # copying each style object is a hundred times slower).
                cell._style = copy(styles[column]._style)
            value = values.get(field_name)
            cell.value = value if value not in ("", None) else None
            cells.text_cell(cell)
    last_row = max(last_template_row, FIRST_DATA_ROW + len(rows) - 1)
    _validations(sheet, columns, last_template_row, last_row)
    # The version it was exported from, in the document properties: the template's sheets stay
    # exactly those Territoires en Transitions expects.
    workbook.properties.identifier = version_identifier(snapshot.taken_at)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue(), warnings


def _validations(sheet, columns: dict[str, int], template_rows: int, last_row: int) -> None:
    """Drop-down lists of the template (kept by Excel in an extension openpyxl cannot carry)
    are added back; the template's own checks are stretched to the last row."""
    for validation in sheet.data_validations.dataValidation:
        ranges = []
        for cell_range in validation.sqref.ranges:
            min_col, min_row, max_col, max_row = cell_range.bounds
            max_row = last_row if max_row >= template_rows else max_row
            ranges.append(f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}")
        validation.sqref = type(validation.sqref)(" ".join(ranges))
    for field_name, list_column, count in (
        ("status", "C", 8),
        ("priority", "D", 3),
        ("participation", "E", 5),
    ):
        if field_name not in columns:
            continue
        letter = get_column_letter(columns[field_name])
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET_NAME}'!${list_column}$2:${list_column}${count + 1}",
            allow_blank=True,
        )
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        sheet.add_data_validation(validation)
