"""Participation bodies, members with consent and deletion on request, seats, events (issue 14)."""

import datetime

import pytest
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.governance.tests.factories import GovernanceBodyFactory
from opencls.participation import services
from opencls.participation.models import Consent, Participant, ParticipationBody, ParticipationEvent, Seat
from opencls.participation.tests.factories import (
    ParticipantFactory,
    ParticipationBodyFactory,
    ParticipationEventFactory,
)
from opencls.testing import factories

pytestmark = pytest.mark.django_db
COORDINATOR, MEMBER = ContractRole.Role.COORDINATOR, ContractRole.Role.MEMBER
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def contract():
    return factories.ContractFactory()


@pytest.fixture
def coordinator_client(client, contract):
    client.force_login(factories.user_with_role(contract, COORDINATOR))
    return client


@pytest.fixture
def body(contract):
    return ParticipationBodyFactory(contract=contract)


def test_a_citizen_council_belongs_to_a_qpv(coordinator_client, contract):
    url = reverse("participation:body_add", args=[contract.pk])
    response = coordinator_client.post(url, {"kind": "citizen_council", "name": "Conseil citoyen Cité 9"})
    assert response.status_code == 400 and "choisissez-le" in response.content.decode()
    cite = factories.PriorityNeighbourhoodFactory(territory=contract.territory)
    response = coordinator_client.post(
        url, {"kind": "citizen_council", "name": "Conseil citoyen Cité 9", "neighbourhood": cite.pk}
    )
    assert response.status_code == 302
    assert ParticipationBody.objects.get().neighbourhood == cite


def test_contact_details_need_a_consent(coordinator_client, contract, body):
    url = reverse("participation:participant_add", args=[contract.pk, body.pk])
    response = coordinator_client.post(
        url, {"participant-name": "Nadia", "participant-email": "n@example.org"}
    )
    assert response.status_code == 400
    assert "consentement" in response.content.decode()
    assert not Participant.objects.exists()
    response = coordinator_client.post(
        url,
        {
            "participant-name": "Nadia", "participant-email": "n@example.org",
            "participant-consent_contact_on": "2026-01-10", "participant-consent_how": "formulaire signé",
        },
    )  # fmt: skip
    assert response.status_code == 302
    participant = Participant.objects.get()
    consent = participant.consents.get()
    assert (consent.purpose, consent.given_on, consent.how) == (
        "contact",
        datetime.date(2026, 1, 10),
        "formulaire signé",
    )


def test_withdrawing_the_contact_consent_erases_the_contact_everywhere(coordinator_client, contract, body):
    participant = services.participant_create(
        body=body, name="Nadia", email="nadia@example.org", phone="0601020304", consent_contact_on=TODAY
    )
    consent = participant.consents.get()
    url = reverse("participation:consent_withdraw", args=[contract.pk, body.pk, participant.pk, consent.pk])
    assert coordinator_client.post(url, {"withdrawn_on": "2026-03-03"}).status_code == 302
    participant.refresh_from_db()
    assert (participant.email, participant.phone) == ("", "")
    assert Consent.objects.get().withdrawn_on == datetime.date(2026, 3, 3)
    assert not Participant.history.filter(email="nadia@example.org").exists()
    assert not Participant.history.exclude(phone="").exists()


def test_deletion_on_request_erases_the_member_and_its_history(coordinator_client, contract, body):
    cite = factories.PriorityNeighbourhoodFactory(territory=contract.territory)
    participant = services.participant_create(
        body=body,
        name="Nadia Benali",
        email="nadia@example.org",
        neighbourhood=cite,
        consent_contact_on=TODAY,
    )
    services.participant_update(participant=participant, name="Nadia B.", email="nb@example.org", phone="06")
    seat = Seat.objects.create(
        body=body, governance_body=GovernanceBodyFactory(contract=contract), holder=participant
    )
    assert Participant.history.filter(id=participant.pk).count() == 2
    url = reverse("participation:participant_erase", args=[contract.pk, body.pk, participant.pk])
    page = coordinator_client.get(url).content.decode()
    assert "définitive" in page and "historique" in page  # asked before, with what it does
    assert coordinator_client.post(url).status_code == 302
    participant.refresh_from_db()
    assert participant.erased_on is not None
    assert (participant.name, participant.email, participant.phone, participant.neighbourhood) == (
        "",
        "",
        "",
        None,
    )
    # No copy of the personal data is left in the audit trail: one row says when it was erased.
    rows = list(Participant.history.filter(id=participant.pk))
    assert len(rows) == 1 and rows[0].erased_on == participant.erased_on
    for value in ("Nadia", "nadia@example.org", "nb@example.org"):
        assert not Participant.history.filter(name__icontains=value).exists()
        assert not Participant.history.filter(email=value).exists()
    assert Participant.history.filter(neighbourhood__isnull=False, id=participant.pk).count() == 0
    seat.refresh_from_db()
    assert seat.holder is None and not Seat.history.filter(holder_id=participant.pk).exists()
    assert participant.consents.count() == 1  # the register stays, without personal data
    body_page = coordinator_client.get(reverse("participation:body_detail", args=[contract.pk, body.pk]))
    assert "membre supprimé à sa demande le" in body_page.content.decode()
    history = coordinator_client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Nadia" not in history and "membre supprimé à sa demande" in history


def test_readers_read_names_but_not_contacts_and_change_nothing(client, contract, body):
    services.participant_create(body=body, name="Nadia", email="nadia@example.org", consent_contact_on=TODAY)
    client.force_login(factories.user_with_role(contract, MEMBER))
    page = client.get(reverse("participation:body_detail", args=[contract.pk, body.pk])).content.decode()
    assert "Nadia" in page and "nadia@example.org" not in page
    assert client.get(reverse("participation:body_add", args=[contract.pk])).status_code == 403
    response = client.post(
        reverse("participation:event_add", args=[contract.pk]), {"kind": "survey", "title": "x"}
    )
    assert response.status_code == 403 and not ParticipationEvent.objects.exists()


def test_another_contracts_objects_are_out_of_reach(coordinator_client, contract):
    other_body = ParticipationBodyFactory()
    other_member = ParticipantFactory(body=other_body)
    other_event = ParticipationEventFactory()
    assert (
        coordinator_client.get(
            reverse("participation:body_detail", args=[contract.pk, other_body.pk])
        ).status_code
        == 404
    )
    mine = ParticipationBodyFactory(contract=contract)
    url = reverse("participation:participant_erase", args=[contract.pk, mine.pk, other_member.pk])
    assert coordinator_client.post(url).status_code == 404
    assert (
        coordinator_client.post(
            reverse("participation:event_delete", args=[contract.pk, other_event.pk])
        ).status_code
        == 404
    )
    other_member.refresh_from_db()
    assert other_member.erased_on is None and ParticipationEvent.objects.filter(pk=other_event.pk).exists()


def test_a_seat_links_a_body_to_a_governance_body_of_the_same_contract(coordinator_client, contract, body):
    copil = GovernanceBodyFactory(contract=contract, name="COPIL")
    foreign = GovernanceBodyFactory(name="COPIL ailleurs")
    url = reverse("participation:seat_add", args=[contract.pk, body.pk])
    assert (
        coordinator_client.post(url, {"seat-governance_body": foreign.pk, "seat-count": "2"}).status_code
        == 400
    )
    assert (
        coordinator_client.post(url, {"seat-governance_body": copil.pk, "seat-count": "2"}).status_code == 302
    )
    assert Seat.objects.get().governance_body == copil


def test_an_event_records_what_changed_and_shows_on_the_overview(
    coordinator_client, contract, django_assert_num_queries
):
    axis = factories.AxisFactory(contract=contract)
    action = factories.ActionFactory(axis=axis)
    url = reverse("participation:event_add", args=[contract.pk])
    response = coordinator_client.post(
        url,
        {
            "kind": "workshop", "title": "Labo de participation des habitants", "date_text": "juin 2024",
            "participant_count": "35", "about_diagnosis": "on", "axes": [axis.pk], "actions": [action.pk],
            "what_was_said": "Non au tout numérique", "what_changed": "Accueil physique maintenu dans la FA",
        },
    )  # fmt: skip
    assert response.status_code == 302
    event = ParticipationEvent.objects.get()
    assert list(event.actions.all()) == [action] and list(event.axes.all()) == [axis]
    for _ in range(3):
        ParticipationEventFactory(contract=contract).actions.add(action)
        ParticipantFactory(body=ParticipationBodyFactory(contract=contract))
    overview = reverse("participation:overview", args=[contract.pk])
    coordinator_client.get(overview)
    with django_assert_num_queries(9):
        content = coordinator_client.get(overview).content.decode()
    assert "Accueil physique maintenu" in content and "Non au tout numérique" in content


def test_overview_query_count_does_not_grow(coordinator_client, contract):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    overview = reverse("participation:overview", args=[contract.pk])

    def add(n):
        for _ in range(n):
            body = ParticipationBodyFactory(contract=contract)
            ParticipantFactory(body=body)
            Seat.objects.create(body=body, governance_body=GovernanceBodyFactory(contract=contract))
            ParticipationEventFactory(contract=contract, body=body)

    add(1)
    coordinator_client.get(overview)
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(overview)
    add(5)
    with CaptureQueriesContext(connection) as six:
        coordinator_client.get(overview)
    assert len(one) == len(six)


def test_the_contract_of_an_asv_is_chosen_among_the_cls_the_user_coordinates(client):
    user = factories.UserFactory()
    cls = factories.ContractFactory(title="CLS de l'agglomération")
    foreign_cls = factories.ContractFactory(title="CLS voisin")
    asv = factories.ContractFactory(title="ASV de la Cité 9", kind="asv")
    for contract in (cls, asv):
        ContractRole.objects.create(contract=contract, user=user, role=COORDINATOR)
    GovernanceBodyFactory(contract=asv, name="Comité de pilotage de l'ASV")
    factories.ActionFactory(axis=factories.AxisFactory(contract=asv), title="Ateliers cuisine")
    client.force_login(user)
    url = reverse("contracts:edit", args=[asv.pk])
    page = client.get(url).content.decode()
    assert "CLS de l&#x27;agglomération" in page and "CLS voisin" not in page
    data = {"title": asv.title, "kind": "asv", "status": "draft", "parent": foreign_cls.pk}
    assert client.post(url, data).status_code == 200  # not a choice
    data["parent"] = cls.pk
    assert client.post(url, data).status_code == 302
    asv.refresh_from_db()
    assert asv.parent == cls
    detail = client.get(reverse("contracts:detail", args=[cls.pk])).content.decode()
    assert (
        "Contrats rattachés" in detail
        and "Ateliers cuisine" in detail
        and "Comité de pilotage de l&#x27;ASV" in detail
    )
    # A CLS is not attached to another CLS.
    response = client.post(
        reverse("contracts:edit", args=[cls.pk]),
        {"title": cls.title, "kind": "cls", "status": "draft", "parent": cls.pk},
    )
    assert response.status_code == 200
