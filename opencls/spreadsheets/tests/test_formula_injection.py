"""Exports that would attack their reader: text that a spreadsheet reads as a formula is written as
text on every CSV/XLSX/ODS export route, numbers stay numbers, and a re-import gives the text back."""

import csv
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse
from openpyxl import load_workbook

from opencls.accounts.models import Organisation
from opencls.finance.tests.factories import clsi2m_contract, coordinator
from opencls.publication.services import publish_version
from opencls.spreadsheets.cells import FORMULA_LEADS, csv_cell, is_formula_like
from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.reader import read_workbook
from opencls.spreadsheets.services import plan_diff, plan_file_read
from opencls.spreadsheets.writers import SheetData, write_ods, write_xlsx
from opencls.testing import factories

pytestmark = pytest.mark.django_db

PLANT = '=HYPERLINK("http://x","y")'
PLANTS = {
    "contract": PLANT,
    "axis": "+" + PLANT[1:],
    "action": PLANT,
    "operation": "@SUM(1+1)",
    "funder": "-" + PLANT[1:],
    "comment": "\t=1+1",
    "municipality": "=CMD|'/c calc'!A1",
    "publics": "-5 personnes",
}

# Every route that answers a spreadsheet or a CSV file. A new export route fails
# test_every_export_route_is_walked until it is added here (and so checked below).
EXPORT_ROUTES = {
    "spreadsheets:export": [{"file_format": "xlsx"}, {"file_format": "ods"}, {"file_format": "tet"}],
    "finance:budget_xlsx": [{}],
    "finance:budget_csv": [{}],
    "finance:cofinancing_xlsx": [{}],
    "finance:cofinancing_csv": [{}],
    # Open data of the contract's région (its published version), streamed.
    "opendata:region-csv": [{"code": "32"}],
    "opendata:region-oscars": [{"code": "32"}],
    # The regional view of the user's scope (no contract in the URL).
    "region:export_csv": [{"scope": True}],
    "region:export_xlsx": [{"scope": True}],
    "region:export_ods": [{"scope": True}],
    "participation:city_contract_xlsx": [{}],  # issue 14: the health part of the contrat de ville
}
_EXPORT_ROUTE = re.compile(r"(\.(xlsx|ods|csv)$|export)", re.IGNORECASE)
FRENCH_NUMBER = re.compile(r"-?\d+(,\d+)?")
# JSON and PDF, checked elsewhere.
NOT_SPREADSHEETS = {"contracts:export_json", "governance:life_export", "region:export_pdf"}


def _route_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", str(pattern.pattern)


def test_every_export_route_is_walked():
    found = {
        name
        for name, route in _route_names(get_resolver())
        if _EXPORT_ROUTE.search(route) or _EXPORT_ROUTE.search(name.split(":")[-1])
    }
    assert found - NOT_SPREADSHEETS <= set(EXPORT_ROUTES), found - NOT_SPREADSHEETS - set(EXPORT_ROUTES)


@pytest.fixture
def contract():
    contract = clsi2m_contract(yearly_cost="60000.00")
    contract.title = PLANTS["contract"]
    contract.save()
    municipality = contract.territory.municipalities.order_by("position").first()
    municipality.name = PLANTS["municipality"]
    municipality.save()
    axis = factories.AxisFactory(contract=contract, code="1", title=PLANTS["axis"])
    action = factories.ActionFactory(
        axis=axis,
        code="FA 1",
        title=PLANTS["action"],
        target_publics=PLANTS["publics"],
        city_policy_funded=True,  # so that it shows in the contrat de ville export too
    )
    operation = factories.OperationFactory(action=action, title=PLANTS["operation"])
    funder = factories.OrganisationFactory(name=PLANTS["funder"], kind=Organisation.Kind.ASSOCIATION)
    factories.FundingLineFactory(
        action=action,
        operation=operation,
        funder=funder,
        planned_amount=Decimal("1500.00"),
        comment=PLANTS["comment"],
    )
    # Published in its région, the fiche public: the open-data files carry the planted texts too.
    contract.territory.region_code = "32"
    contract.territory.save()
    action.is_public = True
    action.save()
    publish_version(contract)
    contract.refresh_from_db()
    return contract


def _xlsx_cells(data: bytes) -> tuple[list[str], list]:
    """The raw XML of every sheet, and every cell value as a spreadsheet would read it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    workbook = load_workbook(io.BytesIO(data))
    values = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    return xml, values


def _check_xlsx(data: bytes) -> list:
    xml, values = _xlsx_cells(data)
    assert not any(re.search(r"<(\w+:)?f[\s>/]", sheet) for sheet in xml), "a formula was written"
    return values


def _check_ods(data: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = archive.read("content.xml").decode()
    assert "table:formula" not in content
    texts = re.findall(r'office:value-type="string"[^>]*>(.*?)</table:table-cell>', content)
    return [re.sub(r"<[^>]+>", "", t).replace("&quot;", '"').replace("&apos;", "'") for t in texts]


def _check_csv(data: bytes) -> list:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    values = [value for row in rows for value in row]
    live = [v for v in values if v.startswith(FORMULA_LEADS) and not FRENCH_NUMBER.fullmatch(v)]
    assert live == [], "a CSV cell would run as a formula"
    return values


def test_no_export_route_writes_a_live_formula(client, contract):
    client.force_login(coordinator(contract))
    seen = set()
    for name, kwargs_list in EXPORT_ROUTES.items():
        for kwargs in kwargs_list:
            if kwargs.get("scope"):
                route_kwargs = {}
            else:
                route_kwargs = kwargs if "code" in kwargs else {"pk": contract.pk, **kwargs}
            response = client.get(reverse(name, kwargs=route_kwargs))
            assert response.status_code == 200, (name, kwargs)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            content_type = response["Content-Type"]
            csv_file = content_type.startswith("text/csv")
            if "spreadsheetml" in content_type:
                values = _check_xlsx(body)
            elif "opendocument" in content_type:
                values = _check_ods(body)
            else:
                assert content_type.startswith("text/csv"), content_type
                values = _check_csv(body)
            texts = [v.removeprefix("'") if csv_file else v for v in values if isinstance(v, str)]
            planted = {p for p in PLANTS.values() if any(p in t for t in texts)}
            assert planted, (name, kwargs, "no planted text found")
            seen |= planted
    # Every planted text went through at least one export, so every kind of field was checked.
    assert {PLANTS[k] for k in ("contract", "axis", "action", "operation", "funder", "municipality")} <= seen


def test_csv_keeps_numbers_as_numbers_and_neutralises_text(client, contract):
    client.force_login(coordinator(contract))
    values = _check_csv(client.get(reverse("finance:budget_csv", args=[contract.pk])).content)
    assert "'" + PLANT in values
    assert "'" + PLANTS["funder"] in values
    assert "'" + PLANTS["comment"] in values
    assert "1500,00" in values
    cofinancing = _check_csv(client.get(reverse("finance:cofinancing_csv", args=[contract.pk])).content)
    assert "'" + PLANTS["municipality"] in cofinancing
    assert "-0,01" in cofinancing, "a negative number was turned into text"


def test_the_helpers():
    assert csv_cell("-5 personnes") == "'-5 personnes"
    assert csv_cell(-5) == -5 and csv_cell(Decimal("-5.5")) == Decimal("-5.5")
    assert csv_cell("Santé mentale") == "Santé mentale"
    assert all(is_formula_like(lead + "x") for lead in ("=", "+", "-", "@", "\t", "\r"))
    assert not is_formula_like(None) and not is_formula_like(-1)


@pytest.mark.django_db(False)
def test_the_writers_keep_negative_numbers_as_numbers():
    sheet = SheetData(
        "Plan", ["Texte", "Nombre", "Public"], [[PLANT, -5, "-5 personnes"], ["+33 1", -2.5, None]]
    )
    values = _check_xlsx(write_xlsx([sheet], {}))
    assert values == ["Texte", "Nombre", "Public", PLANT, -5, "-5 personnes", "+33 1", -2.5, None]
    with zipfile.ZipFile(io.BytesIO(write_ods([sheet], {}))) as archive:
        content = archive.read("content.xml").decode()
    assert 'office:value-type="float" office:value="-5"' in content
    assert _check_ods(write_ods([sheet], {}))[3:] == [
        "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)".replace("&quot;", '"'),
        "-5 personnes",
        "+33 1",
    ]


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_reimporting_the_export_gives_the_text_back(contract, file_format):
    data, _warnings = export_plan(contract, file_format)
    diff = plan_diff(contract, plan_file_read(data))
    workbook = read_workbook(data)
    assert diff.errors == []
    assert diff.changes == []
    texts = {v for sheet in workbook.sheets for row in sheet.rows for v in row if isinstance(v, str)}
    assert {PLANTS["action"], PLANTS["operation"], PLANTS["funder"]} <= texts
    assert any(PLANTS["axis"] in text for text in texts)
