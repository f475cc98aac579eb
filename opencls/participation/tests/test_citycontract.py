"""The health part of the contrat de ville: page and exports read back (issue 14)."""

import io
from decimal import Decimal

import openpyxl
import pdfplumber
import pytest
from django.urls import reverse
from docx import Document

from opencls.actions.models import FundingLine
from opencls.contracts.models import ContractRole
from opencls.jobs.models import Job
from opencls.monitoring.tests.factories import IndicatorValueFactory
from opencls.participation.citycontract import city_contract_data
from opencls.participation.citycontract_exports import render_docx, render_pdf, render_xlsx
from opencls.participation.tests.factories import ParticipationBodyFactory, ParticipationEventFactory
from opencls.testing import factories

pytestmark = pytest.mark.django_db
PAGE_QUERIES = 21


@pytest.fixture
def contract():
    contract = factories.ContractFactory(title="CLS de Lens-Liévin")
    factories.MunicipalityFactory(territory=contract.territory, population=20000)
    cite = factories.PriorityNeighbourhoodFactory(
        territory=contract.territory, name="Cité 9", code="QN06201M", population=2631
    )
    axis = factories.AxisFactory(contract=contract, title="Accès aux soins")
    action = factories.ActionFactory(
        axis=axis, code="FA 1.1", title="Médiation en santé", leads=[factories.OrganisationFactory(name="CCAS de Lens")],
        qpv_public_share=Decimal("60"), qpv_public_share_basis="measured", participation_level="concertation",
    )  # fmt: skip
    action.neighbourhoods.add(cite)
    factories.OperationFactory(action=action, title="Permanences")
    factories.FundingLineFactory(
        action=action, kind=FundingLine.Kind.CITY_POLICY, planned_amount="12000", granted_amount="10000"
    )
    factories.FundingLineFactory(action=action)  # ARS: not a politique de la ville credit
    indicator = factories.IndicatorFactory(action=action, label="Personnes accompagnées")
    IndicatorValueFactory(indicator=indicator, year=2025, value="48")
    factories.ActionFactory(axis=axis, code="FA 1.2", title="Action sans QPV")
    factories.ActionFactory(axis=axis, code="FA 1.3", title="Pour tout le territoire", whole_territory=True)
    ParticipationBodyFactory(contract=contract, name="Conseil citoyen Cité 9")
    ParticipationEventFactory(
        contract=contract, title="Labo de participation", what_changed="Accueil physique maintenu"
    )
    return contract


def test_the_data_gathers_what_serves_the_qpv(contract):
    data = city_contract_data(contract)
    titles = [item.action.title for item in data.actions]
    assert titles == ["Médiation en santé", "Pour tout le territoire"]
    assert data.credits.planned == Decimal("12000") and data.credits.granted == Decimal("10000")
    assert data.qpv[0].share == Decimal("13.16")
    assert data.actions[0].indicators[0].last.value == Decimal("48")


def test_docx_read_back(contract):
    document = Document(io.BytesIO(render_docx(city_contract_data(contract))))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Volet santé du contrat de ville — CLS de Lens-Liévin" in text
    assert "Cité 9" in cells and "2631" in cells and "13,16 %" in cells
    assert "FA 1.1 : Médiation en santé" in cells and "CCAS de Lens" in cells and "10\xa0000,00 €" in cells
    assert "60,00 % (mesurée)" in cells and "Concertation" in cells
    assert "Action sans QPV" not in cells
    assert "Personnes accompagnées : 48 (2025)" in text
    assert "Labo de participation" in text and "Accueil physique maintenu" in text


def test_xlsx_read_back(contract):
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(city_contract_data(contract))))
    assert workbook.sheetnames == ["QPV", "Actions", "Indicateurs", "Participation"]
    qpv = list(workbook["QPV"].iter_rows(values_only=True))
    assert qpv[1][:4] == ("Cité 9", "QN06201M", None, 2631)
    actions = list(workbook["Actions"].iter_rows(values_only=True))
    row = actions[1]
    assert row[1:5] == ("FA 1.1", "Médiation en santé", "CCAS de Lens", "Cité 9")
    assert row[5] == 60 and row[8] == "oui" and row[9] == 12000 and row[10] == 10000
    assert actions[2][4] == "Tout le territoire"
    assert list(workbook["Indicateurs"].iter_rows(values_only=True))[1][4] == 48


def test_pdf_read_back(contract):
    with pdfplumber.open(io.BytesIO(render_pdf(city_contract_data(contract)))) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Volet santé du contrat de ville" in text
    assert "Cité 9" in text and "Médiation en santé" in text and "CCAS de Lens" in text


def test_page_downloads_and_pdf_job(client, contract, django_assert_num_queries):
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    url = reverse("participation:city_contract", args=[contract.pk])
    client.get(url)
    with django_assert_num_queries(PAGE_QUERIES):
        content = client.get(url).content.decode()
    assert "Médiation en santé" in content and "Action sans QPV" not in content
    cite = contract.territory.neighbourhoods.get()
    for _ in range(4):  # more actions, operations, indicators and credits: the same queries
        action = factories.ActionFactory(axis=contract.axes.get(), leads=[factories.OrganisationFactory()])
        factories.OperationFactory(action=action).neighbourhoods.add(cite)
        IndicatorValueFactory(indicator=factories.IndicatorFactory(action=action))
        factories.FundingLineFactory(action=action, kind=FundingLine.Kind.CITY_POLICY)
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(url)
    response = client.get(reverse("participation:city_contract_xlsx", args=[contract.pk]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    response = client.post(reverse("participation:city_contract_pdf", args=[contract.pk]))
    assert response.status_code == 302
    assert Job.objects.get().kind == "participation.city_contract_pdf"


def test_strangers_get_nothing(client, contract):
    client.force_login(factories.UserFactory())
    for name in ("city_contract", "city_contract_docx", "city_contract_xlsx"):
        assert client.get(reverse(f"participation:{name}", args=[contract.pk])).status_code == 404
