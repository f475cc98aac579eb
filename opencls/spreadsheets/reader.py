"""Read an uploaded XLSX or ODS file into plain rows of cell values, refusing what cannot be
read safely: not a spreadsheet, a password-protected or Excel 97 file, too large, too many rows.

Formulas and merged cells are kept aside (not evaluated) so the importers can report them
with their sheet, row and column.
"""

import io
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from opencls.core.archives import ArchiveRefused, check_archive
from opencls.spreadsheets.cells import fold

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_MAX_ROWS = 1_048_576  # LibreOffice's last row

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROW = re.compile(rb"<(?:\w+:)?row[\s>]")
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|t)[\s>]")
# A cell whose first child is a formula: <c r="B2" …><f>SUM(…)</f> (or <f t="shared" …/>).
_FORMULA = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)'
)
# Every cell element, with its column letters when it has a reference.
_CELL = re.compile(rb'<(?:\w+:)?c(?:\s[^>]*?\br="([A-Z]{1,3})\d+")?[\s>/]')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


def max_rows() -> int:
    return settings.OPENCLS_SPREADSHEET_MAX_ROWS


def _too_many_cells(sheet_name: str) -> "SpreadsheetError":
    return SpreadsheetError(
        _(
            "La feuille « %(sheet)s » compte plus de %(limit)s cellules ou plus de %(columns)s colonnes : "
            "c'est plus qu'un plan d'action. Vérifiez que c'est le bon fichier, ou découpez-le."
        )
        % {
            "sheet": sheet_name,
            "limit": f"{settings.OPENCLS_SPREADSHEET_MAX_CELLS:,}".replace(",", "\u202f"),
            "columns": f"{settings.OPENCLS_SPREADSHEET_MAX_COLUMNS:,}".replace(",", "\u202f"),
        }
    )


class SpreadsheetError(Exception):
    """The file cannot be read as a plan; `messages` are French and shown as they are."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class RawSheet:
    name: str
    rows: list[list] = field(default_factory=list)  # rows[0] is the sheet's row 1
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column), 1-based
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # min_col, min_row, max_col, max_row
    hidden: bool = False
    filled: int = 0  # rows holding at least one value, counted while reading
    cells: int = 0  # cells stored, counted while reading (ODS repeats expand them)

    def value(self, row: int, column: int):
        """The value at 1-based `row`, `column`, None when outside."""
        if row - 1 < len(self.rows) and column - 1 < len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return None

    @property
    def is_empty(self) -> bool:
        return not any(any(v not in (None, "") for v in row) for row in self.rows)


@dataclass
class RawWorkbook:
    format: str  # "xlsx" or "ods"
    sheets: list[RawSheet]

    def sheet(self, name: str) -> RawSheet | None:
        wanted = fold(name)
        return next((s for s in self.sheets if fold(s.name) == wanted), None)


def merged_label(bounds: tuple[int, int, int, int]) -> str:
    min_col, min_row, max_col, max_row = bounds
    return f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"


def read_workbook(data: bytes) -> RawWorkbook:
    limit = settings.OPENCLS_MAX_UPLOAD_BYTES
    if not data:
        raise SpreadsheetError(_("Le fichier est vide."))
    if len(data) > limit:
        raise SpreadsheetError(
            _("Le fichier pèse %(size)s Mo : la limite est de %(limit)s Mo.")
            % {"size": round(len(data) / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
        )
    if data.startswith(OLE2_SIGNATURE):
        if ENCRYPTED_PACKAGE in data:
            raise SpreadsheetError(
                _(
                    "Ce fichier est protégé par mot de passe : OpenCLS ne peut pas le lire. "
                    "Ouvrez-le dans votre tableur, retirez le mot de passe (Fichier › Informations › "
                    "Protéger le classeur) et enregistrez-le au format .xlsx ou .ods."
                )
            )
        raise SpreadsheetError(
            _(
                "Ce fichier est au format Excel 97-2003 (.xls), qui n'est pas pris en charge : "
                "enregistrez-le au format .xlsx ou .ods."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SpreadsheetError(
            _("Ce fichier n'est pas un tableur : déposez un fichier .xlsx ou .ods.")
        ) from error
    try:
        check_archive(archive, _("ce classeur"))  # each part, the total and the ratio, unread
    except ArchiveRefused as refusal:
        archive.close()
        raise SpreadsheetError(refusal.message) from refusal
    with archive:
        if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
            workbook = _read_ods(archive)
        elif "xl/workbook.xml" in names:
            workbook = _read_xlsx(archive, data)
        else:
            raise SpreadsheetError(_("Ce fichier n'est pas un tableur : déposez un fichier .xlsx ou .ods."))
    if not workbook.sheets or all(sheet.is_empty for sheet in workbook.sheets):
        raise SpreadsheetError(_("Le classeur est vide : aucune feuille ne contient de données."))
    return workbook


def _too_many_rows(sheet_name: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "La feuille « %(sheet)s » compte plus de %(limit)s lignes remplies : c'est plus qu'un plan "
            "d'action. Vérifiez que c'est le bon fichier, ou découpez-le."
        )
        % {"sheet": sheet_name, "limit": f"{max_rows():,}".replace(",", "\u202f")}
    )


def _trim(rows: list[list]) -> list[list]:
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    return rows


# ---------------------------------------------------------------- XLSX


def _xlsx_sheet_info(archive: zipfile.ZipFile) -> dict[str, tuple[str, bool]]:
    """Sheet name → (path of its XML part, hidden)."""
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{PKG_REL_NS}}}Relationship")}
    info = {}
    for sheet in workbook.iter(f"{{{MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL_NS}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        info[sheet.get("name")] = (path, sheet.get("state", "visible") != "visible")
    return info


def _read_xlsx(archive: zipfile.ZipFile, data: bytes) -> RawWorkbook:
    with warnings.catch_warnings():
        # Excel extensions openpyxl cannot read (drop-down lists, conditional formats) hold no data.
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        return _read_xlsx_sheets(archive, data)


def _last_row_start(buffer: bytes) -> int:
    size = 1 << 16
    while True:
        offset = max(len(buffer) - size, 0)
        starts = [match.start() for match in _ROW.finditer(buffer, offset)]
        if starts or offset == 0:
            return starts[-1] if starts else 0
        size *= 4


def _scan_sheet(
    archive: zipfile.ZipFile, path: str, limit: int, sheet_name: str = ""
) -> tuple[int, dict[tuple[int, int], str]]:
    """Rows holding a value (counting stops past `limit`) and formula cells, read on the raw
    XML: a 100 000-row file is refused before openpyxl spends seconds on it, and the cells can
    then be read as plain values. Cells and columns past their settings are refused here too."""
    filled, pending, formulas = 0, b"", {}
    cells, max_cells = 0, settings.OPENCLS_SPREADSHEET_MAX_CELLS
    max_columns = settings.OPENCLS_SPREADSHEET_MAX_COLUMNS
    with archive.open(path) as stream:
        while True:
            chunk = stream.read(1 << 20)
            pending += chunk
            end = _last_row_start(pending) if chunk else len(pending)  # whole rows only
            complete, pending = pending[:end], pending[end:]
            for row in _ROW.split(complete)[1:]:
                if _VALUE.search(row):
                    filled += 1
            for match in _CELL.finditer(complete):
                cells += 1
                if match[1] and column_index_from_string(match[1].decode()) > max_columns:
                    raise _too_many_cells(sheet_name)
            if cells > max_cells:
                raise _too_many_cells(sheet_name)
            if b"<f" in complete or b":f" in complete:
                for match in _FORMULA.finditer(complete):
                    column, row_number = column_index_from_string(match[1].decode()), int(match[2])
                    formulas[(row_number, column)] = (match[3] or b"").decode(errors="replace")
            if filled > limit or not chunk:
                break
    return filled, formulas


def _read_xlsx_sheets(archive: zipfile.ZipFile, data: bytes) -> RawWorkbook:
    limit = max_rows()
    try:
        sheet_info = _xlsx_sheet_info(archive)
    except (KeyError, ET.ParseError) as error:
        raise SpreadsheetError(
            _("Ce classeur Excel est endommagé ou incomplet : ouvrez-le et enregistrez-le de nouveau.")
        ) from error
    names = set(archive.namelist())
    formulas = {}
    for name, (path, _hidden) in sheet_info.items():
        if path in names:
            filled, formulas[name] = _scan_sheet(archive, path, limit, name)
            if filled > limit:
                raise _too_many_rows(name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        raise SpreadsheetError(
            _("Ce classeur Excel est endommagé ou incomplet : ouvrez-le et enregistrez-le de nouveau.")
        ) from error
    sheets = []
    try:
        for worksheet in book.worksheets:
            sheet = RawSheet(name=worksheet.title)
            path, sheet.hidden = sheet_info.get(worksheet.title, ("", False))
            worksheet.reset_dimensions()  # some writers store a wrong used range
            sheet_formulas = formulas.get(worksheet.title, {})
            for row_index, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
                values = list(row)
                for column_index, value in enumerate(values, start=1):
                    formula = (row_index, column_index) in sheet_formulas
                    if formula or (
                        value is not None and not isinstance(value, str | int | float | bool | date)
                    ):
                        text = value if isinstance(value, str) else getattr(value, "text", None)
                        sheet.formulas[(row_index, column_index)] = str(
                            text or sheet_formulas.get((row_index, column_index)) or "="
                        )
                        values[column_index - 1] = None
                if any(v not in (None, "") for v in values):
                    sheet.filled += 1
                    if sheet.filled > limit:
                        raise _too_many_rows(worksheet.title)
                sheet.rows.append(values)
            _trim(sheet.rows)
            if path in archive.namelist():
                for ref in _MERGE.findall(archive.read(path)):
                    sheet.merged.append(range_boundaries(ref.decode()))
            sheets.append(sheet)
    finally:
        book.close()
    return RawWorkbook("xlsx", sheets)


# ---------------------------------------------------------------- ODS


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _ods_text(element) -> str:
    parts = []

    def walk(node):
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == _q("text", "s"):
                parts.append(" " * int(child.get(_q("text", "c"), "1")))
            elif child.tag == _q("text", "tab"):
                parts.append("\t")
            elif child.tag == _q("text", "line-break"):
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    paragraphs = []
    for paragraph in element.findall(_q("text", "p")):
        parts = []
        walk(paragraph)
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _ods_value(cell):
    kind = cell.get(_q("office", "value-type"))
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(_q("office", "value"), "0"))
        return int(number) if number.is_integer() else number
    if kind == "date":
        raw = cell.get(_q("office", "date-value"), "")
        return datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
    if kind == "boolean":
        return cell.get(_q("office", "boolean-value")) == "true"
    text = _ods_text(cell)
    return text if text != "" else None


def _read_ods(archive: zipfile.ZipFile) -> RawWorkbook:
    limit = max_rows()
    sheets: list[RawSheet] = []
    sheet = None
    row_index = 0
    try:
        with archive.open("content.xml") as content:
            for event, element in ET.iterparse(content, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == _q("table", "table"):
                        sheet = RawSheet(name=element.get(_q("table", "name"), ""))
                        row_index = 0
                    continue
                if tag == _q("table", "table-row") and sheet is not None:
                    row_index = _ods_row(sheet, element, row_index, limit)
                    element.clear()
                elif tag == _q("table", "table") and sheet is not None:
                    _trim(sheet.rows)
                    sheets.append(sheet)
                    sheet = None
                    element.clear()
    except (ET.ParseError, KeyError, ValueError) as error:
        raise SpreadsheetError(
            _("Ce classeur ODS est endommagé ou incomplet : ouvrez-le et enregistrez-le de nouveau.")
        ) from error
    return RawWorkbook("ods", sheets)


def _ods_row(sheet: RawSheet, element, row_index: int, limit: int) -> int:
    repeat_rows = int(element.get(_q("table", "number-rows-repeated"), "1"))
    values = []
    formulas = {}
    merges = []
    column = 0
    for cell in element:
        if cell.tag not in (_q("table", "table-cell"), _q("table", "covered-table-cell")):
            continue
        repeat = int(cell.get(_q("table", "number-columns-repeated"), "1"))
        value = _ods_value(cell) if cell.tag == _q("table", "table-cell") else None
        formula = cell.get(_q("table", "formula"))
        if value is None and formula is None:
            column += repeat
            continue
        if column + repeat > settings.OPENCLS_SPREADSHEET_MAX_COLUMNS:  # a value repeated 10⁹ times
            raise _too_many_cells(sheet.name)
        while len(values) < column:
            values.append(None)
        for offset in range(repeat):
            values.append(None if formula else value)
            if formula:
                formulas[column + offset + 1] = formula
        spanned_cols = int(cell.get(_q("table", "number-columns-spanned"), "1"))
        spanned_rows = int(cell.get(_q("table", "number-rows-spanned"), "1"))
        if spanned_cols > 1 or spanned_rows > 1:
            merges.append((column + 1, spanned_cols, spanned_rows))
        column += repeat
    if not values and not merges:
        return row_index + repeat_rows  # empty rows, often repeated a million times: never stored
    if row_index >= ODS_MAX_ROWS:  # a value below 10⁹ repeated empty rows would store them all
        raise _too_many_cells(sheet.name)
    for _repeat in range(min(repeat_rows, limit + 1)):
        row_index += 1
        while len(sheet.rows) < row_index - 1:
            sheet.rows.append([])
        sheet.rows.append(list(values))
        sheet.cells += len(values)
        if sheet.cells > settings.OPENCLS_SPREADSHEET_MAX_CELLS:
            raise _too_many_cells(sheet.name)
        for col, formula in formulas.items():
            sheet.formulas[(row_index, col)] = formula
        for col, span_cols, span_rows in merges:
            sheet.merged.append((col, row_index, col + span_cols - 1, row_index + span_rows - 1))
        if any(v not in (None, "") for v in values):
            sheet.filled += 1
            if sheet.filled > limit:
                raise _too_many_rows(sheet.name)
    return row_index
