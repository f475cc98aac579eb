"""A year approved by the COPIL is locked: forms, grid, spreadsheet re-import and API cannot change it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opencls.campaigns import locks, services
from opencls.campaigns.models import ActionReport, Campaign, PeriodLock, ReportState
from opencls.contracts.models import ContractRole
from opencls.governance.models import AgendaItem, Decision
from opencls.governance.tests.factories import GovernanceBodyFactory, MeetingFactory
from opencls.monitoring import services as monitoring
from opencls.monitoring.models import DeliverableFollowUp, Evaluation, Evidence, IndicatorValue, StatusEntry
from opencls.monitoring.reports import evaluation_report_data
from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.services import PlanApplyError, plan_apply, plan_file_read
from opencls.spreadsheets.tests.factories import rich_plan
from opencls.spreadsheets.tests.helpers import column_of, edited, row_of
from opencls.testing import factories

pytestmark = pytest.mark.django_db
R = ContractRole.Role


def approving_meeting(contract, year, *, kind_copil=True, decided=True):
    body = (
        GovernanceBodyFactory(contract=contract, copil=True)
        if kind_copil
        else GovernanceBodyFactory(contract=contract, cotech=True)
    )
    meeting = MeetingFactory(body=body, starts_at=timezone.now() - timedelta(days=20))
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItem.Kind.EVALUATION,
        evaluation=Evaluation.objects.get_or_create(contract=contract, year=year)[0],
    )
    if decided:
        Decision.objects.create(
            meeting=meeting, agenda_item=item, text=f"Le COPIL approuve l'évaluation {year}."
        )
    return meeting


@pytest.fixture
def world():
    org = factories.OrganisationFactory()
    contract = rich_plan(actions=2)
    action = contract.actions.order_by("pk").first()
    from opencls.actions.models import ActionOrganisation, Involvement

    ActionOrganisation.objects.create(
        action=action, organisation=org, involvement=Involvement.LEAD, position=9
    )
    indicator = action.indicators.filter(operation=None).first()
    deliverable = factories.DeliverableFactory(action=action)
    coordinator = factories.user_with_role(contract, R.COORDINATOR)
    porteur = factories.user_with_role(contract, R.LEAD, organisation=org)
    value, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator, period="2025", defaults={"contract": contract, "year": 2025, "value": Decimal(5)}
    )
    campaign = Campaign.objects.create(contract=contract, year=2025, deadline=date(2026, 3, 1))
    report = ActionReport.objects.create(campaign=campaign, action=action, state=ReportState.VALIDATED)
    meeting = approving_meeting(contract, 2025)
    return locals()


def lock(world):
    return locks.lock(
        contract=world["contract"], year=2025, meeting=world["meeting"], user=world["coordinator"]
    )


def test_only_a_held_copil_with_a_decision_on_that_years_evaluation_can_lock(world):
    contract = world["contract"]
    for meeting in (
        approving_meeting(contract, 2024),  # another year
        approving_meeting(contract, 2025, kind_copil=False),  # a COTECH
        approving_meeting(contract, 2025, decided=False),  # no decision recorded
    ):
        with pytest.raises(ValidationError):
            locks.lock(contract=contract, year=2025, meeting=meeting, user=world["coordinator"])
    future = approving_meeting(contract, 2025)
    future.starts_at = timezone.now() + timedelta(days=3)
    future.save()
    with pytest.raises(ValidationError):
        locks.lock(contract=contract, year=2025, meeting=future, user=world["coordinator"])
    assert not PeriodLock.objects.exists()
    lock(world)
    with pytest.raises(ValidationError, match="déjà verrouillée"):
        lock(world)


def test_lock_and_unlock_pages_are_the_coordinators_and_recorded(client, world):
    contract, meeting = world["contract"], world["meeting"]
    client.force_login(world["porteur"])
    assert (
        client.post(
            reverse("campaigns:lock", args=[contract.pk, 2025]), {"y2025-meeting": meeting.pk}
        ).status_code
        == 403
    )
    client.force_login(world["coordinator"])
    page = client.get(reverse("campaigns:locks", args=[contract.pk])).content.decode()
    assert "Verrouiller 2025" in page
    assert (
        client.post(
            reverse("campaigns:lock", args=[contract.pk, 2025]), {"y2025-meeting": meeting.pk}
        ).status_code
        == 302
    )
    page = client.get(reverse("campaigns:locks", args=[contract.pk])).content.decode()
    assert "validée en COPIL du " + timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y") in page
    client.force_login(world["porteur"])
    assert (
        client.post(reverse("campaigns:unlock", args=[contract.pk, 2025]), {"y2025-reason": "x"}).status_code
        == 403
    )
    client.force_login(world["coordinator"])
    refused = client.post(reverse("campaigns:unlock", args=[contract.pk, 2025]), {"y2025-reason": " "})
    assert refused.status_code == 400 and locks.locked_years(contract.pk) == {2025}
    client.post(
        reverse("campaigns:unlock", args=[contract.pk, 2025]),
        {"y2025-reason": "Erreur de saisie sur l'indicateur 3"},
    )
    assert locks.locked_years(contract.pk) == set()
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Année 2025 verrouillée" in history and "Erreur de saisie sur l&#x27;indicateur 3" in history


@pytest.mark.django_db(transaction=True)  # as in production: a request is not inside a transaction
def test_locked_year_refuses_service_and_form_writes_for_everyone(client, world):
    lock(world)
    coordinator, indicator, deliverable = world["coordinator"], world["indicator"], world["deliverable"]
    indicator.action.contract = world["contract"]
    with pytest.raises(locks.PeriodLocked):
        monitoring.indicator_value_set(
            user=coordinator, indicator=indicator, period_code="2025", value=Decimal(9)
        )
    with pytest.raises(locks.PeriodLocked):
        monitoring.status_record(
            user=coordinator, action=world["action"], status="done", day=date(2025, 6, 1)
        )
    with pytest.raises(locks.PeriodLocked):
        monitoring.deliverable_follow_up_set(
            user=coordinator, deliverable=deliverable, is_done=True, done_on=date(2025, 5, 1)
        )
    with pytest.raises(locks.PeriodLocked), transaction.atomic():  # Model.delete has no savepoint
        world["value"].delete()
    # The monitoring page's form shows the French error and changes nothing.
    client.force_login(coordinator)
    url = reverse("monitoring:indicator", args=[world["contract"].pk, indicator.pk])
    response = client.post(
        url, {"value-period": "2025", "value-value": "9", "form": "value", "target": "value"}
    )
    assert IndicatorValue.objects.get(pk=world["value"].pk).value == Decimal(5)
    # A deletion link answers with the message, not a server error.
    delete = reverse("monitoring:indicator_value_delete", args=[world["contract"].pk, world["value"].pk])
    response = client.post(delete, {"confirmed": "1"}, headers={"referer": "http://testserver" + url})
    assert response.status_code == 302 and IndicatorValue.objects.filter(pk=world["value"].pk).exists()
    assert "est verrouillée" in client.get(url).content.decode()
    response = client.post(delete, {"confirmed": "1"})
    assert response.status_code == 409 and "est verrouillée" in response.content.decode()
    # Another year stays open.
    assert monitoring.indicator_value_set(
        user=coordinator, indicator=indicator, period_code="2024", value=Decimal(2)
    )


def test_locked_year_closes_the_grid_and_the_campaign_transitions(client, world):
    lock(world)
    contract, porteur = world["contract"], world["porteur"]
    client.force_login(porteur)
    url = reverse("campaigns:grid", args=[contract.pk, 2025])
    assert "la saisie est fermée" in client.get(url).content.decode()
    a, i = f"a{world['action'].pk}", world["indicator"]
    response = client.post(url, {f"{a}-v{i.pk}_2025": "99"})
    assert response.status_code == 409 and IndicatorValue.objects.get(pk=world["value"].pk).value == Decimal(
        5
    )
    with pytest.raises(services.CampaignError, match="verrouillée"):
        services.transition(world["report"], "return", user=world["coordinator"], comment="Revoir")
    assert ActionReport.objects.get(pk=world["report"].pk).state == ReportState.VALIDATED


def test_evidence_of_a_deliverable_done_in_a_locked_year_cannot_be_added_or_removed(world):
    deliverable, coordinator = world["deliverable"], world["coordinator"]
    monitoring.deliverable_follow_up_set(
        user=coordinator, deliverable=deliverable, is_done=True, done_on=date(2025, 5, 1)
    )
    evidence = monitoring.evidence_add(
        user=coordinator, deliverable=deliverable, uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    )
    lock(world)
    with pytest.raises(locks.PeriodLocked):
        monitoring.evidence_add(
            user=coordinator,
            deliverable=deliverable,
            uploaded_file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 y"),
        )
    with pytest.raises(locks.PeriodLocked), transaction.atomic():
        monitoring.evidence_delete(user=coordinator, evidence=evidence)
    with pytest.raises(locks.PeriodLocked):
        monitoring.deliverable_follow_up_set(user=coordinator, deliverable=deliverable, is_done=False)
    assert Evidence.objects.count() == 1 and DeliverableFollowUp.objects.get().is_done


def test_spreadsheet_reimport_cannot_change_a_locked_years_values(world):
    contract, indicator = world["contract"], world["indicator"]
    data, _warnings = export_plan(contract, "xlsx")
    cell = f"{column_of(data, 'Indicateurs', 'Valeur 2025')}{row_of(data, 'Indicateurs', indicator.pk)}"
    source = plan_file_read(edited(data, {("Indicateurs", cell): 42}))
    lock(world)
    before = (IndicatorValue.objects.count(), IndicatorValue.history.count(), StatusEntry.objects.count())
    with pytest.raises(PlanApplyError, match="2025 est verrouillée"):
        plan_apply(contract, source, user=world["coordinator"])
    assert IndicatorValue.objects.get(pk=world["value"].pk).value == Decimal(5)
    assert before == (
        IndicatorValue.objects.count(),
        IndicatorValue.history.count(),
        StatusEntry.objects.count(),
    )
    locks.unlock(
        contract=contract, year=2025, user=world["coordinator"], reason="Correction demandée par l'ARS"
    )
    plan_apply(contract, source, user=world["coordinator"])
    assert IndicatorValue.objects.get(pk=world["value"].pk).value == Decimal(42)


def test_api_writes_to_a_locked_year_are_refused(client, world):
    contract, indicator = world["contract"], world["indicator"]
    url = reverse("campaigns:api_values", args=[contract.pk])
    client.force_login(world["porteur"])
    assert client.post(url, {"indicator": indicator.pk, "period": "2024", "value": "3"}).status_code == 201
    lock(world)
    response = client.post(url, {"indicator": indicator.pk, "period": "2025", "value": "8"})
    assert response.status_code == 409 and "verrouillée" in response.json()["detail"]
    assert IndicatorValue.objects.get(pk=world["value"].pk).value == Decimal(5)
    listed = client.get(url + "?annee=2025").json()
    assert [row["value"] for row in listed["results"] if row["indicator"] == indicator.pk] == ["5.00"]
    assert {row["year"] for row in listed["results"]} == {2025}
    # Other contract's indicator, other role: refused.
    foreign = factories.IndicatorFactory()
    assert client.post(url, {"indicator": foreign.pk, "period": "2024", "value": "1"}).status_code == 404
    client.force_login(factories.user_with_role(contract, R.MEMBER))
    assert client.post(url, {"indicator": indicator.pk, "period": "2024", "value": "1"}).status_code == 403


def test_the_report_says_validated_in_copil_only_for_a_locked_year(world):
    contract, meeting = world["contract"], world["meeting"]
    today = timezone.localdate()
    assert evaluation_report_data(contract, 2025, today=today).approval == ""
    lock(world)
    note = evaluation_report_data(contract, 2025, today=today).approval
    assert note == "Validé en COPIL du " + timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y")
    assert evaluation_report_data(contract, 2024, today=today).approval == ""
