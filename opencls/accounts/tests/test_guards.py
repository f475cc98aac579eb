"""Request-wide guards: no caching of what a logged-in user sees, session timeouts,
password-reset throttling."""

import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencls.accounts import middleware
from opencls.contracts.models import ContractRole
from opencls.monitoring.models import Evidence
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    DeliverableFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
RESET = reverse("accounts:password_reset")


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_answer_to_a_logged_in_user_is_not_stored(client):
    contract = ContractFactory(published=True)
    deliverable = DeliverableFactory(action=ActionFactory(axis=AxisFactory(contract=contract)))
    evidence = Evidence.objects.create(
        contract=contract,
        deliverable=deliverable,
        file=SimpleUploadedFile("preuve.pdf", b"%PDF-1.4 x"),
        original_name="preuve.pdf",
        content_type="application/pdf",
        size=10,
    )
    # The public page, anonymously, may be cached like any public page.
    assert not no_store(client.get(reverse("contracts:public_detail", args=[contract.pk])))
    client.force_login(user_with_role(contract, ContractRole.Role.COORDINATOR))
    urls = [
        reverse("core:dashboard"),
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:public_detail", args=[contract.pk]),
        reverse("monitoring:evidence", args=[contract.pk, evidence.pk]),
        reverse("contracts:export_json", args=[contract.pk]),
        reverse("finance:budget_csv", args=[contract.pk]),
        reverse("spreadsheets:export", args=[contract.pk, "xlsx"]),
        reverse("api:contract-list"),
        reverse("api:contract-detail", args=[contract.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), (url, response.get("Cache-Control"))


def test_the_api_is_never_stored_even_anonymously(client):
    response = client.get(reverse("api:contract-list"))
    assert no_store(response)


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_a_session_idle_for_too_long_ends_with_a_french_message(client, settings):
    client.force_login(UserFactory())
    dashboard = reverse("core:dashboard")
    assert client.get(dashboard).status_code == 200
    _age_session(client, **{middleware.LAST_SEEN: settings.SESSION_IDLE_TIMEOUT - 120})
    assert client.get(dashboard).status_code == 200  # still within the idle time: refreshed
    _age_session(client, **{middleware.LAST_SEEN: settings.SESSION_IDLE_TIMEOUT + 1})
    response = client.get(dashboard)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Votre session a expiré" in page
    assert "_auth_user_id" not in client.session


def test_an_active_session_still_ends_after_the_absolute_timeout(client, settings):
    client.force_login(UserFactory())
    dashboard = reverse("core:dashboard")
    client.get(dashboard)
    _age_session(
        client, **{middleware.STARTED: settings.SESSION_ABSOLUTE_TIMEOUT + 1, middleware.LAST_SEEN: 5}
    )
    assert client.get(dashboard).status_code == 302
    assert settings.SESSION_IDLE_TIMEOUT == 2 * 3600 and settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 3600


def test_password_reset_mails_are_throttled_per_address(client, settings):
    UserFactory(email="alice@exemple.fr")
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
        assert client.post(RESET, {"email": "alice@exemple.fr"}).status_code == 302
    response = client.post(RESET, {"email": "Alice@Exemple.fr"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert "Trop de demandes de réinitialisation du mot de passe" in response.content.decode()
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL


def test_password_reset_mails_are_throttled_per_address_ip(client, settings):
    for index in range(settings.PASSWORD_RESET_LIMIT_PER_IP):
        assert client.post(RESET, {"email": f"personne{index}@exemple.fr"}).status_code == 302
    UserFactory(email="bruno@exemple.fr")
    response = client.post(RESET, {"email": "bruno@exemple.fr"})
    assert response.status_code == 429
    assert mail.outbox == []
    # Another address is not held back by this one.
    assert client.post(RESET, {"email": "bruno@exemple.fr"}, REMOTE_ADDR="10.2.2.2").status_code == 302
    assert len(mail.outbox) == 1
