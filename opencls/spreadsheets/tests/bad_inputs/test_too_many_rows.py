import io

from openpyxl import Workbook


def test_a_100000_row_file_is_refused_before_being_read(upload):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Plan")
    sheet.append(["ID", "Axe", "Intitulé"])
    for number in range(100_000):
        sheet.append([None, "1. Axe", number])
    output = io.BytesIO()
    workbook.save(output)

    result = upload(output.getvalue())

    assert result.response.status_code == 400
    assert "La feuille « Plan » compte plus de 5\u202f000 lignes remplies" in result.text
    assert result.upload is None


def test_the_limit_is_a_setting(upload, exported, settings):
    settings.OPENCLS_SPREADSHEET_MAX_ROWS = 2

    result = upload(exported)

    assert "compte plus de 2 lignes remplies" in result.text
