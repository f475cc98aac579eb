import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.core.views import error_500
from opencls.testing.factories import ContractFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def dsfr_page(response):
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "fr"
    assert page.select_one("header.fr-header") is not None
    assert page.select_one("footer.fr-footer") is not None
    return page


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_unknown_url_gets_the_dsfr_404_page_in_french(client, logged_in):
    if logged_in:
        client.force_login(UserFactory())
    response = client.get("/cette-page/nexiste-pas/")
    assert response.status_code == 404
    page = dsfr_page(response)
    assert page.h1.get_text(strip=True) == "Page non trouvée"
    assert "Erreur 404" in page.get_text()
    assert "La page que vous cherchez est introuvable." in page.get_text()


def test_another_contract_is_a_404_not_a_403(client):
    contract = ContractFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("core:contract_history", args=[contract.pk]))
    assert response.status_code == 404
    assert dsfr_page(response).h1.get_text(strip=True) == "Page non trouvée"


def test_forbidden_contract_action_gets_the_dsfr_403_page_in_french(client):
    contract = ContractFactory()
    client.force_login(user_with_role(contract, ContractRole.Role.MEMBER))
    response = client.post(reverse("contracts:publish", args=[contract.pk]), {"publish": "1"})
    assert response.status_code == 403
    page = dsfr_page(response)
    assert page.h1.get_text(strip=True) == "Accès refusé"
    assert "Erreur 403" in page.get_text()
    assert "Vous n'avez pas les droits nécessaires" in page.get_text()
    contract.refresh_from_db()
    assert not contract.is_published


def test_published_contract_private_page_is_403_for_a_user_without_role(client):
    contract = ContractFactory(published=True)
    client.force_login(UserFactory())
    response = client.get(reverse("core:contract_history", args=[contract.pk]))
    assert response.status_code == 403
    assert dsfr_page(response).h1.get_text(strip=True) == "Accès refusé"


@pytest.mark.parametrize(
    "url_name, with_pk",
    [
        ("core:dashboard", False),
        ("contracts:create", False),
        ("contracts:detail", True),
        ("core:contract_history", True),
    ],
)
def test_anonymous_is_sent_to_the_login_page(client, url_name, with_pk):
    contract = ContractFactory(published=True)
    url = reverse(url_name, args=[contract.pk] if with_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("url_name", ["accounts:login", "accounts:password_reset", "contracts:public_list"])
def test_public_pages_need_no_login(client, url_name):
    assert client.get(reverse(url_name)).status_code == 200


def test_server_error_page_is_french_and_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = error_500(request)
    assert response.status_code == 500
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "fr"
    assert page.h1.get_text(strip=True) == "Erreur inattendue"
