"""Read a file in OpenCLS's own layout (see `layout`) back into a `Source`."""

import re

from opencls.spreadsheets import cells
from opencls.spreadsheets.cells import CellError, clean_text, fold
from opencls.spreadsheets.layout import (
    META_CONTRACT,
    META_SHEET,
    PERIOD_HEADER,
    TABLES,
    TERRITORY_FIELDS,
    TERRITORY_SHEET,
    Column,
    Table,
)
from opencls.spreadsheets.reader import RawSheet, RawWorkbook
from opencls.spreadsheets.source import Problem, Source, exported_at, parse_cell, read_rows, report_unknown

REFERENCE_KEYS = {"action_id": ("action", "id"), "action_code": ("action", "code")}
REFERENCE_KEYS |= {"operation_id": ("operation", "id"), "operation": ("operation", "title")}
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def is_opencls(workbook: RawWorkbook) -> bool:
    return workbook.sheet(META_SHEET) is not None and workbook.sheet(TABLES[0].sheet) is not None


def read_opencls(workbook: RawWorkbook) -> Source:
    source = Source("opencls")
    meta = workbook.sheet(META_SHEET)
    for row in meta.rows:
        if len(row) > 1 and fold(clean_text(row[0])) == fold(META_CONTRACT):
            try:
                source.contract_id = cells.parse_integer(row[1], minimum=1)
            except CellError:
                source.add_problem(Problem(META_SHEET, None, "", "le numéro du contrat est illisible"))
    source.exported_at = exported_at(meta)
    for table in TABLES:
        sheet = workbook.sheet(table.sheet)
        if sheet is None:
            source.warnings.append(
                f"La feuille « {table.sheet} » est absente du fichier : ce qu'elle contient d'habitude "
                "n'est pas modifié."
            )
            continue
        _read_table(sheet, table, source)
    territory = workbook.sheet(TERRITORY_SHEET)
    if territory is not None:
        _read_territory(territory, source)
    return source


def _columns(
    table: Table, headers: dict[int, str], source: Source, sheet: RawSheet
) -> dict[int, Column] | None:
    by_header = table.by_header
    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, header in headers.items():
        folded = fold(header)
        match = PERIOD_HEADER.match(folded) if table.kind == "indicator" else None
        if match:
            period = match[2].upper()
            prefix = {"cible": "target:", "valeur": "value:", "ventilation": "breakdown:"}[match[1]]
            column = Column(prefix + period, header, cells.TEXT if prefix == "breakdown:" else cells.DECIMAL)
        else:
            column = by_header.get(folded)
        if column is None:
            continue
        if column.key in seen:
            source.add_problem(
                Problem(sheet.name, 1, header, "cette colonne apparaît deux fois : gardez-en une seule")
            )
            continue
        seen[column.key] = index
        columns[index] = column
    if not columns:
        source.add_problem(
            Problem(
                sheet.name,
                1,
                "",
                "ligne d'en-tête introuvable : la première ligne doit porter les titres des colonnes ("
                + ", ".join(c.header for c in table.columns[:5])
                + "…)",
            )
        )
        return None
    missing = [c.header for c in table.columns if (c.required or c.key == "id") and c.key not in seen]
    if missing:
        for header in missing:
            source.add_problem(
                Problem(
                    sheet.name,
                    1,
                    header,
                    "colonne absente : elle est nécessaire pour relire la feuille (ne la supprimez pas, "
                    "ne la renommez pas)",
                )
            )
        return None
    return columns


def _read_table(sheet: RawSheet, table: Table, source: Source) -> None:
    if sheet.is_empty:
        source.add_problem(
            Problem(sheet.name, None, "", "la feuille est vide : la ligne d'en-tête et les données manquent")
        )
        return
    rows = read_rows(sheet, 1, 2, source)
    columns = _columns(table, rows.headers, source, sheet)
    if columns is None:
        return
    report_unknown(sheet.name, rows, set(columns), source)
    source.complete.append(table.kind)
    seen_ids: dict[int, int] = {}
    for number, row_cells in rows.rows:
        record = {"pk": None, "sheet": sheet.name, "row": number, "values": {}, "action": {}, "operation": {}}
        ok = True
        for index, column in columns.items():
            parsed, value = parse_cell(
                column, row_cells.get(index), sheet.name, number, column.header, source
            )
            ok &= parsed
            if not parsed:
                continue
            if column.key == "id":
                record["pk"] = value
            elif column.key in REFERENCE_KEYS:
                target, attribute = REFERENCE_KEYS[column.key]
                if value not in (None, ""):
                    record[target][attribute] = value
            elif column.key.startswith(("target:", "value:", "breakdown:")):
                kind, period = column.key.split(":")
                record["values"].setdefault(kind + "s", {})[period] = value
            else:
                record["values"][column.key] = value
        problem = None if not ok else _check_record(table, record, columns)
        if problem:
            source.add_problem(Problem(sheet.name, number, *problem))
        if not ok or problem:
            if record["pk"] is not None:
                source.unreadable.setdefault(table.kind, []).append(record["pk"])
            continue
        if record["pk"] is not None:
            if record["pk"] in seen_ids:
                source.add_problem(
                    Problem(
                        sheet.name,
                        number,
                        "ID",
                        f"l'identifiant {record['pk']} est déjà utilisé ligne {seen_ids[record['pk']]} : "
                        "une ligne copiée garde son ID, videz-le pour créer une nouvelle ligne",
                    )
                )
                continue
            seen_ids[record["pk"]] = number
        source.add_record(table.kind, record)


def _check_record(table: Table, record: dict, columns: dict[int, Column]) -> tuple[str, str] | None:
    values = record["values"]
    for column in columns.values():
        if column.required and column.key in values and values[column.key] in ("", None):
            return column.header, "cette cellule est obligatoire"
    if table.kind in ("operation", "indicator", "funding") and not record["action"]:
        return (
            "ID fiche action",
            "indiquez l'ID ou le code de la fiche action à laquelle la ligne se rattache",
        )
    if table.kind == "municipality" and values.get("insee_code"):
        code = values["insee_code"]
        code = code.zfill(5) if code.isdigit() else code.upper()
        if not INSEE.match(code):
            return (
                "Code INSEE",
                f"« {values['insee_code']} » n'est pas un code INSEE (5 caractères, ex. 59009)",
            )
        values["insee_code"] = code
    return None


def _read_territory(sheet: RawSheet, source: Source) -> None:
    fields = {fold(c.header): c for c in TERRITORY_FIELDS}
    values = {}
    for number, row in enumerate(sheet.rows[1:], start=2):
        label = clean_text(row[0] if row else None)
        value = row[1] if len(row) > 1 else None
        extra = [v for v in row[2:] if v not in (None, "")]
        if extra:
            source.not_imported.append(
                {
                    "where": f"Feuille {sheet.name}, ligne {number}",
                    "text": " ; ".join(clean_text(v) for v in extra),
                }
            )
        if not label:
            if value not in (None, ""):
                source.not_imported.append(
                    {"where": f"Feuille {sheet.name}, ligne {number}", "text": clean_text(value)}
                )
            continue
        column = fields.get(fold(label))
        if column is None:
            source.not_imported.append(
                {"where": f"Feuille {sheet.name}, ligne {number} « {label} »", "text": clean_text(value)}
            )
            continue
        parsed, parsed_value = parse_cell(column, value, sheet.name, number, "Valeur", source)
        if parsed:
            if column.required and not parsed_value:
                source.add_problem(
                    Problem(sheet.name, number, "Valeur", "le nom du territoire est obligatoire")
                )
                continue
            values[column.key] = parsed_value
    source.territory = values
