"""The contract's people page, invitations (expiry, single use) and role changes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from opencls.accounts.permissions import can
from opencls.actions.models import ActionOrganisation, Involvement
from opencls.contracts.models import ContractRole
from opencls.people import services
from opencls.people.models import Invitation
from opencls.testing import factories

pytestmark = pytest.mark.django_db
COORDINATOR, LEAD, MEMBER, SIGNATORY = (
    ContractRole.Role.COORDINATOR,
    ContractRole.Role.LEAD,
    ContractRole.Role.MEMBER,
    ContractRole.Role.SIGNATORY,
)


@pytest.fixture
def contract():
    return factories.ContractFactory()


@pytest.fixture
def coordinator(client, contract):
    user = factories.user_with_role(contract, COORDINATOR)
    client.force_login(user)
    return user


def invite(client, contract, captured, **data):
    payload = {"email": "porteur@exemple.fr", "role": LEAD, "organisation_name": "Association Vivre"} | data
    with captured(execute=True):
        return client.post(reverse("people:invite", args=[contract.pk]), payload)


def link_from_last_mail() -> str:
    return re.search(r"http://testserver(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize(
    "role, status", [(COORDINATOR, 200), (LEAD, 403), (MEMBER, 403), (SIGNATORY, 403), (None, 404)]
)
def test_only_the_coordinator_reaches_the_people_page(client, contract, role, status):
    user = factories.user_with_role(contract, role) if role else factories.UserFactory()
    client.force_login(user)
    for name in ("people:list", "people:invite"):
        assert client.get(reverse(name, args=[contract.pk])).status_code == status


def test_signatory_reader_reads_and_changes_nothing(contract):
    signatory = factories.user_with_role(contract, SIGNATORY)
    assert can(signatory, "contract.view", contract) and can(signatory, "contract.export", contract)
    for code in ("comment.add", "contract.change", "action.change", "role.change", "indicator_value.change"):
        assert not can(signatory, code, contract), code


@pytest.mark.parametrize("count", [1, 6])
def test_people_page_query_count_does_not_grow(
    client, contract, coordinator, django_assert_num_queries, count
):
    for index in range(count):
        lead = factories.user_with_role(contract, LEAD)
        action = factories.ActionFactory(contract=contract)
        ActionOrganisation.objects.create(
            action=action, organisation=lead.organisation, involvement=Involvement.LEAD
        )
        Invitation.objects.create(
            contract=contract,
            email=f"x{index}@exemple.fr",
            role=MEMBER,
            token_hash=f"h{index}",
            expires_at=timezone.now() + timedelta(days=3 - 5 * (index % 2)),
        )
    with django_assert_num_queries(8):
        response = client.get(reverse("people:list", args=[contract.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("Changer le rôle") == count + 1


def test_invitation_mail_is_french_with_text_and_html_and_the_lead_leads_the_chosen_actions(
    client, contract, coordinator, django_capture_on_commit_callbacks
):
    action = factories.ActionFactory(contract=contract, code="2.1")
    response = invite(client, contract, django_capture_on_commit_callbacks, actions=[action.pk])
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.organisation.name) == (
        "porteur@exemple.fr",
        LEAD,
        "Association Vivre",
    )
    assert ActionOrganisation.objects.filter(
        action=action, organisation=invitation.organisation, involvement=Involvement.LEAD
    ).exists()
    message = mail.outbox[-1]
    assert message.to == ["porteur@exemple.fr"]
    assert "Invitation à rejoindre" in message.subject
    assert "vous invite à rejoindre" in message.body and "Porteur" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Accepter l'invitation" in html
    token = link_from_last_mail().split("/")[2]
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64  # stored hashed only


def test_invite_refuses_another_contracts_action_and_a_lead_without_organisation(
    client, contract, coordinator, django_capture_on_commit_callbacks
):
    foreign = factories.ActionFactory()
    response = invite(client, contract, django_capture_on_commit_callbacks, actions=[foreign.pk])
    assert response.status_code == 400
    response = invite(client, contract, django_capture_on_commit_callbacks, organisation_name="")
    assert response.status_code == 400
    assert "Indiquez l&#x27;organisation porteuse" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_new_person_creates_account_once_and_lands_on_the_contract(
    client, contract, coordinator, django_capture_on_commit_callbacks
):
    invite(client, contract, django_capture_on_commit_callbacks)
    url = link_from_last_mail()
    client.logout()
    assert "Créer votre compte" in client.get(url).content.decode()
    weak = client.post(
        url, {"first_name": "Alex", "last_name": "Dupont", "password1": "1234", "password2": "1234"}
    )
    assert weak.status_code == 400 and not Invitation.objects.get().accepted_at
    password = "un-mot-de-passe-solide-2026"
    response = client.post(
        url, {"first_name": "Alex", "last_name": "Dupont", "password1": password, "password2": password}
    )
    assert response.status_code == 302 and response.url == reverse("contracts:detail", args=[contract.pk])
    role = ContractRole.objects.get(contract=contract, role=LEAD)
    assert role.user.email == "porteur@exemple.fr" and role.user.organisation.name == "Association Vivre"
    assert role.user.check_password(password)
    assert Invitation.objects.get().accepted_by == role.user
    # Single use: the same link, logged out or in, is refused.
    assert client.get(url).status_code == 410
    client.logout()
    assert (
        client.post(
            url, {"first_name": "X", "last_name": "Y", "password1": password, "password2": password}
        ).status_code
        == 410
    )
    assert ContractRole.objects.filter(contract=contract, role=LEAD).count() == 1


def test_expired_revoked_unknown_and_replaced_links_are_refused(
    client, contract, coordinator, django_capture_on_commit_callbacks
):
    invite(client, contract, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    first = link_from_last_mail()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:invitation_resend", args=[contract.pk, invitation.pk]))
    second = link_from_last_mail()
    assert first != second and client.get(first).status_code == 404
    client.logout()
    assert client.get(second).status_code == 200
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(second)
    assert response.status_code == 410 and "a expiré" in response.content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    client.force_login(coordinator)
    client.post(reverse("people:invitation_revoke", args=[contract.pk, invitation.pk]))
    assert client.get(second).status_code == 410
    assert client.get("/invitations/nimporte-quoi/").status_code == 404


def test_existing_account_logs_in_and_comes_back_through_next(
    client, contract, coordinator, django_capture_on_commit_callbacks
):
    existing = factories.UserFactory(email="membre@exemple.fr", organisation=None)
    invite(
        client,
        contract,
        django_capture_on_commit_callbacks,
        email="Membre@Exemple.fr",
        role=MEMBER,
        organisation_name="",
    )
    url = link_from_last_mail()
    client.logout()
    page = client.get(url).content.decode()
    login_url = reverse("accounts:login") + "?next=" + url.replace("/", "%2F")
    assert "Un compte existe déjà" in page and login_url.replace("&", "&amp;") in page
    response = client.post(
        reverse("accounts:login") + "?next=" + url,
        {"username": existing.username, "password": factories.DEFAULT_PASSWORD, "next": url},
    )
    assert response.status_code == 302 and response.url == url
    assert client.post(url).status_code == 302
    assert ContractRole.objects.filter(contract=contract, user=existing, role=MEMBER).exists()


def test_a_porteur_invitation_is_refused_to_an_account_of_another_organisation(
    client, contract, coordinator, django_capture_on_commit_callbacks
):
    invite(client, contract, django_capture_on_commit_callbacks)
    url = link_from_last_mail()
    other = factories.UserFactory()
    client.force_login(other)
    response = client.post(url)
    assert response.status_code == 400 and "Votre compte est rattaché" in response.content.decode()
    assert not ContractRole.objects.filter(user=other).exists()
    assert Invitation.objects.get().accepted_at is None


def test_role_change_and_removal_are_recorded_and_the_last_coordinator_stays(client, contract, coordinator):
    member = factories.user_with_role(contract, MEMBER)
    role = ContractRole.objects.get(user=member)
    client.post(reverse("people:role_change", args=[contract.pk, role.pk]), {"role": SIGNATORY})
    assert list(ContractRole.objects.filter(user=member).values_list("role", flat=True)) == [SIGNATORY]
    new_role = ContractRole.objects.get(user=member)
    confirm = client.get(reverse("people:role_remove", args=[contract.pk, new_role.pk]))
    assert "aura plus le rôle" in confirm.content.decode()
    assert ContractRole.objects.filter(user=member).exists()  # GET asks, removes nothing
    client.post(reverse("people:role_remove", args=[contract.pk, new_role.pk]))
    assert not ContractRole.objects.filter(user=member).exists()
    own = ContractRole.objects.get(user=coordinator)
    client.post(reverse("people:role_remove", args=[contract.pk, own.pk]))
    client.post(reverse("people:role_change", args=[contract.pk, own.pk]), {"role": MEMBER})
    assert ContractRole.objects.get(user=coordinator).role == COORDINATOR
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert history.count("Signataire (lecture)") >= 2 and "Membre" in history


def test_another_contracts_role_or_invitation_is_not_found(client, contract, coordinator):
    foreign_role = factories.ContractRoleFactory(role=MEMBER)
    foreign_invitation = Invitation.objects.create(
        contract=foreign_role.contract,
        email="a@exemple.fr",
        role=MEMBER,
        token_hash="x",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert (
        client.post(
            reverse("people:role_change", args=[contract.pk, foreign_role.pk]), {"role": COORDINATOR}
        ).status_code
        == 404
    )
    assert client.post(reverse("people:role_remove", args=[contract.pk, foreign_role.pk])).status_code == 404
    assert (
        client.post(
            reverse("people:invitation_revoke", args=[contract.pk, foreign_invitation.pk])
        ).status_code
        == 404
    )
    assert ContractRole.objects.get(pk=foreign_role.pk).role == MEMBER


def test_accept_is_single_use_at_the_service_level(contract):
    invitation = Invitation.objects.create(
        contract=contract,
        email="a@exemple.fr",
        role=MEMBER,
        token_hash="y",
        expires_at=timezone.now() + timedelta(days=1),
    )
    services.accept(invitation, factories.UserFactory())
    with pytest.raises(services.PeopleError):
        services.accept(invitation, factories.UserFactory())
