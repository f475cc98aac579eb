"""The yearly campaign: opening, the report states and who may move them, progress, reminders."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from opencls.campaigns import services
from opencls.campaigns.models import ActionReport, Campaign, ReportState
from opencls.contracts.models import ContractRole
from opencls.testing import factories

pytestmark = pytest.mark.django_db
R = ContractRole.Role
S = ReportState


@pytest.fixture
def world():
    """A contract with two actions: one led by `org` (one by its operation's lead), one by `other_org`."""
    org, operation_org, other_org = factories.OrganisationFactory.create_batch(3)
    contract = factories.ContractFactory()
    axis = factories.AxisFactory(contract=contract)
    action = factories.ActionFactory(axis=axis, code="1.1", leads=[org])
    factories.OperationFactory(action=action, leads=[operation_org])
    other_action = factories.ActionFactory(axis=axis, code="1.2", leads=[other_org])
    users = {
        "coordinator": factories.user_with_role(contract, R.COORDINATOR),
        "lead_own": factories.user_with_role(contract, R.LEAD, organisation=org),
        "lead_operation": factories.user_with_role(contract, R.LEAD, organisation=operation_org),
        "lead_other": factories.user_with_role(contract, R.LEAD, organisation=other_org),
        "member": factories.user_with_role(contract, R.MEMBER, organisation=org),
        "signatory": factories.user_with_role(contract, R.SIGNATORY),
        "ars": factories.UserFactory(ars_region=contract.territory.region),
        "no_role": factories.UserFactory(organisation=org),
    }
    campaign = Campaign.objects.create(
        contract=contract, year=2025, deadline=timezone.localdate() + timedelta(days=10)
    )
    reports = [ActionReport.objects.create(campaign=campaign, action=a) for a in (action, other_action)]
    return {
        "contract": contract,
        "campaign": campaign,
        "report": reports[0],
        "other": reports[1],
        "users": users,
    }


# Who may move which transition: one row per (transition, user); the report is action 1.1's.
# A porteur that leads only an operation enters its operation's values but does not submit the
# action's report: the action's status is the action lead's (issue 12's porteur scope).
TRANSITION_MATRIX = """
transition  from       coordinator lead_own lead_operation lead_other member signatory ars no_role
submit      to_fill        X          X           .            .        .       .       .     .
submit      returned       X          X           .            .        .       .       .     .
validate    submitted      X          .           .            .        .       .       .     .
return      submitted      X          .           .            .        .       .       .     .
return      validated      X          .           .            .        .       .       .     .
"""
HEADER, *ROWS = [line.split() for line in TRANSITION_MATRIX.strip().splitlines()]
CASES = [
    (name, source, user, mark == "X")
    for name, source, *marks in ROWS
    for user, mark in zip(HEADER[2:], marks, strict=True)
]


@pytest.mark.parametrize("name, source, user_key, allowed", CASES)
def test_transition_matrix(world, name, source, user_key, allowed, django_capture_on_commit_callbacks):
    report = world["report"]
    ActionReport.objects.filter(pk=report.pk).update(state=source)
    report.refresh_from_db()
    user = world["users"][user_key]
    with django_capture_on_commit_callbacks(execute=True):
        if allowed:
            moved = services.transition(report, name, user=user, comment="À revoir : valeurs 2025.")
            assert moved.state == services.TRANSITIONS[name].target and moved.changed_by == user
        else:
            with pytest.raises(PermissionDenied):
                services.transition(report, name, user=user, comment="x")
            report.refresh_from_db()
            assert report.state == source


@pytest.mark.parametrize(
    "name, source",
    [
        ("submit", S.SUBMITTED),
        ("submit", S.VALIDATED),
        ("validate", S.TO_FILL),
        ("validate", S.RETURNED),
        ("return", S.TO_FILL),
    ],
)
def test_transitions_from_a_wrong_state_are_refused(world, name, source):
    ActionReport.objects.filter(pk=world["report"].pk).update(state=source)
    with pytest.raises(services.CampaignError):
        services.transition(world["report"], name, user=world["users"]["coordinator"], comment="x")


def test_return_needs_a_comment_and_mails_the_porteurs_of_the_action(
    world, client, django_capture_on_commit_callbacks
):
    report, users = world["report"], world["users"]
    ActionReport.objects.filter(pk=report.pk).update(state=S.SUBMITTED)
    client.force_login(users["coordinator"])
    url = reverse("campaigns:transition", args=[world["contract"].pk, 2025, report.action_id, "return"])
    response = client.post(url, {"comment": "  "})
    assert response.status_code == 400 and "Expliquez au porteur" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"comment": "Il manque la valeur de l'indicateur 2."}).status_code == 302
    report.refresh_from_db()
    assert report.state == S.RETURNED and report.comment == "Il manque la valeur de l'indicateur 2."
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [users["lead_own"].email, users["lead_operation"].email]
    )
    assert "renvoyée pour correction" in mail.outbox[0].subject
    assert (
        "Il manque la valeur" in mail.outbox[0].body
        and "Il manque la valeur" in mail.outbox[0].alternatives[0][0]
    )


def test_porteur_submits_then_coordinator_validates_through_the_pages(
    world, client, django_capture_on_commit_callbacks
):
    contract, report, users = world["contract"], world["report"], world["users"]
    client.force_login(users["lead_own"])
    page = client.get(
        reverse("campaigns:report", args=[contract.pk, 2025, report.action_id])
    ).content.decode()
    assert "Soumettre à la coordination" in page and "Valider" not in page
    client.post(reverse("campaigns:transition", args=[contract.pk, 2025, report.action_id, "submit"]))
    # The porteur cannot validate, even by posting directly.
    assert (
        client.post(
            reverse("campaigns:transition", args=[contract.pk, 2025, report.action_id, "validate"])
        ).status_code
        == 403
    )
    client.force_login(users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("campaigns:transition", args=[contract.pk, 2025, report.action_id, "validate"]),
            {"comment": ""},
        )
    report.refresh_from_db()
    assert report.state == S.VALIDATED
    assert any("validée" in m.subject for m in mail.outbox)
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Fiche de campagne" in history and "Validé" in history


def test_open_campaign_creates_the_todo_and_mails_each_porteur_once(
    world, client, django_capture_on_commit_callbacks
):
    contract, users = world["contract"], world["users"]
    client.force_login(users["coordinator"])
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:open", args=[contract.pk]), {"year": 2026, "deadline": deadline}
        )
    assert response.status_code == 302
    campaign = Campaign.objects.get(contract=contract, year=2026)
    assert campaign.reports.filter(state=S.TO_FILL).count() == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(users[k].email for k in ("lead_own", "lead_operation", "lead_other"))
    assert all("Campagne 2026 ouverte" in m.subject for m in mail.outbox)
    again = client.post(reverse("campaigns:open", args=[contract.pk]), {"year": 2026, "deadline": deadline})
    assert again.status_code == 400 and "existe déjà" in again.content.decode()
    past = client.post(
        reverse("campaigns:open", args=[contract.pk]), {"year": 2027, "deadline": "2020-01-01"}
    )
    assert past.status_code == 400 and not Campaign.objects.filter(year=2027).exists()


@pytest.mark.parametrize("user_key", ["lead_own", "member", "signatory", "ars"])
def test_only_the_coordinator_opens_or_reminds(world, client, user_key):
    client.force_login(world["users"][user_key])
    pk = world["contract"].pk
    assert (
        client.post(
            reverse("campaigns:open", args=[pk]), {"year": 2026, "deadline": "2099-01-01"}
        ).status_code
        == 403
    )
    assert client.post(reverse("campaigns:remind", args=[pk, 2025])).status_code == 403


def test_porteur_sees_only_their_actions_and_the_coordinator_the_progress(world, client):
    contract = world["contract"]
    client.force_login(world["users"]["lead_other"])
    page = client.get(reverse("campaigns:detail", args=[contract.pk, 2025])).content.decode()
    assert "Mes fiches à renseigner" in page and "1.2" in page and ">1.1 " not in page
    client.force_login(world["users"]["coordinator"])
    page = client.get(reverse("campaigns:detail", args=[contract.pk, 2025])).content.decode()
    assert "Avancement par porteur" in page and "1.1 " in page and "1.2 " in page


def test_another_contracts_action_is_not_found(world, client):
    client.force_login(world["users"]["coordinator"])
    foreign = factories.ActionFactory()
    url = reverse("campaigns:report", args=[world["contract"].pk, 2025, foreign.pk])
    assert client.get(url).status_code == 404
    url = reverse("campaigns:transition", args=[world["contract"].pk, 2025, foreign.pk, "validate"])
    assert client.post(url).status_code == 404


def test_remind_mails_only_porteurs_with_pending_actions_and_says_late_after_the_deadline(world):
    campaign = world["campaign"]
    ActionReport.objects.filter(pk=world["other"].pk).update(state=S.SUBMITTED)
    assert services.remind(campaign) == 2  # the lead and the operation lead of 1.1
    assert all("Rappel" in m.subject for m in mail.outbox)
    Campaign.objects.filter(pk=campaign.pk).update(deadline=date(2020, 1, 31))
    campaign.refresh_from_db()
    mail.outbox.clear()
    assert services.remind(campaign) == 2
    assert all("En retard" in m.subject and "31/01/2020" in m.body for m in mail.outbox)


@pytest.mark.parametrize("count", [2, 8])
def test_campaign_pages_query_count_does_not_grow(client, django_assert_num_queries, count):
    contract = factories.ContractFactory()
    coordinator = factories.user_with_role(contract, R.COORDINATOR)
    campaign = Campaign.objects.create(contract=contract, year=2025, deadline=date(2030, 1, 1))
    for _ in range(count):
        action = factories.ActionFactory(contract=contract, leads=[factories.OrganisationFactory()])
        ActionReport.objects.create(
            campaign=campaign, action=action, state=S.SUBMITTED, changed_by=coordinator
        )
    client.force_login(coordinator)
    with django_assert_num_queries(9):
        assert client.get(reverse("campaigns:detail", args=[contract.pk, 2025])).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(reverse("campaigns:index", args=[contract.pk])).status_code == 200
