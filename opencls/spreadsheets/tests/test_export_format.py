"""What a coordinator sees when opening the exported file."""

import io
import re
from datetime import datetime
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook

from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.tests.factories import rich_plan
from opencls.spreadsheets.tests.helpers import column_of, ods_content


@pytest.fixture
def contract(db):
    return rich_plan(actions=2)


def test_xlsx_sheets_headers_and_hidden_sheets(contract):
    data, _warnings = export_plan(contract, "xlsx")
    workbook = load_workbook(io.BytesIO(data))

    assert workbook.sheetnames == [
        "Plan",
        "Opérations",
        "Indicateurs",
        "Financements",
        "Territoire",
        "Communes",
        "OpenCLS",
        "Listes",
    ]
    assert [workbook[name].sheet_state for name in ("Plan", "OpenCLS", "Listes")] == [
        "visible",
        "hidden",
        "hidden",
    ]
    plan = workbook["Plan"]
    assert [c.value for c in plan[1]][:6] == [
        "ID",
        "Axe",
        "Objectif",
        "Code",
        "Intitulé",
        "Contexte et enjeux",
    ]
    assert plan.freeze_panes == "A2"
    assert plan.column_dimensions["E"].width == 45
    assert plan["A1"].font.bold
    indicators = [c.value for c in workbook["Indicateurs"][1]]
    assert indicators[-4:] == [
        "Cible 2027",
        "Valeur 2027",
        "Cible 2028",
        "Valeur 2028",
    ]  # the contract's years


def test_xlsx_dates_are_dates_and_amounts_are_numbers(contract):
    data, _warnings = export_plan(contract, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    start = workbook["Plan"][f"{column_of(data, 'Plan', 'Début')}2"]
    planned = workbook["Financements"][f"{column_of(data, 'Financements', 'Montant prévu (€)')}2"]
    granted = workbook["Financements"][f"{column_of(data, 'Financements', 'Montant accordé (€)')}2"]

    assert (start.value, start.number_format) == (datetime(2025, 1, 1), "DD/MM/YYYY")
    assert (planned.value, planned.data_type, planned.number_format) == (12000, "n", "#,##0.00")
    assert granted.value == 10000.5


def test_xlsx_statuses_are_a_drop_down_list(contract):
    data, _warnings = export_plan(contract, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    status = column_of(data, "Plan", "Statut")

    validation = next(
        v for v in workbook["Plan"].data_validations.dataValidation if str(v.sqref).startswith(f"{status}2:")
    )

    assert validation.type == "list"
    letter = re.match(r"Listes!\$([A-Z]+)\$2", validation.formula1)[1]
    values = [c.value for c in workbook["Listes"][letter] if c.value]
    assert values == ["Statut", "Non démarrée", "En cours", "Réalisée", "Reportée", "Abandonnée"]


def test_ods_has_typed_cells_lists_widths_and_a_frozen_header(contract):
    data, _warnings = export_plan(contract, "ods")
    content = ods_content(data)

    assert 'office:value-type="date" office:date-value="2025-01-01"' in content
    assert 'office:value-type="float" office:value="12000"' in content
    assert 'style:column-width="8.55cm"' in content
    assert "of:cell-content-is-in-list([$'Listes'.$A$2:.$A$6])" in content
    assert 'table:name="OpenCLS" table:style-name="ta-hidden"' in content
    with ZipFile(io.BytesIO(data)) as archive:
        settings = archive.read("settings.xml").decode()
    assert re.search(
        r'config:name="Plan">.*?config:name="VerticalSplitMode" config:type="short">2<', settings
    )
