"""ProConnect without a browser: claim mapping, account rules, settings, views' edges."""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

from opencls.accounts.models import Organisation, User
from opencls.accounts.proconnect import config
from opencls.accounts.proconnect.backend import ProConnectBackend
from opencls.accounts.proconnect.claims import Identity, ProConnectRefusal, identity_from_claims
from opencls.accounts.services import proconnect_sign_in
from opencls.testing.factories import DEFAULT_PASSWORD, OrganisationFactory, UserFactory

SIRET = "13000549100010"
SECRET = "secret-du-client-opencls-assez-long-pour-hs256"
ISSUER = "https://proconnect.exemple.gouv.fr/api/v2"
CLAIMS = {
    "sub": "abc",
    "email": "claire.martin@ars.sante.fr",
    "given_name": "Claire",
    "usual_name": "Martin",
    "siret": SIRET,
}


def identity(**changes):
    return Identity(
        **{
            "sub": "abc",
            "email": "claire.martin@ars.sante.fr",
            "given_name": "Claire",
            "usual_name": "Martin",
            "siret": SIRET,
            **changes,
        }
    )


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def configured(settings):
    """ProConnect configured with explicit endpoints (no discovery, nothing contacted)."""
    config.forget_discovery()
    settings.PROCONNECT_ISSUER = ""
    settings.PROCONNECT_DISCOVERY_URL = ""
    settings.OIDC_RP_CLIENT_ID = "client-opencls"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{ISSUER}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{ISSUER}/jwks"
    settings.PROCONNECT_END_SESSION_ENDPOINT = f"{ISSUER}/session/end"
    settings.PROCONNECT_PKCE = "auto"
    yield settings
    config.forget_discovery()


# --- claims -------------------------------------------------------------------------------------


def test_claims_map_to_an_identity():
    claims = {
        **CLAIMS,
        "given_name": "  Claire   Anne ",
        "siret": "130 005 491 00010",
        "uid": "x",
        "idp_id": "y",
    }
    assert identity_from_claims(claims) == identity(given_name="Claire Anne")


def test_family_name_stands_in_for_a_missing_usual_name():
    claims = {**CLAIMS, "usual_name": None, "family_name": "Martin"}
    assert identity_from_claims(claims).usual_name == "Martin"


@pytest.mark.parametrize("siret", ["", None, "123", "1300054910001A", 13000549100010.0])
def test_a_missing_or_malformed_siret_is_no_siret(siret):
    assert identity_from_claims({**CLAIMS, "siret": siret}).siret == ""


@pytest.mark.parametrize("email", [None, "", "pas-une-adresse", 42])
def test_a_missing_or_invalid_email_is_refused_in_french(email):
    with pytest.raises(ProConnectRefusal, match="ProConnect n’a pas transmis d’adresse électronique valide"):
        identity_from_claims({**CLAIMS, "email": email})


@pytest.mark.parametrize("verified", [False, "false", "False"])
def test_an_email_said_unverified_is_refused_in_french(verified):
    with pytest.raises(ProConnectRefusal, match="n’est pas vérifiée"):
        identity_from_claims({**CLAIMS, "email_verified": verified})


@pytest.mark.parametrize("verified", [True, "true"])
def test_an_email_said_verified_or_not_said_is_accepted(verified):
    assert identity_from_claims({**CLAIMS, "email_verified": verified}).email == CLAIMS["email"]
    assert identity_from_claims(CLAIMS).email == CLAIMS["email"]


# --- accounts -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_login_with_a_known_siret_creates_the_account():
    ars = OrganisationFactory(name="ARS Hauts-de-France", siret=SIRET)
    user, notices = proconnect_sign_in(identity())
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "claire.martin@ars.sante.fr",
        "claire.martin@ars.sante.fr",
        "Claire",
        "Martin",
    )
    assert user.organisation == ars and not user.has_usable_password()
    assert notices == ["Votre compte OpenCLS a été créé et rattaché à ARS Hauts-de-France."]


@pytest.mark.django_db
def test_a_taken_username_gets_a_suffix():
    OrganisationFactory(siret=SIRET)
    UserFactory(username="claire.martin@ars.sante.fr", email="autre@exemple.fr")
    user, _ = proconnect_sign_in(identity())
    assert user.username == "claire.martin@ars.sante.fr-2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("siret", "twins", "reason"),
    [
        (
            "99999999999999",
            False,
            "votre établissement (SIRET 99999999999999) n’est pas encore connu d’OpenCLS",
        ),
        ("", False, "ProConnect n’a pas transmis le SIRET de votre établissement"),
        (SIRET, True, "plusieurs organisations d’OpenCLS portent le SIRET 13000549100010"),
    ],
)
def test_no_account_is_created_without_one_known_organisation(siret, twins, reason):
    OrganisationFactory(name="ARS", siret=SIRET)
    if twins:
        OrganisationFactory(name="ARS bis", siret=SIRET)
    with pytest.raises(ProConnectRefusal) as refused:
        proconnect_sign_in(identity(siret=siret))
    assert reason in refused.value.message
    assert "Demandez à la coordination de votre contrat de vous inviter" in refused.value.message
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_existing_account_is_found_by_email_whatever_its_case_and_filled_not_overwritten():
    ars = OrganisationFactory(name="ARS", siret=SIRET)
    claire = UserFactory(
        username="claire",
        email="Claire.Martin@ARS.sante.fr",
        first_name="Cl.",
        last_name="",
        organisation=None,
    )
    user, notices = proconnect_sign_in(identity())
    claire.refresh_from_db()
    assert user == claire and claire.has_usable_password()
    assert (claire.first_name, claire.last_name, claire.organisation) == ("Cl.", "Martin", ars)
    assert notices == [f"Votre compte est désormais rattaché à ARS (SIRET {SIRET})."]


@pytest.mark.django_db
def test_an_existing_organisation_is_never_replaced_nor_modified():
    commune = OrganisationFactory(name="Commune de Lens", siret="21620498000014")
    ars = OrganisationFactory(name="ARS", siret=SIRET)
    claire = UserFactory(email="claire.martin@ars.sante.fr", organisation=commune)
    before = [(o.pk, o.name, o.siret, o.history.count()) for o in (commune, ars)]
    user, notices = proconnect_sign_in(identity())
    claire.refresh_from_db()
    assert claire.organisation == commune
    assert notices == [
        f"Votre compte reste rattaché à Commune de Lens ; ProConnect vous rattache à ARS (SIRET {SIRET}). "
        "Un administrateur peut modifier ce rattachement."
    ]
    assert [(o.pk, o.name, o.siret, o.history.count()) for o in Organisation.objects.order_by("pk")] == before


@pytest.mark.django_db
def test_an_existing_account_with_an_unknown_siret_still_signs_in_and_is_told():
    claire = UserFactory(email="claire.martin@ars.sante.fr", organisation=None)
    user, notices = proconnect_sign_in(identity(siret="99999999999999"))
    assert user == claire and user.organisation is None
    assert notices == [
        "L’établissement transmis par ProConnect (SIRET 99999999999999) n’est pas connu d’OpenCLS."
    ]


@pytest.mark.django_db
def test_an_existing_account_is_not_attached_to_one_of_two_organisations_sharing_a_siret():
    OrganisationFactory(name="ARS", siret=SIRET)
    OrganisationFactory(name="ARS bis", siret=SIRET)
    claire = UserFactory(email="claire.martin@ars.sante.fr", organisation=None)
    user, notices = proconnect_sign_in(identity())
    assert user == claire and user.organisation is None
    assert notices == [
        f"Plusieurs organisations d’OpenCLS portent le SIRET {SIRET} transmis par ProConnect : "
        "votre rattachement reste inchangé."
    ]


@pytest.mark.django_db
def test_twin_accounts_and_disabled_accounts_are_refused():
    UserFactory(email="claire.martin@ars.sante.fr", is_active=False)
    with pytest.raises(ProConnectRefusal, match="désactivé"):
        proconnect_sign_in(identity())
    UserFactory(email="CLAIRE.martin@ars.sante.fr")
    with pytest.raises(ProConnectRefusal, match="Plusieurs comptes OpenCLS portent l’adresse"):
        proconnect_sign_in(identity())


# --- settings and pages -------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_configuration_there_is_no_button_and_no_proconnect_address(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert not config.is_enabled()
    page = BeautifulSoup(client.get(reverse("accounts:login")).content, "html.parser")
    assert page.select_one(".fr-connect") is None
    assert client.get(reverse("accounts:proconnect_login")).status_code == 404
    assert client.get(reverse("accounts:proconnect_callback") + "?code=a&state=b").status_code == 404


@pytest.mark.django_db
def test_the_login_page_offers_the_dsfr_proconnect_button_keeping_next(client, configured):
    response = client.get(reverse("accounts:login") + "?next=/contrats/3/?onglet=a%26b")
    button = BeautifulSoup(response.content, "html.parser").select_one("a.fr-connect")
    assert button.get_text(" ", strip=True) == "S’identifier avec ProConnect"
    assert button["href"] == "/comptes/proconnect/connexion/?next=/contrats/3/%3Fonglet%3Da%26b"
    link = BeautifulSoup(response.content, "html.parser").select_one(".fr-connect-group p a")
    assert (link.get_text(strip=True), link["href"]) == (
        "Qu’est-ce que ProConnect ?",
        "https://www.proconnect.gouv.fr/",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("pkce", "sent"), [("auto", False), ("true", True), ("false", False)])
def test_the_authorization_request(client, configured, pkce, sent):
    configured.PROCONNECT_PKCE = pkce
    response = client.get(reverse("accounts:proconnect_login") + "?next=/contrats/3/")
    url = urlsplit(response.url)
    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ISSUER}/authorize"
    assert params["client_id"] == "client-opencls"
    assert params["redirect_uri"] == "http://testserver/comptes/proconnect/retour/"
    assert params["scope"] == "openid email given_name usual_name siret"
    assert ("code_challenge" in params) is sent
    stored = client.session["oidc_states"][params["state"]]
    assert stored["nonce"] == params["nonce"]
    assert client.session["oidc_login_next"] == "/contrats/3/"


@pytest.mark.django_db
def test_an_off_site_next_is_dropped(client, configured):
    client.get(reverse("accounts:proconnect_login") + "?next=https://exemple.com/piege")
    assert client.session["oidc_login_next"] is None


@pytest.mark.django_db
def test_an_unreachable_provider_is_told_in_french(client, configured):
    configured.PROCONNECT_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    configured.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    configured.PROCONNECT_PKCE = "auto"
    configured.OIDC_TIMEOUT = 2
    response = client.get(reverse("accounts:proconnect_login") + "?next=/contrats/3/")
    assert response.url == "/comptes/connexion/?next=%2Fcontrats%2F3%2F"
    assert texts(response) == ["ProConnect est momentanément injoignable : réessayez dans quelques minutes."]


@pytest.mark.django_db
def test_a_refusal_at_the_provider_is_told_in_french(client, configured):
    client.get(reverse("accounts:proconnect_login"))
    state = next(iter(client.session["oidc_states"]))
    response = client.get(reverse("accounts:proconnect_callback") + f"?error=access_denied&state={state}")
    assert response.url == reverse("accounts:login")
    assert texts(response) == ["La connexion avec ProConnect a été annulée ou refusée."]
    assert state not in client.session["oidc_states"]


@pytest.mark.django_db
@pytest.mark.parametrize("on", ["organisation", "user"])
def test_local_password_is_refused_when_an_admin_requires_proconnect(client, configured, on):
    organisation = OrganisationFactory(proconnect_required=on == "organisation")
    UserFactory(username="alice", organisation=organisation, proconnect_required=on == "user")
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Votre organisation impose la connexion avec ProConnect" in response.content.decode()

    configured.OIDC_RP_CLIENT_ID = ""  # ProConnect not configured: the flag cannot lock anyone out
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_logout_after_proconnect_goes_through_the_end_session(client, configured):
    client.force_login(UserFactory())
    session = client.session
    session["oidc_id_token"] = "le.jeton.id"
    session.save()
    response = client.post(reverse("accounts:logout"))
    url = urlsplit(response.url)
    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ISSUER}/session/end"
    assert params["id_token_hint"] == "le.jeton.id"
    assert params["post_logout_redirect_uri"] == "http://testserver/comptes/proconnect/deconnexion/"
    assert "_auth_user_id" not in client.session and "oidc_id_token" not in client.session

    wrong = client.get(reverse("accounts:proconnect_logout_done") + "?state=autre")
    assert texts(wrong) == [
        "Vous êtes déconnecté d’OpenCLS. La confirmation de ProConnect ne correspond pas à votre demande."
    ]
    assert "proconnect_logout_state" not in client.session  # one use only


@pytest.mark.django_db
def test_local_logout_stays_local(client, configured):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")


def _token(**claims):
    base = {"iss": ISSUER, "aud": "client-opencls", "sub": "abc", "nonce": "n", "exp": int(time.time()) + 60}
    return jwt.encode({**base, **claims}, SECRET, algorithm="HS256")


@pytest.mark.parametrize(
    ("claims", "ok"),
    [
        ({}, True),
        ({"aud": ["autre", "client-opencls"]}, True),
        ({"aud": "autre"}, False),
        ({"iss": "https://ailleurs.fr"}, False),
        ({"nonce": "autre"}, False),
        ({"exp": int(time.time()) - 600}, False),
    ],
)
def test_the_id_token_must_be_for_this_client_from_this_issuer(configured, claims, ok):
    configured.OIDC_RP_SIGN_ALGO = "HS256"
    configured.PROCONNECT_ISSUER = ISSUER
    backend = ProConnectBackend()
    super(ProConnectBackend, backend).__init__()
    if ok:
        assert backend.verify_token(_token(**claims), nonce="n")["sub"] == "abc"
    else:
        with pytest.raises((SuspiciousOperation, jwt.ExpiredSignatureError)):
            backend.verify_token(_token(**claims), nonce="n")


@pytest.mark.django_db
def test_proconnect_failures_do_not_lock_the_address_but_password_failures_still_do(client, settings):
    from axes.models import AccessAttempt
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        request = RequestFactory().get("/comptes/proconnect/retour/?code=a&state=b")
        request.session = client.session
        assert authenticate(request, nonce="n", code_verifier=None) is None
        assert not getattr(request, "axes_locked_out", False)
    assert not AccessAttempt.objects.exists()
    UserFactory(username="alice")
    client.post(reverse("accounts:login"), {"username": "alice", "password": "pas-le-bon"})
    assert AccessAttempt.objects.get().username == "alice"
