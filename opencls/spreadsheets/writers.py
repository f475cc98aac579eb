"""Two writers, XLSX (openpyxl) and ODS (OpenDocument XML), of the same sheets.

A `SheetData` is what a sheet shows: headers, widths, rows of Python cell values (str, int,
float, date, bool, None), number formats, and the drop-down list of some columns. Drop-down
lists live in a hidden « Listes » sheet so labels may hold commas and be any length.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from opencls.spreadsheets.cells import is_formula_like, text_cell
from opencls.spreadsheets.layout import LISTS_SHEET

# Room left under the data for new rows to keep their drop-down lists.
EXTRA_VALIDATED_ROWS = 500
HEADER_FILL = "DDE5F5"


@dataclass
class SheetData:
    name: str
    headers: list[str]
    rows: list[list]
    widths: list[int] = field(default_factory=list)
    number_formats: list[str | None] = field(default_factory=list)
    lists: dict[int, str] = field(default_factory=dict)  # column index → list name
    hidden: bool = False
    freeze: bool = True
    wrap: bool = True


def _list_ranges(lists: dict[str, list[str]]) -> dict[str, tuple[str, int]]:
    """List name → (column letter in the Listes sheet, number of values)."""
    return {
        name: (get_column_letter(i), len(values)) for i, (name, values) in enumerate(lists.items(), start=1)
    }


def lists_sheet(lists: dict[str, list[str]]) -> SheetData:
    depth = max((len(v) for v in lists.values()), default=0)
    rows = [[values[i] if i < len(values) else None for values in lists.values()] for i in range(depth)]
    return SheetData(LISTS_SHEET, list(lists), rows, widths=[30] * len(lists), hidden=True, freeze=False)


# ---------------------------------------------------------------- XLSX


def write_xlsx(sheets: list[SheetData], lists: dict[str, list[str]]) -> bytes:
    # Write-only mode streams rows as they come: half the time of a full workbook in memory.
    workbook = Workbook(write_only=True)
    ranges = _list_ranges(lists)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in [*sheets, lists_sheet(lists)] if lists else sheets:
        ws = workbook.create_sheet(sheet.name)
        for index, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        if sheet.freeze:
            ws.freeze_panes = "A2"
        if sheet.hidden:
            ws.sheet_state = "hidden"
        last_row = len(sheet.rows) + 1
        for index, list_name in sheet.lists.items():
            letter, count = ranges[list_name]
            validation = DataValidation(
                type="list",
                formula1=f"{LISTS_SHEET}!${letter}$2:${letter}${count + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Valeur inconnue",
                error="Choisissez une valeur de la liste.",
            )
            column = get_column_letter(index + 1)
            validation.add(f"{column}2:{column}{last_row + EXTRA_VALIDATED_ROWS}")
            ws.data_validations.append(validation)
        header = []
        for title in sheet.headers:
            cell = text_cell(WriteOnlyCell(ws, value=title))
            cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
            header.append(cell)
        ws.append(header)
        formats = sheet.number_formats or [None] * len(sheet.headers)
        for values in sheet.rows:
            row = []
            for index, value in enumerate(values):
                number_format = formats[index] if index < len(formats) else None
                multiline = sheet.wrap and isinstance(value, str) and "\n" in value
                if value is None or not (number_format or multiline or is_formula_like(value)):
                    row.append(value)
                    continue
                cell = text_cell(WriteOnlyCell(ws, value=value))
                if number_format:
                    cell.number_format = number_format
                if multiline:
                    cell.alignment = wrap
                row.append(cell)
            ws.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# ---------------------------------------------------------------- ODS
# Written as XML directly: odfpy builds one Python object per cell and walks them all again on
# save (measured: 11.5 s for a 500-action plan, against 0.9 s here).

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:ooo="http://openoffice.org/2004/office" '
    'office:version="1.2"'
)
_SPACES = re.compile(r"(?<= ) +|^ +")
_CELL_STYLES = (
    '<number:date-style style:name="N-date"><number:day number:style="long"/><number:text>/</number:text>'
    '<number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>'
    "</number:date-style>"
    '<number:number-style style:name="N-amount"><number:number number:decimal-places="2" '
    'number:min-integer-digits="1" number:grouping="true"/></number:number-style>'
    '<style:style style:name="ce-date" style:family="table-cell" style:data-style-name="N-date"/>'
    '<style:style style:name="ce-amount" style:family="table-cell" style:data-style-name="N-amount"/>'
    '<style:style style:name="ce-header" style:family="table-cell"><style:table-cell-properties '
    f'fo:background-color="#{HEADER_FILL}" fo:wrap-option="wrap"/><style:text-properties fo:font-weight="bold"/>'
    "</style:style>"
    '<style:style style:name="ce-wrap" style:family="table-cell"><style:table-cell-properties '
    'fo:wrap-option="wrap" style:vertical-align="top"/></style:style>'
    '<style:style style:name="ta-shown" style:family="table"><style:table-properties table:display="true"/>'
    "</style:style>"
    '<style:style style:name="ta-hidden" style:family="table"><style:table-properties table:display="false"/>'
    "</style:style>"
)


def _ods_text(text: str) -> str:
    """Paragraphs of a text cell; runs of spaces and tabs kept as ODF spells them."""
    paragraphs = []
    for line in text.split("\n"):
        line = escape(line)
        line = _SPACES.sub(lambda m: f'<text:s text:c="{len(m.group())}"/>', line).replace(
            "\t", "<text:tab/>"
        )
        paragraphs.append(f"<text:p>{line}</text:p>")
    return "".join(paragraphs)


def _ods_cell(value, number_format: str | None, validation: str | None) -> str:
    extra = f' table:content-validation-name="{validation}"' if validation else ""
    if value is None:
        return f"<table:table-cell{extra}/>"
    if isinstance(value, datetime | date):
        shown = value.strftime("%d/%m/%Y")
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}" '
            f'table:style-name="ce-date"{extra}><text:p>{shown}</text:p></table:table-cell>'
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        style = ' table:style-name="ce-amount"' if number_format and "0.00" in number_format else ""
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}"{style}{extra}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    text = str(value)
    style = ' table:style-name="ce-wrap"' if "\n" in text else ""
    return f'<table:table-cell office:value-type="string"{style}{extra}>{_ods_text(text)}</table:table-cell>'


def _ods_column_width(width: int) -> str:
    # A spreadsheet « width unit » is about one character, ≈ 0.19 cm.
    return f"{width * 0.19:.2f}cm"


def write_ods(sheets: list[SheetData], lists: dict[str, list[str]]) -> bytes:
    ranges = _list_ranges(lists)
    all_sheets = [*sheets, lists_sheet(lists)] if lists else sheets
    widths = sorted({w for sheet in all_sheets for w in (sheet.widths or [20] * len(sheet.headers))})
    validations, names = [], {}
    for sheet in all_sheets:
        for index, list_name in sheet.lists.items():
            letter, count = ranges[list_name]
            name = f"val-{len(names) + 1}"
            names[(sheet.name, index)] = name
            validations.append(
                f'<table:content-validation table:name="{name}" table:allow-empty-cell="true" '
                f"table:condition=\"of:cell-content-is-in-list([$'{LISTS_SHEET}'.${letter}$2:.${letter}${count + 1}])\" "
                'table:display-list="unsorted"><table:error-message table:display="true" '
                'table:message-type="stop" table:title="Valeur inconnue"/></table:content-validation>'
            )
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NAMESPACES}>',
        "<office:automatic-styles>",
        _CELL_STYLES,
        *(
            f'<style:style style:name="co-{w}" style:family="table-column"><style:table-column-properties '
            f'style:column-width="{_ods_column_width(w)}"/></style:style>'
            for w in widths
        ),
        "</office:automatic-styles><office:body><office:spreadsheet>",
    ]
    if validations:
        parts += ["<table:content-validations>", *validations, "</table:content-validations>"]
    for sheet in all_sheets:
        shown = "ta-hidden" if sheet.hidden else "ta-shown"
        parts.append(f'<table:table table:name={quoteattr(sheet.name)} table:style-name="{shown}">')
        parts += [
            f'<table:table-column table:style-name="co-{w}"/>'
            for w in (sheet.widths or [20] * len(sheet.headers))
        ]
        parts.append("<table:table-row>")
        parts += [
            f'<table:table-cell office:value-type="string" table:style-name="ce-header">{_ods_text(h)}</table:table-cell>'
            for h in sheet.headers
        ]
        parts.append("</table:table-row>")
        formats = sheet.number_formats or [None] * len(sheet.headers)
        cell_validations = [names.get((sheet.name, i)) for i in range(len(sheet.headers))]
        for values in sheet.rows:
            parts.append("<table:table-row>")
            parts += [
                _ods_cell(value, formats[i] if i < len(formats) else None, cell_validations[i])
                for i, value in enumerate(values)
            ]
            parts.append("</table:table-row>")
        if any(cell_validations):
            # Empty rows under the data keep the drop-down lists for new lines.
            parts.append(f'<table:table-row table:number-rows-repeated="{EXTRA_VALIDATED_ROWS}">')
            parts += [_ods_cell(None, None, name) for name in cell_validations]
            parts.append("</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "".join(parts))
        archive.writestr(
            "styles.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODS_NAMESPACES}>'
            "<office:styles/></office:document-styles>",
        )
        archive.writestr("settings.xml", _ods_settings([s.name for s in all_sheets if s.freeze]))
        archive.writestr(
            "meta.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODS_NAMESPACES}>'
            "<office:meta><meta:generator>OpenCLS</meta:generator></office:meta></office:document-meta>",
        )
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
    return output.getvalue()


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{ODS_MIMETYPE}"/>'
    + "".join(
        f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>'
        for name in ("content.xml", "styles.xml", "settings.xml", "meta.xml")
    )
    + "</manifest:manifest>"
)


def _ods_settings(frozen: list[str]) -> str:
    """LibreOffice keeps frozen rows in settings.xml, per sheet."""
    items = (
        ("HorizontalSplitMode", "short", 0),
        ("VerticalSplitMode", "short", 2),
        ("HorizontalSplitPosition", "int", 0),
        ("VerticalSplitPosition", "int", 1),
        ("ActiveSplitRange", "short", 2),
        ("PositionLeft", "int", 0),
        ("PositionRight", "int", 0),
        ("PositionTop", "int", 0),
        ("PositionBottom", "int", 1),
    )
    entries = "".join(
        f"<config:config-item-map-entry config:name={quoteattr(name)}>"
        + "".join(
            f'<config:config-item config:name="{n}" config:type="{t}">{v}</config:config-item>'
            for n, t, v in items
        )
        + "</config:config-item-map-entry>"
        for name in frozen
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-settings {ODS_NAMESPACES}><office:settings>'
        '<config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed config:name="Views">'
        '<config:config-item-map-entry><config:config-item config:name="ViewId" config:type="string">view1'
        f'</config:config-item><config:config-item-map-named config:name="Tables">{entries}'
        "</config:config-item-map-named></config:config-item-map-entry></config:config-item-map-indexed>"
        "</config:config-item-set></office:settings></office:document-settings>"
    )
