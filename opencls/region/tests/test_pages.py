import csv
import io
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from opencls.contracts.models import ContractRole
from opencls.monitoring.tests.factories import IndicatorValueFactory
from opencls.region.models import ActionTheme, Theme
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    DiagnosisIndicatorFactory,
    IndicatorFactory,
    TerritoryFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(client):
    lens = ContractFactory(
        title='=HYPERLINK("http://x")',
        territory=TerritoryFactory(
            region="Hauts-de-France", region_code="32", department_code="62", name="Lens"
        ),
    )
    marque = ContractFactory(
        title="CLS de la Marque",
        territory=TerritoryFactory(
            region="Hauts-de-France", region_code="32", department_code="59", name="Marque"
        ),
    )
    other = ContractFactory(
        title="CLS breton", territory=TerritoryFactory(region="Bretagne", department_code="29")
    )
    for contract in (lens, marque, other):
        action = ActionFactory(
            axis=AxisFactory(contract=contract),
            code="FA 1",
            title=f"Dépistages organisés à {contract.territory.name}",
        )
        ActionTheme.objects.create(
            contract=contract, action=action, theme=Theme.objects.get(code="depistages"), state="confirmed"
        )
        indicator = IndicatorFactory(action=action, label="Nombre de participants aux dépistages")
        IndicatorValueFactory(indicator=indicator, year=2025, period="2025", value="12")
        DiagnosisIndicatorFactory(
            contract=contract,
            label="Taux de mortalité prématurée",
            territory_value="250",
            region_value="230",
            nation_value="180",
        )
    user = UserFactory(ars_region="Hauts-de-France")
    client.force_login(user)
    return {"lens": lens, "marque": marque, "other": other, "user": user}


def test_csv_export_honours_filters_and_neutralises_formulas(client, region):
    response = client.get(reverse("region:export_csv"), {"sort": "title"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Contrat" and len(rows) == 3  # header + the region's two contracts
    assert sorted(row[0] for row in rows[1:]) == [
        '\'=HYPERLINK("http://x")',
        "CLS de la Marque",
    ]  # no formula
    filtered = b"".join(client.get(reverse("region:export_csv"), {"department": "59"}).streaming_content)
    assert b"CLS de la Marque" in filtered and b"HYPERLINK" not in filtered


def test_xlsx_and_ods_exports_read_back(client, region):
    response = client.get(reverse("region:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Contrat", "Sigle", "Type"]
    assert sorted(row[0] for row in values[1:]) == sorted([region["lens"].title, "CLS de la Marque"])
    formula_cell = next(row for row in sheet.iter_rows(min_row=2) if row[0].value.startswith("="))[0]
    assert formula_cell.data_type == "s"  # text, not a formula
    ods = client.get(reverse("region:export_ods"))
    content = zipfile.ZipFile(io.BytesIO(ods.content)).read("content.xml").decode()
    assert "CLS de la Marque" in content and "CLS breton" not in content


def test_pdf_summary(client, region):
    import pypdfium2

    response = client.get(reverse("region:export_pdf"), {"department": "59"})
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Synthèse régionale" in text and "CLS de la Marque" in text and "breton" not in text
    assert "Département : 59" in text


def test_search_page_groups_by_contract_within_scope(client, region):
    response = client.get(reverse("region:search"), {"q": "depistage"})
    page = BeautifulSoup(response.content, "html.parser")
    groups = [int(s["data-contract"]) for s in page.select("section[data-contract]")]
    assert sorted(groups) == sorted([region["lens"].pk, region["marque"].pk])
    assert page.select_one(".opencls-search-hit mark").get_text() == "Dépistages"


def test_theme_matrix_counts_actions(client, region):
    response = client.get(reverse("region:themes"))
    page = BeautifulSoup(response.content, "html.parser")
    cell = page.select_one(f'td[data-theme="depistages"][data-contract="{region["marque"].pk}"]')
    assert cell.get_text(" ", strip=True) == "1 (1)"
    assert not page.select(f'td[data-contract="{region["other"].pk}"]')


def test_comparison_of_indicators_and_diagnosis(client, region):
    response = client.get(reverse("region:comparison"), {"q": "participants"})
    page = BeautifulSoup(response.content, "html.parser")
    group = page.select_one("[data-indicator-group]")
    assert "participants" in group.th.get_text()
    assert len(group.select("tr")) == 2 and "12" in group.get_text()
    by_theme = client.get(reverse("region:comparison"), {"theme": Theme.objects.get(code="depistages").pk})
    assert len(BeautifulSoup(by_theme.content, "html.parser").select("tbody[data-indicator-group] tr")) == 2
    diagnosis = page.select_one("#diagnosis-table")
    cells = [td.get_text(strip=True) for td in diagnosis.select("tbody td")]
    assert cells == ["250", "250", "230", "180"]


def test_map_colours_departments_of_the_scope_with_a_table(client, region):
    response = client.get(reverse("region:map"), {"mesure": "actions"})
    page = BeautifulSoup(response.content, "html.parser")
    assert len(page.select("svg g[data-department]")) == 101
    assert page.select_one('g[data-department="59"] rect')["fill"] != "#f6f6f6"
    assert page.select_one('g[data-department="29"] rect')["fill"] == "#f6f6f6"  # Bretagne: not in scope
    rows = [
        [c.get_text(strip=True) for c in tr.select("th, td")] for tr in page.select("#map-table tbody tr")
    ]
    assert rows == [["59 Nord", "1", "1"], ["62 Pas-de-Calais", "1", "1"]]
    for measure in ("status", "themes", "bogus"):
        assert client.get(reverse("region:map"), {"mesure": measure}).status_code == 200


def test_coordinator_confirms_and_rejects_themes(client, region):
    contract = region["marque"]
    link = ActionTheme.objects.get(contract=contract)
    coordinator = user_with_role(contract, ContractRole.Role.COORDINATOR)
    member = user_with_role(contract, ContractRole.Role.MEMBER)
    url = reverse("region:theme_decide", args=[contract.pk, link.pk])
    client.force_login(member)
    assert client.post(url, {"state": "rejected"}).status_code == 403
    assert client.get(reverse("region:contract_themes", args=[contract.pk])).status_code == 200
    client.force_login(coordinator)
    client.post(url, {"state": "rejected"})
    link.refresh_from_db()
    assert link.state == "rejected" and link.decided_by == coordinator
    # Another contract's link under this contract: 404.
    foreign = ActionTheme.objects.get(contract=region["lens"])
    assert (
        client.post(
            reverse("region:theme_decide", args=[contract.pk, foreign.pk]), {"state": "rejected"}
        ).status_code
        == 404
    )
    response = client.post(reverse("region:contract_themes", args=[contract.pk]), follow=True)
    assert "Aucune nouvelle suggestion" in response.content.decode() or "suggéré" in response.content.decode()
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Thème d&#x27;une fiche action" in history or "Thème d'une fiche action" in history


def test_a_large_export_is_prepared_as_a_job_of_the_requester(client, region, monkeypatch):
    from opencls.jobs.models import Job
    from opencls.jobs.testing import run_queued_jobs
    from opencls.region import exports

    monkeypatch.setattr(exports, "JOB_THRESHOLD", 0)
    url = reverse("region:export_xlsx") + "?department=59&kind="
    page = client.get(url)
    assert "tâche de fond" in page.content.decode() and Job.objects.count() == 0  # a GET starts nothing
    response = client.post(url)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.requested_by == region["user"] and job.contract is None
    assert run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error if hasattr(job, "error") else job.message
    download = client.get(reverse("jobs:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["CLS de la Marque"]  # filters kept
    # Another user neither sees the job nor downloads its result.
    client.force_login(UserFactory(ars_region="Hauts-de-France"))
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
