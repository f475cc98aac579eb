"""The whole ProConnect flow in chromium against a real OpenID Connect provider on loopback."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from opencls.accounts.models import User
from opencls.contracts.models import ContractRole
from opencls.testing.factories import ContractFactory, OrganisationFactory, user_with_role
from opencls.testing.oidc import KNOWN_SIRET, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _patient_browser(page):
    """Two servers and a browser on a shared, loaded machine: wait longer than the default."""
    page.set_default_timeout(45000)
    expect.set_options(timeout=20000)


@pytest.fixture
def ars(db):
    return OrganisationFactory(name="ARS Hauts-de-France", siret=KNOWN_SIRET)


def sign_in_at_provider(page, username):
    """On the provider: its login form, then its consent page."""
    expect(page.get_by_role("heading", name="Fournisseur d'identité de test")).to_be_visible()
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion au fournisseur").click()
    page.get_by_role("button", name="Authorize").click()


def authorization_request(page):
    """The parameters OpenCLS sent to the provider's authorization endpoint (kept in `next`)."""
    next_url = parse_qs(urlsplit(page.url).query)["next"][0]
    return {key: values[0] for key, values in parse_qs(urlsplit(next_url).query).items()}


def test_first_login_creates_the_account_then_logout_ends_the_provider_session(page, proconnect, ars):
    page.goto("/comptes/connexion/")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(proconnect.origin)}/connexion/"))
    sent = authorization_request(page)
    assert sent["scope"] == "openid email given_name usual_name siret"
    assert len(sent["state"]) >= 32 and len(sent["nonce"]) >= 32  # ProConnect's minimum
    assert sent["code_challenge_method"] == "S256" and sent["code_challenge"]  # PKCE
    assert sent["redirect_uri"].endswith("/comptes/proconnect/retour/")

    sign_in_at_provider(page, "claire")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    expect(page.get_by_text("Bonjour Claire Martin.")).to_be_visible()
    expect(
        page.get_by_text("Votre compte OpenCLS a été créé et rattaché à ARS Hauts-de-France.")
    ).to_be_visible()
    expect(page.locator("#current-user")).to_have_text("Claire Martin")
    user = User.objects.get(email="claire.martin@ars.sante.fr")
    assert (user.first_name, user.last_name, user.organisation) == ("Claire", "Martin", ars)
    assert not user.has_usable_password()

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à OpenCLS")
    expect(page.get_by_text("Vous êtes déconnecté d’OpenCLS et de ProConnect.")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/comptes/connexion/\?next=/$"))
    # The provider's session ended too: signing in again asks for the password again.
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    expect(page.get_by_label("Mot de passe")).to_be_visible()
    sign_in_at_provider(page, "claire")
    expect(page.get_by_text("Bonjour Claire Martin.")).to_be_visible()
    assert User.objects.filter(email__iexact="claire.martin@ars.sante.fr").count() == 1


def test_existing_account_is_linked_by_email_and_the_page_asked_for_follows(page, proconnect, ars):
    contract = ContractFactory(title="Contrat local de santé de Lens-Liévin")
    paul = user_with_role(
        contract,
        ContractRole.Role.COORDINATOR,
        username="paul",
        email="paul.leroy@ville.fr",
        organisation=None,
    )
    page.goto(f"/contrats/{contract.pk}/")
    expect(page).to_have_url(re.compile(rf"/comptes/connexion/\?next=/contrats/{contract.pk}/$"))
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    sign_in_at_provider(page, "paul")

    expect(page).to_have_url(re.compile(rf"/contrats/{contract.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrat local de santé de Lens-Liévin")
    expect(page.get_by_text("Votre compte est désormais rattaché à ARS Hauts-de-France")).to_be_visible()
    paul.refresh_from_db()
    assert paul.organisation == ars
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("username", "message"),
    [
        (
            "nadia",
            "Votre fournisseur d’identité indique que l’adresse nadia.benali@asso.fr n’est pas vérifiée",
        ),
        ("hugo", "votre établissement (SIRET 99999999999999) n’est pas encore connu d’OpenCLS"),
    ],
)
def test_refused_identities_get_a_french_message_and_no_account(page, proconnect, ars, username, message):
    page.goto("/comptes/connexion/")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    sign_in_at_provider(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à OpenCLS")
    expect(page.locator(".fr-alert--error")).to_contain_text(message)
    assert not User.objects.exists()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/comptes/connexion/"))


def test_wrong_state_and_invalid_code_are_refused_in_french(page, proconnect, ars):
    page.goto("/comptes/proconnect/connexion/")
    state = authorization_request(page)["state"]

    page.goto("/comptes/proconnect/retour/?code=nimporte&state=pas-le-bon-etat")
    expect(page.locator(".fr-alert--error")).to_contain_text(
        "La réponse de ProConnect ne correspond à aucune connexion en cours"
    )
    page.goto(f"/comptes/proconnect/retour/?code=code-expire-ou-invente&state={state}")
    expect(page.locator(".fr-alert--error")).to_contain_text(
        "Le code de connexion transmis par ProConnect a expiré ou n’est pas valide."
    )
    # The state is spent: replaying it is refused as well.
    page.goto(f"/comptes/proconnect/retour/?code=code-expire-ou-invente&state={state}")
    expect(page.locator(".fr-alert--error")).to_contain_text("ne correspond à aucune connexion en cours")
    assert not User.objects.exists()


def test_a_real_code_already_used_is_refused_in_french(page, proconnect, ars):
    callbacks = []
    page.on(
        "request",
        lambda request: "/comptes/proconnect/retour/" in request.url and callbacks.append(request.url),
    )
    page.goto("/comptes/connexion/")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    sign_in_at_provider(page, "claire")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    code = parse_qs(urlsplit(callbacks[0]).query)["code"][0]
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à OpenCLS")

    page.goto("/comptes/proconnect/connexion/")
    state = authorization_request(page)["state"]
    page.goto(f"/comptes/proconnect/retour/?code={code}&state={state}")
    expect(page.locator(".fr-alert--error")).to_contain_text(
        "Le code de connexion transmis par ProConnect a expiré ou n’est pas valide."
    )
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/comptes/connexion/\?next=/$"))
