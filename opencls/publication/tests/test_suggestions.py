"""Inhabitants' suggestions and questions: moderated before anything shows, limited, no robots."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from opencls.contracts.models import ContractRole
from opencls.publication import services
from opencls.publication.models import Suggestion
from opencls.testing import factories

pytestmark = pytest.mark.django_db
MESSAGE = "Pourriez-vous ajouter un arrêt du bus santé près du marché du samedi ?"


@pytest.fixture
def published(world):
    services.publish_version(world["contract"], user=world["coordinator"])
    return world


def fiche_url(world, action=None):
    return reverse("publication:action", args=[world["contract"].pk, (action or world["public"]).pk])


def send(client, url, remote_addr="127.0.0.1", **data):
    return client.post(url, {"kind": "suggestion", "message": MESSAGE, **data}, REMOTE_ADDR=remote_addr)


def test_nothing_shows_before_approval_then_the_message_and_its_answer_show(
    client, published, django_capture_on_commit_callbacks
):
    url = fiche_url(published)
    response = send(client, url, author_name="Samia", email="samia@example.org", consent="on")
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.state, suggestion.action, suggestion.email) == (
        "pending",
        published["public"],
        "samia@example.org",
    )
    assert suggestion.consent_at is not None
    assert escape(MESSAGE) not in client.get(url).content.decode()
    coordinator = published["coordinator"]
    client.force_login(coordinator)
    queue = client.get(reverse("publication:suggestions", args=[published["contract"].pk])).content.decode()
    assert "arrêt du bus santé" in queue
    detail = reverse("publication:suggestion", args=[published["contract"].pk, suggestion.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"op": "approve", "answer": "Oui, dès septembre, le samedi matin."})
    client.logout()
    page = client.get(url).content.decode()
    assert escape(MESSAGE) in page and "dès septembre" in page and "Samia" in page
    assert "samia@example.org" not in page  # never shown
    # The author was told, since she gave her address with consent.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["samia@example.org"]
    assert "dès septembre" in mail.outbox[0].body


def test_a_rejected_message_never_shows(client, published):
    send(client, reverse("contracts:public_detail", args=[published["contract"].pk]))
    suggestion = Suggestion.objects.get()
    assert suggestion.action is None
    services.reject(suggestion, user=published["coordinator"])
    assert (
        escape(MESSAGE)
        not in client.get(
            reverse("contracts:public_detail", args=[published["contract"].pk])
        ).content.decode()
    )


def test_the_honeypot_stores_nothing_and_says_the_same(client, published):
    response = send(
        client, fiche_url(published), site_web="http://spam.example", email="bot@example.org", consent="on"
    )
    assert response.status_code == 302
    assert not Suggestion.objects.exists()
    assert "relecture" in client.get(response["Location"]).content.decode()


def test_consent_is_required_with_an_email_and_lengths_are_limited(client, published):
    url = fiche_url(published)
    response = send(client, url, email="samia@example.org")
    assert response.status_code == 400 and "Cochez cette case" in response.content.decode()
    response = client.post(url, {"kind": "question", "message": "x" * 2001})
    assert response.status_code == 400
    response = send(client, url, author_name="N" * 101)
    assert response.status_code == 400
    assert not Suggestion.objects.exists()
    assert send(client, url).status_code == 302  # no name, no address: fine
    assert Suggestion.objects.get().public_name == "Un habitant ou une habitante"


def test_rate_limit_per_ip_with_a_clear_french_message(client, published, settings):
    settings.OPENCLS_SUGGESTION_LIMIT_PER_IP = 2
    url = fiche_url(published)
    assert [send(client, url).status_code for _ in range(2)] == [302, 302]
    response = send(client, url)
    assert response.status_code == 429
    assert "Trop de messages ont été envoyés en peu de temps" in response.content.decode()
    assert Suggestion.objects.count() == 2
    # Another address may still write.
    assert send(client, url, remote_addr="10.0.0.9").status_code == 302


def test_rate_limit_per_contract(client, published, settings):
    settings.OPENCLS_SUGGESTION_LIMIT_PER_CONTRACT = 3
    url = fiche_url(published)
    statuses = [
        client.post(url, {"kind": "question", "message": MESSAGE}, REMOTE_ADDR=f"10.0.0.{i}").status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert Suggestion.objects.count() == 3


def test_no_suggestion_on_a_private_fiche_an_unpublished_contract_or_another_contract(client, published):
    assert send(client, fiche_url(published, published["private"])).status_code == 404
    other = factories.ActionFactory(is_public=True)
    services.publish_version(other.contract)
    assert send(client, fiche_url(published, other)).status_code == 404
    services.unpublish(published["contract"])
    assert send(client, fiche_url(published)).status_code == 404
    assert not Suggestion.objects.exists()


def test_only_the_coordination_moderates(client, published):
    suggestion = services.submit_suggestion(
        published["contract"],
        action=None,
        action_label="",
        kind="question",
        message=MESSAGE,
        author_name="",
        email="",
    )
    queue = reverse("publication:suggestions", args=[published["contract"].pk])
    detail = reverse("publication:suggestion", args=[published["contract"].pk, suggestion.pk])
    for role in (ContractRole.Role.MEMBER, ContractRole.Role.LEAD, ContractRole.Role.SIGNATORY):
        client.force_login(factories.user_with_role(published["contract"], role))
        assert client.get(queue).status_code == 403
        assert client.post(detail, {"op": "approve"}).status_code == 403
    other_coordinator = factories.UserFactory()
    other = factories.ContractFactory()
    ContractRole.objects.create(contract=other, user=other_coordinator, role=ContractRole.Role.COORDINATOR)
    client.force_login(other_coordinator)
    assert (
        client.post(
            reverse("publication:suggestion", args=[other.pk, suggestion.pk]), {"op": "approve"}
        ).status_code
        == 404
    )
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.PENDING


def test_moderation_queue_query_count_is_pinned(client, published, django_assert_num_queries):
    for index in range(12):
        services.submit_suggestion(
            published["contract"], action=published["public"], action_label="FA", kind="suggestion",
            message=f"{MESSAGE} {index}", author_name="", email="",
        )  # fmt: skip
    client.force_login(published["coordinator"])
    url = reverse("publication:suggestions", args=[published["contract"].pk])
    # session, user, contract, roles, count, page (+ the contract's tabs, already cached rights)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("arrêt du bus") == 12


def test_changing_a_published_answer_asks_first(client, published):
    suggestion = services.submit_suggestion(
        published["contract"],
        action=None,
        action_label="",
        kind="question",
        message=MESSAGE,
        author_name="",
        email="",
    )
    services.approve(suggestion, user=published["coordinator"], answer="Première réponse")
    client.force_login(published["coordinator"])
    detail = reverse("publication:suggestion", args=[published["contract"].pk, suggestion.pk])
    page = client.post(detail, {"op": "answer", "answer": "Réponse corrigée"}).content.decode()
    assert "Première réponse" in page and "Réponse corrigée" in page
    suggestion.refresh_from_db()
    assert suggestion.answer == "Première réponse"
    client.post(detail, {"op": "answer", "answer": "Réponse corrigée", "confirmed": "1"})
    suggestion.refresh_from_db()
    assert suggestion.answer == "Réponse corrigée"


def test_personal_data_is_erased_on_request_and_never_was_in_the_history(client, published):
    send(client, fiche_url(published), author_name="Samia B.", email="samia@example.org", consent="on")
    suggestion = Suggestion.objects.get()
    services.approve(suggestion, user=published["coordinator"])
    client.force_login(published["coordinator"])
    detail = reverse("publication:suggestion", args=[published["contract"].pk, suggestion.pk])
    confirm = client.post(detail, {"op": "erase", "with_message": "on"}).content.decode()
    assert "samia@example.org" in confirm and "Effacer" in confirm
    suggestion.refresh_from_db()
    assert suggestion.email == "samia@example.org"
    client.post(detail, {"op": "erase", "with_message": "on", "confirmed": "1"})
    suggestion.refresh_from_db()
    assert (suggestion.author_name, suggestion.email, suggestion.state) == (
        "",
        "",
        Suggestion.State.WITHDRAWN,
    )
    assert suggestion.personal_data_erased_at is not None and "supprimé" in suggestion.message
    history = Suggestion.history.filter(id=suggestion.pk)
    assert history.count() >= 3
    assert not any(hasattr(row, "email") or hasattr(row, "author_name") for row in history)
    client.logout()
    page = client.get(fiche_url(published)).content.decode()
    assert "Samia" not in page and escape(MESSAGE) not in page


def test_old_personal_data_is_purged(published):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    suggestion = services.submit_suggestion(
        published["contract"], action=None, action_label="", kind="question", message=MESSAGE,
        author_name="Samia", email="samia@example.org",
    )  # fmt: skip
    services.approve(suggestion, user=published["coordinator"])
    Suggestion.objects.filter(pk=suggestion.pk).update(moderated_at=timezone.now() - timedelta(days=400))
    call_command("purge_suggestions")
    suggestion.refresh_from_db()
    assert (suggestion.author_name, suggestion.email) == ("", "")
    assert suggestion.state == Suggestion.State.APPROVED  # the message stays published
