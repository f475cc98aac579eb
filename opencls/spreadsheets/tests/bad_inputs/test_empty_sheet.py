import io

from openpyxl import Workbook, load_workbook

from opencls.spreadsheets.tests.helpers import workbook_bytes


def test_an_empty_workbook_is_refused(upload):
    result = upload(workbook_bytes(Workbook()))

    assert result.response.status_code == 400
    assert "Le classeur est vide : aucune feuille ne contient de données." in result.text


def test_an_emptied_plan_sheet_is_an_error_not_a_removal_of_every_fiche(upload, exported):
    workbook = load_workbook(io.BytesIO(exported))
    plan = workbook["Plan"]
    plan.delete_rows(1, plan.max_row)

    result = upload(workbook_bytes(workbook))

    assert (
        "Feuille Plan : la feuille est vide : la ligne d&#x27;en-tête et les données manquent" in result.text
    )
    assert result.upload.state == "invalid"
    assert result.upload.removed == 0
