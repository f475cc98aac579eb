"""Exports opened back as a finance officer's spreadsheet would: openpyxl and csv."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from opencls.actions.models import FundingLine
from opencls.finance.tests.factories import clsi2m_contract, coordinator
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def budget_contract():
    contract = factories.ContractFactory(short_name="CLSI2M")
    axis = factories.AxisFactory(contract=contract, code="1", title="Conduites addictives")
    action = factories.ActionFactory(axis=axis, code="FA 1.1", title="Compétences psychosociales")
    operation = factories.OperationFactory(action=action, title="Sensibiliser les professionnels")
    factories.FundingLineFactory(
        action=action,
        operation=operation,
        year=2026,
        planned_amount="12345.67",
        granted_amount="10000.00",
        spent_amount="10500.10",
        comment="Avance sur 2027",
    )
    factories.FundingLineFactory(
        action=action, funder=None, kind=FundingLine.Kind.IN_KIND, year=None, planned_amount=None
    )
    return contract


def test_budget_xlsx_has_real_numbers_in_euros_and_totals(client):
    contract = budget_contract()
    client.force_login(coordinator(contract))
    response = client.get(reverse("finance:budget_xlsx", args=[contract.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="budget-clsi2m.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Lignes",
        "Par axe",
        "Par financeur",
        "Par nature",
        "Par année",
        "Informations",
    ]
    lines = workbook["Lignes"]
    assert [cell.value for cell in lines[1]][:10] == [
        "Axe", "Fiche action", "Intitulé de la fiche action", "Opération", "Financeur",
        "Nature du financement", "Année", "Montant prévu (€)", "Montant accordé (€)", "Montant dépensé (€)",
    ]  # fmt: skip
    first = [cell.value for cell in lines[2]]
    assert first == [
        "1", "FA 1.1", "Compétences psychosociales", "Sensibiliser les professionnels", "ARS Hauts-de-France",
        "ARS via les CPOM des opérateurs", 2026, 12345.67, 10000, 10500.1, "oui", "Avance sur 2027",
    ]  # fmt: skip
    assert lines["H2"].number_format == '#,##0.00 "€"'
    assert [cell.value for cell in lines[3]][4:8] == [None, "Moyens humains (valorisation)", None, None]
    by_axis = workbook["Par axe"]
    assert [cell.value for cell in by_axis[2]] == ["1 — Conduites addictives", 12345.67, 10000, 10500.1, 2]
    assert [cell.value for cell in by_axis[3]] == ["Total", 12345.67, 10000, 10500.1, 2]
    info = workbook["Informations"]
    assert info["B3"].is_date and info["B3"].number_format == "DD/MM/YYYY"
    assert info["B3"].value.date() == date.today()


def test_budget_csv_is_for_french_excel(client):
    contract = budget_contract()
    client.force_login(coordinator(contract))
    response = client.get(reverse("finance:budget_csv", args=[contract.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Axe" and rows[0][7] == "Montant prévu (€)"
    assert rows[1][6:11] == ["2026", "12345,67", "10000,00", "10500,10", "oui"]
    assert rows[2][6:10] == ["", "", "", ""]
    assert len(rows) == 3


def test_cofinancing_xlsx_keeps_the_signed_table_beside_the_computed_one(client):
    contract = clsi2m_contract(yearly_cost="60000.00")
    client.force_login(coordinator(contract))
    response = client.get(reverse("finance:cofinancing_xlsx", args=[contract.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["Cofinancement"]
    values = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert values["Coût annuel du poste"][1].value == 60000
    assert values["Plafond annuel de l'ARS"][1].value == 30000
    assert values["Somme des parts signées"][1].value == pytest.approx(0.9997)
    assert values["Règle d'arrondi"][1].value.startswith("Arrondi au plus fort reste")
    willems = [cell.value for cell in values["Willems"]]
    assert willems[:5] == [
        "Willems",
        2996,
        pytest.approx(0.0192),
        pytest.approx(0.0193),
        pytest.approx(-0.01),
    ]
    assert willems[6] == pytest.approx(1156.12)
    assert values["Willems"][2].number_format == "0.00 %"
    assert values["Willems"][6].number_format == '#,##0.00 "€"'
    total = [cell.value for cell in values["Total"]]
    assert total[1] == 77743 and total[2] == pytest.approx(0.9997) and total[3] == pytest.approx(1)
    assert total[6] == 60000
    amounts = [values[name][6].value for name in values if name in {"Willems", "Baisieux"}]
    assert amounts == [pytest.approx(1997.74), pytest.approx(1156.12)]


def test_cofinancing_csv_sums_to_the_cost_to_the_cent(client):
    contract = clsi2m_contract(yearly_cost="59999.99")
    client.force_login(coordinator(contract))
    raw = client.get(reverse("finance:cofinancing_csv", args=[contract.pk])).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, *parties = rows
    assert header[:4] == ["Partie", "Population", "Part signée (%)", "Part calculée (%)"]
    assert len(parties) == 9
    amounts = [Decimal(row[6].replace(",", ".")) for row in parties]
    assert sum(amounts) == Decimal("59999.99")
    percentages = [Decimal(row[3].replace(",", ".")) for row in parties]
    assert sum(percentages) == Decimal("100.00")
    willems = next(row for row in parties if row[0] == "Willems")
    assert willems[2:5] == ["1,92", "1,93", "-0,01"]
    # 59 999,99 × 50 % = 29 999,995 €: half a cent, settled by the largest remainder
    assert parties[0][6] == "29999,99"
