import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    TerritoryFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("core:dashboard")


def contract_rows(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in page.select("#contracts-table tbody tr")
    ]


@pytest.mark.parametrize("count", [2, 10])
def test_dashboard_query_count_does_not_grow_with_contracts(client, django_assert_num_queries, count):
    user = UserFactory()
    for _ in range(count):
        contract = ContractFactory()
        ContractRole.objects.create(contract=contract, user=user, role=ContractRole.Role.MEMBER)
        ContractRole.objects.create(contract=contract, user=user, role=ContractRole.Role.LEAD)
        ActionFactory.create_batch(2, axis=AxisFactory(contract=contract))
    client.force_login(user)
    # Session, user, their organisation (greeting), contracts with their action count.
    with django_assert_num_queries(4):
        response = client.get(DASHBOARD)
    assert len(contract_rows(response)) == count


def test_dashboard_lists_the_users_contracts_with_their_figures(client):
    mine = ContractFactory(title="CLS de Lens-Liévin", territory=TerritoryFactory(name="CA de Lens-Liévin"))
    ActionFactory.create_batch(3, axis=AxisFactory(contract=mine))
    ContractFactory(title="CLS d'un autre territoire")
    user = user_with_role(mine, ContractRole.Role.COORDINATOR)
    # A second role on the same contract must not list it twice nor double its actions.
    ContractRole.objects.create(contract=mine, user=user, role=ContractRole.Role.LEAD)
    client.force_login(user)
    response = client.get(DASHBOARD)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text(strip=True) == "Tableau de bord"
    assert contract_rows(response) == [
        ["CLS de Lens-Liévin", "Contrat local de santé (CLS)", "CA de Lens-Liévin", "Brouillon", "3", "—"]
    ]
    link = page.select_one("#contracts-table tbody a")
    assert link["href"] == reverse("contracts:detail", args=[mine.pk])


def test_ars_reader_lands_on_the_regional_view(client):
    client.force_login(UserFactory(ars_region="Hauts-de-France"))
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"] == reverse("region:home")


def test_user_without_contract_gets_a_french_explanation(client):
    client.force_login(UserFactory())
    response = client.get(DASHBOARD)
    assert contract_rows(response) == []
    assert "Aucun contrat ne vous est encore ouvert." in response.content.decode()
