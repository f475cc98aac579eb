from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opencls.accounts.models import Organisation
from opencls.contracts.models import Contract, ContractRole
from opencls.governance.models import (
    BodyMember,
    CoChairDesignation,
    GovernanceBody,
    Termination,
    TerminationNotice,
)
from opencls.governance.tests.factories import BodyMemberFactory, GovernanceBodyFactory, MeetingFactory
from opencls.testing import factories

pytestmark = pytest.mark.django_db
COORDINATOR = ContractRole.Role.COORDINATOR


def login(client, contract, role=COORDINATOR):
    user = factories.user_with_role(contract, role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("count", [2, 10])
def test_overview_and_its_bodies_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    contract = factories.ContractFactory(
        status=Contract.Status.SIGNED, start_date=date(2024, 3, 1), regional_health_plan="PRS 2018-2028"
    )
    login(client, contract)
    for index in range(count):
        body = GovernanceBodyFactory(
            contract=contract, min_meetings_per_year=1, requires_annual_evaluation=True
        )
        BodyMemberFactory.create_batch(2, body=body, represents_linked_council=index == 0)
        MeetingFactory(body=body, starts_at=timezone.now() - timedelta(days=20))
        MeetingFactory(body=body, starts_at=timezone.now() + timedelta(days=20))
        factories.SignatoryFactory(contract=contract)
    url = reverse("governance:overview", args=[contract.pk])
    client.get(url)
    with django_assert_num_queries(15):
        response = client.get(url)
    page = response.content.decode()
    assert page.count('<td><a href="/contrats/') == count  # one row per body
    assert f"0 signature(s) sur {count}" in page


def test_overview_shows_time_left_and_aligns_the_end_on_the_prs(client):
    contract = factories.ContractFactory(
        start_date=date(2025, 2, 3), regional_health_plan="Projet régional de santé Hauts-de-France 2018-2028"
    )
    login(client, contract)
    url = reverse("governance:overview", args=[contract.pk])
    page = client.get(url).content.decode()
    assert "31/12/2028" in page and "(fin du PRS décliné)" in page and 'id="time-left"' in page
    client.post(reverse("governance:align_end", args=[contract.pk]))
    contract.refresh_from_db()
    assert contract.end_date == date(2028, 12, 31)


def test_default_bodies_then_a_body_with_members(client):
    contract = factories.ContractFactory()
    login(client, contract)
    client.post(reverse("governance:bodies_defaults", args=[contract.pk]))
    copil, cotech = GovernanceBody.objects.filter(contract=contract)
    assert (copil.kind, copil.min_meetings_per_year, copil.requires_annual_evaluation) == (
        "steering",
        1,
        True,
    )
    assert (cotech.kind, cotech.min_meetings_per_year) == ("technical", 1)
    client.post(reverse("governance:bodies_defaults", args=[contract.pk]))  # idempotent
    assert GovernanceBody.objects.filter(contract=contract).count() == 2

    response = client.post(
        reverse("governance:body_create", args=[contract.pk]),
        {
            "kind": "clsm_joint",
            "name": "Rencontres CLS – CLSM",
            "min_meetings_per_year": 2,
            "linked_council_name": "CLSM de Lens-Liévin",
            "shared_subjects": "pathologies duelles, parentalité",
        },
    )
    joint = GovernanceBody.objects.get(kind="clsm_joint")
    assert response.status_code == 302
    members = reverse("governance:member_create", args=[contract.pk, copil.pk])
    assert client.post(members, {"role": "member"}).status_code == 400
    client.post(
        members,
        {
            "person_name": "Élue santé",
            "organisation_name": "communauté d'agglomération de lens-liévin",
            "role": "co_chair",
            "represents_linked_council": "on",
        },
    )
    factories.OrganisationFactory(name="Communauté d'Agglomération de Lens-Liévin")
    member = BodyMember.objects.get()
    assert member.role == BodyMember.Role.CO_CHAIR and member.represents_linked_council
    page = client.get(reverse("governance:body_detail", args=[contract.pk, copil.pk])).content.decode()
    assert "Élue santé" in page and "au titre du CLSM / CISM" in page
    assert (
        "CLSM de Lens-Liévin"
        in client.get(reverse("governance:overview", args=[contract.pk])).content.decode()
    )
    MeetingFactory(body=joint)
    client.post(reverse("governance:body_delete", args=[contract.pk, joint.pk]))
    assert GovernanceBody.objects.filter(pk=joint.pk).exists()  # it has meetings


def test_a_linked_clsm_contract_is_offered_only_if_the_user_reads_it(client):
    contract = factories.ContractFactory()
    user = login(client, contract)
    mine = factories.ContractFactory(kind=Contract.Kind.CLSM, title="CISM du Val-de-Marque")
    ContractRole.objects.create(contract=mine, user=user, role=ContractRole.Role.MEMBER)
    hidden = factories.ContractFactory(kind=Contract.Kind.CLSM, title="CLSM secret")
    page = client.get(reverse("governance:body_create", args=[contract.pk])).content.decode()
    assert "CISM du Val-de-Marque" in page and "CLSM secret" not in page
    response = client.post(
        reverse("governance:body_create", args=[contract.pk]),
        {
            "kind": "clsm_joint",
            "name": "Rencontres",
            "min_meetings_per_year": 2,
            "linked_contract": hidden.pk,
        },
    )
    assert response.status_code == 400


def test_co_chair_designation_among_signatory_communes(client):
    contract = factories.ContractFactory()
    login(client, contract)
    copil = GovernanceBodyFactory(contract=contract, copil=True, rotating_co_chair=True)
    villeneuve = factories.OrganisationFactory(
        name="Ville de Villeneuve-d'Ascq", kind=Organisation.Kind.MUNICIPALITY
    )
    gruson = factories.OrganisationFactory(name="Commune de Gruson", kind=Organisation.Kind.MUNICIPALITY)
    for organisation in (villeneuve, gruson):
        factories.SignatoryFactory(contract=contract, organisation=organisation)
    BodyMemberFactory(
        body=copil, organisation=villeneuve, role=BodyMember.Role.CO_CHAIR
    )  # permanent co-chair
    url = reverse("governance:co_chair", args=[contract.pk, copil.pk])
    page = client.get(url).content.decode()
    assert "Commune de Gruson" in page and "Ville de Villeneuve-d&#x27;Ascq</option>" not in page
    response = client.post(url, {"year": 2027, "organisation": gruson.pk, "designated_on": "2026-11-20"})
    assert response.status_code == 302
    assert CoChairDesignation.objects.get().organisation == gruson
    assert (
        client.post(
            url, {"year": 2028, "organisation": villeneuve.pk, "designated_on": "2027-11-20"}
        ).status_code
        == 400
    )


def test_termination_computes_the_effective_date_and_lists_parties_to_notify(client):
    contract = factories.ContractFactory(status=Contract.Status.SIGNED, end_date=date(2028, 12, 31))
    login(client, contract)
    leaving, ars, cpam = factories.SignatoryFactory.create_batch(3, contract=contract)
    url = reverse("governance:termination", args=[contract.pk])
    response = client.post(
        url, {"signatory": leaving.pk, "notified_on": "2025-11-30", "letter_reference": "1A 234"}
    )
    assert response.status_code == 302
    termination = Termination.objects.get()
    assert termination.effective_on == date(2026, 2, 28)
    contract.refresh_from_db()
    assert contract.end_date == date(2026, 2, 28)
    notices = TerminationNotice.objects.filter(termination=termination)
    assert sorted(n.party_name for n in notices) == sorted([str(ars.organisation), str(cpam.organisation)])
    page = client.get(url).content.decode()
    assert "prend effet le 28/02/2026" in page and page.count("À notifier") == 2
    assert client.post(url, {"signatory": ars.pk, "notified_on": "2025-12-01"}).status_code == 302
    assert Termination.objects.count() == 1  # one termination at a time

    notice = notices.get(signatory=ars)
    client.post(
        reverse("governance:termination_notice", args=[contract.pk, notice.pk]), {"date": "2025-11-25"}
    )
    notice.refresh_from_db()
    assert notice.notified_on is None  # not before the termination itself
    client.post(
        reverse("governance:termination_notice", args=[contract.pk, notice.pk]), {"date": "2025-12-02"}
    )
    notice.refresh_from_db()
    assert notice.notified_on == date(2025, 12, 2)

    client.post(reverse("governance:termination_withdraw", args=[contract.pk]))
    contract.refresh_from_db()
    assert contract.end_date == date(2028, 12, 31)
    assert not Termination.objects.filter(withdrawn_on__isnull=True).exists()


def test_termination_of_a_leap_year_and_of_an_ended_contract(client):
    contract = factories.ContractFactory(end_date=date(2028, 12, 31))
    login(client, contract)
    party = factories.SignatoryFactory(contract=contract)
    url = reverse("governance:termination", args=[contract.pk])
    response = client.post(url, {"signatory": party.pk, "notified_on": "2029-01-15"})
    assert response.status_code == 400
    assert "Le contrat a pris fin le 31/12/2028 : il ne peut plus être résilié." in response.content.decode()
    client.post(url, {"signatory": party.pk, "notified_on": "2027-11-30"})
    assert Termination.objects.get().effective_on == date(2028, 2, 29)


def test_a_member_sees_the_termination_but_cannot_record_one(client):
    contract = factories.ContractFactory()
    login(client, contract, ContractRole.Role.MEMBER)
    party = factories.SignatoryFactory(contract=contract)
    url = reverse("governance:termination", args=[contract.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"signatory": party.pk, "notified_on": "2026-01-15"}).status_code == 403
    assert not Termination.objects.exists()


def test_the_governance_tab_is_in_the_contract_navigation(client):
    contract = factories.ContractFactory()
    login(client, contract, ContractRole.Role.MEMBER)
    page = client.get(reverse("governance:overview", args=[contract.pk])).content.decode()
    assert f'href="/contrats/{contract.pk}/gouvernance/" aria-current="page">Gouvernance</a>' in page


def test_pages_of_a_contract_the_user_cannot_read_are_not_found(client):
    contract = factories.ContractFactory()
    client.force_login(factories.UserFactory())
    for name in ("overview", "meetings", "signatures", "amendments", "versions", "termination"):
        assert client.get(reverse(f"governance:{name}", args=[contract.pk])).status_code == 404, name
