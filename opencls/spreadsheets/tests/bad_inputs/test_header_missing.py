import io

from openpyxl import Workbook, load_workbook

from opencls.spreadsheets.tests.helpers import workbook_bytes


def test_a_plan_sheet_without_its_header_row(upload, exported):
    workbook = load_workbook(io.BytesIO(exported))
    workbook["Plan"].delete_rows(1)

    result = upload(workbook_bytes(workbook))

    assert (
        "Feuille Plan, ligne 1 : ligne d&#x27;en-tête introuvable : la première ligne doit porter les titres des "
        "colonnes (ID, Axe, Objectif, Code, Intitulé…)"
    ) in result.text
    assert result.upload.state == "invalid"


def test_a_plan_sheet_without_its_id_column(upload, exported):
    workbook = load_workbook(io.BytesIO(exported))
    workbook["Plan"].delete_cols(1)

    result = upload(workbook_bytes(workbook))

    assert "Feuille Plan, ligne 1, colonne ID : colonne absente" in result.text


def test_a_sheet_of_data_without_any_known_header(upload):
    workbook = Workbook()
    workbook.active.append(["1. Prévention", "Prévenir les addictions", "En cours"])

    result = upload(workbook_bytes(workbook))

    assert result.response.status_code == 400
    assert "la ligne d&#x27;en-tête est introuvable" in result.text
    assert result.upload is None
