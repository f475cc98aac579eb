"""Final evaluation (results over all years, questions, conclusions, report) and renewal."""

import io
from datetime import date

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from opencls.actions.models import Action
from opencls.contracts.models import Contract, ContractRole
from opencls.diagnosis.models import CareSupply, DiagnosisSection
from opencls.jobs.models import Job
from opencls.jobs.testing import run_queued_jobs
from opencls.monitoring.models import IndicatorTarget, IndicatorValue, Status, StatusEntry
from opencls.renewal.models import ActionConclusion, FinalEvaluation
from opencls.testing import factories

pytestmark = pytest.mark.django_db
Role = ContractRole.Role


@pytest.fixture
def contract():
    contract = factories.ContractFactory(
        title="CLS de la Marque et du Mélantois 2023-2025",
        start_date=date(2023, 1, 1),
        end_date=date(2025, 12, 31),
    )
    signatory = factories.SignatoryFactory(contract=contract)
    axis = factories.AxisFactory(contract=contract, code="1", title="Accès aux soins", position=1)
    kept = factories.ActionFactory(axis=axis, code="FA 1.1", title="Médiation en santé", position=1)
    dropped = factories.ActionFactory(axis=axis, code="FA 1.2", title="Forum santé", position=2)
    indicator = factories.IndicatorFactory(action=kept, label="Personnes accompagnées")
    for year, value, target in ((2023, 30, 40), (2024, 45, 40)):
        IndicatorValue.objects.create(
            contract=contract, indicator=indicator, year=year, period=str(year), value=value
        )
        IndicatorTarget.objects.create(
            contract=contract, indicator=indicator, year=year, period=str(year), value=target
        )
    StatusEntry.objects.create(
        contract=contract, action=kept, status=Status.IN_PROGRESS, date=date(2024, 6, 1),
        comment="Deux médiatrices recrutées.",
    )  # fmt: skip
    factories.FundingLineFactory(action=kept, year=2024)
    factories.DiagnosisIndicatorFactory(
        contract=contract, label="Sans médecin traitant", territory_value="15,85 %"
    )
    CareSupply.objects.create(contract=contract, kind="gp", count=62, position=1)
    contract.test_signatory = signatory
    contract.kept, contract.dropped = kept, dropped
    return contract


def coordinator_client(client, contract, **kwargs):
    user = factories.user_with_role(contract, Role.COORDINATOR, **kwargs)
    client.force_login(user)
    return client


def test_page_shows_results_against_targets_over_all_years(client, contract):
    client.force_login(factories.user_with_role(contract, Role.MEMBER))
    page = client.get(reverse("renewal:evaluation", args=[contract.pk])).content.decode()
    assert "cibles atteintes : 1 sur 2" in page
    assert "Deux médiatrices recrutées." in page
    assert "Rédiger l'évaluation finale" not in page and "Renouveler" not in page


def test_coordinator_writes_the_evaluation_and_judges_each_fiche_in_one_post(client, contract):
    client = coordinator_client(client, contract)
    url = reverse("renewal:evaluation_edit", args=[contract.pk])
    kept, dropped = contract.kept, contract.dropped
    data = {
        "relevance": "Les axes répondaient au diagnostic.",
        "inhabitants_said": "Les habitants demandent plus de permanences.",
        f"action-{kept.pk}-judgement": "partly",
        f"action-{kept.pk}-comment": "À renforcer dans les QPV.",
        f"action-{kept.pk}-to_continue": "on",
        f"action-{dropped.pk}-judgement": "",
        f"action-{dropped.pk}-comment": "",
    }
    assert client.post(url, data).status_code == 302
    evaluation = FinalEvaluation.objects.get(contract=contract)
    assert evaluation.relevance == "Les axes répondaient au diagnostic."
    conclusion = ActionConclusion.objects.get()
    assert conclusion.action == kept and conclusion.to_continue and conclusion.judgement == "partly"
    # The same form again changes nothing.
    client.post(url, data)
    assert evaluation.history.count() == 1 and conclusion.history.count() == 1
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Évaluation finale" in history


def test_bad_judgement_is_refused_and_nothing_written(client, contract):
    client = coordinator_client(client, contract)
    response = client.post(
        reverse("renewal:evaluation_edit", args=[contract.pk]),
        {"relevance": "Oui", f"action-{contract.kept.pk}-judgement": "parfait"},
    )
    assert response.status_code == 400
    assert not FinalEvaluation.objects.exists() and not ActionConclusion.objects.exists()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_report_is_a_background_job_read_back(client, contract, fmt):
    client = coordinator_client(client, contract)
    FinalEvaluation.objects.create(contract=contract, impact="Un meilleur accès aux droits.")
    response = client.post(reverse("renewal:report_generate", args=[contract.pk]), {"format": fmt})
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.status == "done", job.error if hasattr(job, "error") else job.message
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    if fmt == "pdf":
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            text = "\n".join(page.extract_text() for page in pdf.pages)
    else:
        from docx import Document

        document = Document(io.BytesIO(content))
        text = "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for r in t.rows for c in r.cells]
        )
    assert (
        "Un meilleur accès aux droits." in text
        and "Médiation en santé" in text
        and "Personnes accompagnées" in text
    )


@pytest.mark.parametrize("role", [Role.LEAD, Role.MEMBER, Role.SIGNATORY])
def test_only_the_coordinator_writes_generates_and_renews(client, contract, role):
    client.force_login(factories.user_with_role(contract, role, can_create_contracts=True))
    assert client.get(reverse("renewal:evaluation_edit", args=[contract.pk])).status_code == 403
    assert (
        client.post(reverse("renewal:report_generate", args=[contract.pk]), {"format": "pdf"}).status_code
        == 403
    )
    assert client.get(reverse("renewal:renew", args=[contract.pk])).status_code == 403


def test_renewal_needs_the_right_to_create_contracts(client, contract):
    client = coordinator_client(client, contract, can_create_contracts=False)
    assert client.get(reverse("renewal:renew", args=[contract.pk])).status_code == 403


def test_renewal_carries_territory_signatories_diagnosis_and_chosen_fiches(client, contract):
    client = coordinator_client(client, contract, can_create_contracts=True)
    ActionConclusion.objects.create(
        contract=contract, action=contract.kept, judgement="partly", to_continue=True
    )
    form = client.get(reverse("renewal:renew", args=[contract.pk])).content.decode()
    boxes = {
        box["value"]: box.has_attr("checked")
        for box in BeautifulSoup(form, "html.parser").select("input[name=actions]")
    }
    assert boxes == {
        str(contract.kept.pk): True,
        str(contract.dropped.pk): False,
    }  # proposed by the evaluation
    response = client.post(
        reverse("renewal:renew", args=[contract.pk]),
        {
            "title": "CLS de la Marque et du Mélantois 2026-2030",
            "start_date": "2026-01-01",
            "end_date": "2030-12-31",
            "actions": [contract.kept.pk],
        },  # fmt: skip
    )
    successor = Contract.objects.get(title="CLS de la Marque et du Mélantois 2026-2030")
    assert response.url == reverse("contracts:detail", args=[successor.pk])
    assert successor.predecessor == contract and successor.status == Contract.Status.DRAFT
    assert not successor.is_published
    assert (
        successor.territory.name == contract.territory.name
        and successor.territory_id != contract.territory_id
    )
    assert [s.organisation for s in successor.signatories.all()] == [contract.test_signatory.organisation]
    action = Action.objects.get(contract=successor)
    assert action.title == "Médiation en santé" and action.predecessor == contract.kept
    assert action.indicators.get().label == "Personnes accompagnées"
    assert (
        not action.funding_lines.exists() and not IndicatorValue.objects.filter(contract=successor).exists()
    )
    assert successor.diagnosis_indicators.get().label == "Sans médecin traitant"
    assert CareSupply.objects.get(contract=successor).count == 62
    first = DiagnosisSection.objects.filter(contract=successor).first()
    assert first.title == "Évaluation du contrat précédent" and "Cibles atteintes : 1 sur 2" in first.body
    assert "Objectifs partiellement atteints" in first.body
    assert ContractRole.objects.filter(contract=successor, role=Role.COORDINATOR).exists()
    page = client.get(reverse("renewal:evaluation", args=[successor.pk])).content.decode()
    assert "Ce contrat renouvelle un contrat précédent" in page and "Médiation en santé" in page
    old_page = client.get(reverse("renewal:evaluation", args=[contract.pk])).content.decode()
    assert "Renouvelé par" in old_page


def test_renewal_refuses_bad_dates_in_french(client, contract):
    client = coordinator_client(client, contract, can_create_contracts=True)
    response = client.post(
        reverse("renewal:renew", args=[contract.pk]),
        {"title": "Suite", "start_date": "2030-01-01", "end_date": "2026-01-01"},
    )
    assert (
        response.status_code == 400
        and "La date de fin doit suivre la date de début." in response.content.decode()
    )
    assert Contract.objects.count() == 1


def test_page_query_count_is_constant(client, contract, django_assert_max_num_queries):
    client.force_login(factories.user_with_role(contract, Role.MEMBER))
    url = reverse("renewal:evaluation", args=[contract.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as baseline:
        client.get(url)
    axis = contract.axes.get()
    for index in range(5):
        action = factories.ActionFactory(axis=axis, title=f"Fiche {index}", position=10 + index)
        factories.IndicatorFactory(action=action)
        ActionConclusion.objects.create(contract=contract, action=action, judgement="reached")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(url)
