import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from opencls.testing.factories import DEFAULT_PASSWORD, UserFactory

LOGIN_URL = reverse("accounts:login")
WRONG_PASSWORD = "Saisissez un nom d’utilisateur et un mot de passe valides."


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email="alice@exemple.fr", first_name="Alice", last_name="Durand")


@pytest.mark.django_db
def test_login_page_is_a_dsfr_page_in_french(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "fr"
    assert page.select_one("header.fr-header") and page.select_one("footer.fr-footer")
    assert page.h1.get_text(strip=True) == "Se connecter à OpenCLS"
    labels = [label.get_text(" ", strip=True).rstrip(" *") for label in page.select("form label.fr-label")]
    assert labels == ["Nom d’utilisateur", "Mot de passe"]
    assert page.select_one("input#id_username")["class"] == ["fr-input"]
    assert page.select_one("form button.fr-btn").get_text(strip=True) == "Se connecter"


def test_right_password_logs_in_and_lands_on_the_dashboard(client, alice):
    response = client.post(LOGIN_URL, {"username": "alice", "password": DEFAULT_PASSWORD}, follow=True)
    assert response.redirect_chain == [
        (reverse("campaigns:after_login"), 302),
        (reverse("core:dashboard"), 302),
    ]
    assert "Tableau de bord" in text_of(response)
    assert "Bonjour Alice Durand." in text_of(response)


def test_login_goes_back_to_the_page_asked_for(client, alice):
    target = reverse("accounts:login") + "?next=" + reverse("api:schema-ui")
    response = client.post(target, {"username": "alice", "password": DEFAULT_PASSWORD, "next": "/api/docs/"})
    assert response.status_code == 302
    assert response.url == "/api/docs/"


def test_login_refuses_to_redirect_off_site(client, alice):
    data = {"username": "alice", "password": DEFAULT_PASSWORD, "next": "https://exemple.com/piege"}
    response = client.post(LOGIN_URL, data)
    assert response.url == reverse("campaigns:after_login")


def test_wrong_password_shows_the_french_error_next_to_the_form(client, alice):
    response = client.post(LOGIN_URL, {"username": "alice", "password": "pas-le-bon"})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    error = page.select_one("form .fr-error-text").get_text(" ", strip=True)
    assert error.startswith(WRONG_PASSWORD)
    assert "_auth_user_id" not in client.session
    # The username typed is kept, the password is not.
    assert page.select_one("input#id_username")["value"] == "alice"
    assert not page.select_one("input#id_password").get("value")


def test_empty_fields_are_reported_in_french(client, db):
    response = client.post(LOGIN_URL, {"username": "", "password": ""})
    assert text_of(response).count("Ce champ est obligatoire.") == 2
    # The first field in error gets the focus.
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("input#id_username").has_attr("autofocus")
    assert not page.select_one("input#id_password").has_attr("autofocus")


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN_URL, {"username": "alice", "password": "pas-le-bon"})
        assert response.status_code == 200
    response = client.post(LOGIN_URL, {"username": "alice", "password": "pas-le-bon"})
    assert response.status_code == 429

    response = client.post(LOGIN_URL, {"username": "alice", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    text = text_of(response)
    assert "Trop de tentatives de connexion" in text
    assert "Votre compte est temporairement bloqué" in text
    assert BeautifulSoup(response.content, "html.parser").html["lang"] == "fr"
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_per_address(client, alice, settings):
    UserFactory(username="bruno")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"username": "alice", "password": "pas-le-bon"}, REMOTE_ADDR="10.0.0.1")
    # Another address logs in, as bruno or even as alice …
    response = client.post(
        LOGIN_URL, {"username": "bruno", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    response = client.post(
        LOGIN_URL, {"username": "alice", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.0.0.3"
    )
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    # … while the address that failed is locked for every username.
    response = client.post(
        LOGIN_URL, {"username": "bruno", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429


def test_one_address_cannot_spray_many_usernames(client, alice, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            LOGIN_URL, {"username": f"inconnu{index}", "password": "x"}, REMOTE_ADDR="10.0.0.9"
        )
    assert response.status_code == 429
    response = client.post(
        LOGIN_URL, {"username": "alice", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in text_of(response)


def test_a_success_before_the_limit_resets_the_failures(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN_URL, {"username": "alice", "password": "pas-le-bon"})
    assert client.post(LOGIN_URL, {"username": "alice", "password": DEFAULT_PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    response = client.post(LOGIN_URL, {"username": "alice", "password": "pas-le-bon"})
    assert response.status_code == 200


def test_logout(client, alice):
    client.force_login(alice)
    assert client.get(reverse("core:dashboard")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == LOGIN_URL
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_logout_button_is_in_the_header(client, alice):
    client.force_login(alice)
    page = BeautifulSoup(client.get(reverse("core:dashboard")).content, "html.parser")
    logout_url = reverse("accounts:logout")
    form = page.select_one(f"header form[action='{logout_url}']")
    assert form["method"] == "post"
    assert form.button.get_text(strip=True) == "Se déconnecter"


def reset_link(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_password_reset_sends_a_link_that_sets_a_new_password(client, alice):
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@exemple.fr"}, follow=True)
    assert "Courriel envoyé" in text_of(response)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@exemple.fr"]
    assert "Bonjour" in message.body and "alice" in message.body

    response = client.get(reset_link(message), follow=True)
    assert response.status_code == 200
    assert "Choisir un nouveau mot de passe" in text_of(response)
    set_password_url = response.redirect_chain[-1][0]
    new_password = "Un-nouveau-secret-2026"
    response = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")

    alice.refresh_from_db()
    assert alice.check_password(new_password)
    response = client.post(LOGIN_URL, {"username": "alice", "password": new_password})
    assert response.status_code == 302
    # The link works once only.
    client.post(reverse("accounts:logout"))
    response = client.get(reset_link(message), follow=True)
    assert "Ce lien n'est plus valable" in text_of(response)


def test_password_reset_rejects_a_weak_password_in_french(client, alice):
    client.post(reverse("accounts:password_reset"), {"email": "alice@exemple.fr"})
    response = client.get(reset_link(mail.outbox[0]), follow=True)
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Ce mot de passe est trop court." in text
    alice.refresh_from_db()
    assert alice.check_password(DEFAULT_PASSWORD)


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, alice):
    response = client.post(reverse("accounts:password_reset"), {"email": "personne@exemple.fr"}, follow=True)
    assert "Courriel envoyé" in text_of(response)
    assert mail.outbox == []


def test_password_reset_with_a_forged_link_is_refused(client, alice):
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-def"})
    response = client.get(url, follow=True)
    assert "Ce lien n'est plus valable : demandez-en un nouveau." in text_of(response)
