"""What an uploaded file says, before comparing it with the database.

Both formats (OpenCLS's own layout, the Territoires en Transitions template) are read into
the same JSON-able `Source`: records per kind, each with its sheet and row, its canonical
values (only for the columns the file has) and how it refers to its fiche action. Problems
carry their sheet, row and column; unknown columns are listed, never dropped silently.
"""

import io
import re
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import datetime

from openpyxl.utils import get_column_letter

from opencls.spreadsheets.cells import CellError, clean_text, fold
from opencls.spreadsheets.layout import META_EXPORTED
from opencls.spreadsheets.reader import RawSheet, merged_label


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = [f"Feuille {self.sheet}"]
        if self.row:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne {self.column}")
        return f"{', '.join(where)} : {self.message}"


@dataclass
class Source:
    source: str  # "opencls" or "tet"
    contract_id: int | None = None
    exported_at: str | None = None  # ISO 8601: the version of OpenCLS the file was exported from
    # Kinds the file lists completely: a record missing from it is to be removed.
    complete: list[str] = field(default_factory=list)
    records: dict[str, list[dict]] = field(default_factory=dict)
    # IDs of rows that could not be read: still in the file, so never taken as removed.
    unreadable: dict[str, list[int]] = field(default_factory=dict)
    territory: dict | None = None
    periods: list[str] = field(default_factory=list)
    not_imported: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def add_problem(self, problem: Problem) -> None:
        self.errors.append(asdict(problem))

    def add_record(self, kind: str, record: dict) -> dict:
        self.records.setdefault(kind, []).append(record)
        return record

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Source":
        return cls(**data)


def exported_at(meta: RawSheet | None) -> str | None:
    """The version a file was exported from (`META_EXPORTED`), None when absent or unreadable."""
    for row in meta.rows if meta is not None else []:
        if len(row) > 1 and fold(clean_text(row[0])) == fold(META_EXPORTED):
            try:
                moment = datetime.fromisoformat(clean_text(row[1]))
            except ValueError:
                return None
            return moment.isoformat() if moment.tzinfo is not None else None
    return None


VERSION_PREFIX = "opencls-version:"
CORE_PROPERTIES = "docProps/core.xml"
_IDENTIFIER = re.compile(rf"<dc:identifier[^>]{{0,200}}>{VERSION_PREFIX}([^<]{{1,64}})</dc:identifier>")


def version_identifier(moment: datetime) -> str:
    """The document property (dc:identifier) that carries the version of a TeT export."""
    return f"{VERSION_PREFIX}{moment.isoformat()}"


def exported_at_from_properties(data: bytes) -> str | None:
    """The version an XLSX carries in its document properties, None when absent or unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(CORE_PROPERTIES)
            if info.file_size > 65_536:  # a few hundred bytes when written by OpenCLS
                return None
            match = _IDENTIFIER.search(archive.read(info).decode("utf-8", "replace"))
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    if match is None:
        return None
    try:
        moment = datetime.fromisoformat(match[1])
    except ValueError:
        return None
    return moment.isoformat() if moment.tzinfo is not None else None


def problem_text(problem: dict) -> str:
    return str(Problem(**problem))


@dataclass
class TableRows:
    """The data rows of a sheet: header per column, raw values per row."""

    headers: dict[int, str]  # column index (1-based) → header as written
    rows: list[tuple[int, dict[int, object]]]  # (row number, column index → value), empty rows left out


def read_rows(sheet: RawSheet, header_row: int, data_start: int, source: Source) -> TableRows:
    """Rows under the header, reporting formulas and merged cells of the data area."""
    header = sheet.rows[header_row - 1] if header_row - 1 < len(sheet.rows) else []
    headers = {i: clean_text(v) for i, v in enumerate(header, start=1) if clean_text(v)}
    for bounds in sheet.merged:
        min_col, min_row, max_col, max_row = bounds
        if max_row >= data_start:
            source.add_problem(
                Problem(
                    sheet.name,
                    max(min_row, data_start),
                    headers.get(min_col, get_column_letter(min_col)),
                    f"cellules fusionnées ({merged_label(bounds)}) : défusionnez-les et répétez la valeur "
                    "sur chaque ligne",
                )
            )
    for (row, column), formula in sorted(sheet.formulas.items()):
        if row >= data_start:
            source.add_problem(
                Problem(
                    sheet.name,
                    row,
                    headers.get(column, get_column_letter(column)),
                    f"la cellule contient une formule (« {formula[:60]} ») : remplacez-la par sa valeur "
                    "(copier, puis collage spécial « valeurs seulement »)",
                )
            )
    rows = []
    for number in range(data_start, len(sheet.rows) + 1):
        values = {i: v for i, v in enumerate(sheet.rows[number - 1], start=1) if v is not None and v != ""}
        if any(not (isinstance(v, str) and not v.strip()) for v in values.values()):
            rows.append((number, values))
    return TableRows(headers, rows)


def report_unknown(sheet: str, table: TableRows, known: set[int], source: Source) -> None:
    """Columns nobody reads: listed with every value they hold, so nothing goes unnoticed."""
    for index, header in table.headers.items():
        if index in known:
            continue
        values = [(row, cells[index]) for row, cells in table.rows if index in cells]
        source.not_imported.append(
            {
                "where": f"Feuille {sheet}, colonne {get_column_letter(index)} « {header} »",
                "text": f"{len(values)} valeur(s) non importée(s)" if values else "colonne vide",
            }
        )
        for row, value in values:
            source.not_imported.append(
                {"where": f"Feuille {sheet}, ligne {row}, colonne « {header} »", "text": clean_text(value)}
            )
    for row, cells in table.rows:
        for index in cells:
            if index not in table.headers and index not in known:
                source.not_imported.append(
                    {
                        "where": f"Feuille {sheet}, ligne {row}, colonne {get_column_letter(index)} (sans en-tête)",
                        "text": clean_text(cells[index]),
                    }
                )


def parse_cell(column, value, sheet: str, row: int, header: str, source: Source):
    """The canonical value, or None after recording the problem."""
    try:
        return True, column.parse(value)
    except CellError as error:
        source.add_problem(Problem(sheet, row, header, str(error)))
        return False, None


def header_index(headers: dict[int, str]) -> dict[str, int]:
    """Folded header → first column index holding it."""
    index: dict[str, int] = {}
    for column, header in headers.items():
        index.setdefault(fold(header), column)
    return index
