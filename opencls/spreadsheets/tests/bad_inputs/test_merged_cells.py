import io

from openpyxl import load_workbook

from opencls.spreadsheets.tests.helpers import workbook_bytes


def test_merged_cells_in_the_data_are_reported(upload, exported):
    workbook = load_workbook(io.BytesIO(exported))
    workbook["Plan"].merge_cells("B2:B3")  # one axis typed once for two fiches

    result = upload(workbook_bytes(workbook))

    assert (
        "Feuille Plan, ligne 2, colonne Axe : cellules fusionnées (B2:B3) : défusionnez-les et répétez la valeur sur "
        "chaque ligne"
    ) in result.text
    assert result.upload.state == "invalid"
