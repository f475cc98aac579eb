"""Spreadsheets built to exhaust the server: refused from the zip directory or a streaming count, before
openpyxl or the ODS parser builds them, in French, nothing written, within a bounded time."""

import io
import time
import zipfile

import pytest

from opencls.spreadsheets.reader import SpreadsheetError, read_workbook

# A refusal happens before any parsing; bounded by 60 s (half the wall-clock ceiling for documents), which
# includes the test client's own work on a loaded machine.
CEILING_SECONDS = 60
ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
    '<table:table table:name="Plan">{rows}</table:table></office:spreadsheet></office:body>'
    "</office:document-content>"
)


def timed_upload(upload, data: bytes, name: str):
    start = time.monotonic()
    result = upload(data, name)
    assert time.monotonic() - start < CEILING_SECONDS
    assert result.response.status_code == 400
    assert result.upload is None
    return result


def ods(rows: str, *, stream=None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        if stream:
            with archive.open("content.xml", "w") as entry:
                stream(entry)
        else:
            archive.writestr("content.xml", ODS_CONTENT.format(rows=rows))
    return output.getvalue()


def xlsx_with_sheet(sheet_xml_writer) -> bytes:
    """A minimal workbook whose one sheet is written by `sheet_xml_writer(entry)`."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            sheet_xml_writer(entry)
    return output.getvalue()


def test_an_xlsx_zip_bomb_is_refused_unread(upload):
    def bomb(entry):
        entry.write(b"<worksheet><sheetData>")
        for _ in range(60):
            entry.write(b" " * (1024 * 1024))
        entry.write(b"</sheetData></worksheet>")

    data = xlsx_with_sheet(bomb)
    assert len(data) < 200_000
    result = timed_upload(upload, data, "plan.xlsx")
    assert (
        "Une fois décompressée, la partie « xl/worksheets/sheet1.xml » de ce classeur ferait 60 Mo"
        in result.text
    )


def test_an_xlsx_part_under_the_ratio_but_over_the_part_limit_is_refused(upload, settings):
    settings.OPENCLS_MAX_XML_PART_BYTES = 1024 * 1024

    def rows(entry):
        entry.write(b"<worksheet><sheetData>")
        for number in range(1, 40_000):
            entry.write(
                b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%d</t></is></c></row>'
                % (number, number, number)
            )
        entry.write(b"</sheetData></worksheet>")

    result = timed_upload(upload, xlsx_with_sheet(rows), "plan.xlsx")
    assert "(limite : 1 Mo par partie) ; il a été refusé." in result.text


def test_an_xlsx_with_a_cell_past_the_column_limit_is_refused(upload):
    """One cell in column XFD would make every row 16 384 values wide."""

    def wide(entry):
        entry.write(b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c>')
        entry.write(b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')

    result = timed_upload(upload, xlsx_with_sheet(wide), "plan.xlsx")
    assert (
        "La feuille « Plan » compte plus de 300\u202f000 cellules ou plus de 1\u202f000 colonnes"
        in result.text
    )


def test_an_xlsx_with_too_many_cells_is_refused_before_openpyxl(settings):
    settings.OPENCLS_SPREADSHEET_MAX_CELLS = 10_000

    def cells(entry):
        entry.write(b"<worksheet><sheetData>")
        for number in range(1, 1_000):
            entry.write(b'<row r="%d">' % number)
            entry.write(
                b"".join(
                    b'<c r="%s%d"><v>%d</v></c>' % (col, number, number) for col in (b"A", b"B", b"C") * 5
                )
            )
            entry.write(b"</row>")
        entry.write(b"</sheetData></worksheet>")

    start = time.monotonic()
    with pytest.raises(SpreadsheetError, match="plus de 10\u202f000 cellules"):
        read_workbook(xlsx_with_sheet(cells))
    assert time.monotonic() - start < CEILING_SECONDS


def test_an_ods_zip_bomb_is_refused_unread(upload):
    def bomb(entry):
        for _ in range(30):  # 30 Mo: under the part and total limits, but compressed 1 000:1
            entry.write(b"<!-- -->" * (128 * 1024))

    result = timed_upload(upload, ods("", stream=bomb), "plan.ods")
    assert "anormalement compressé (bombe de décompression ?)" in result.text


def test_an_ods_value_repeated_a_billion_columns_is_refused(upload):
    cell = '<table:table-cell table:number-columns-repeated="1000000000" office:value-type="string"><text:p>x</text:p></table:table-cell>'
    data = ods(f"<table:table-row>{cell}</table:table-row>")
    assert len(data) < 2_000
    result = timed_upload(upload, data, "plan.ods")
    assert "plus de 1\u202f000 colonnes" in result.text


def test_an_ods_value_below_a_billion_empty_rows_is_refused(upload):
    empty = '<table:table-row table:number-rows-repeated="1000000000"><table:table-cell/></table:table-row>'
    value = '<table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    result = timed_upload(upload, ods(empty + value), "plan.ods")
    assert "compte plus de 300\u202f000 cellules" in result.text


def test_an_ods_with_too_many_cells_is_refused(settings):
    settings.OPENCLS_SPREADSHEET_MAX_CELLS = 1_000
    cells = (
        '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        * 50
    )
    rows = f"<table:table-row>{cells}</table:table-row>" * 30
    with pytest.raises(SpreadsheetError, match="plus de 1\u202f000 cellules"):
        read_workbook(ods(rows))
