import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from opencls.contracts.models import Contract, ContractRole
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    OperationFactory,
    OrganisationFactory,
    TerritoryFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
COORDINATOR, LEAD, MEMBER = ContractRole.Role.COORDINATOR, ContractRole.Role.LEAD, ContractRole.Role.MEMBER
CONTRACTS = reverse("api:contract-list")


def detail_url(contract):
    return reverse("api:contract-detail", args=[contract.pk])


def actions_url(contract):
    return reverse("api:contract-actions", args=[contract.pk])


def patch(client, contract, data):
    return client.patch(detail_url(contract), json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("count", [2, 10])
def test_contract_list_has_only_the_users_contracts_in_constant_queries(
    client, django_assert_num_queries, count
):
    user = UserFactory()
    mine = []
    for _ in range(count):
        contract = ContractFactory()
        ContractRole.objects.create(contract=contract, user=user, role=MEMBER)
        ContractRole.objects.create(contract=contract, user=user, role=LEAD)  # listed once all the same
        mine.append(contract)
    ContractFactory(title="Contrat d'un autre territoire")
    ContractFactory(title="Contrat publié d'un autre territoire", published=True)
    client.force_login(user)
    with django_assert_num_queries(4):  # session, user, count, page
        response = client.get(CONTRACTS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == count
    assert [item["id"] for item in body["results"]] == [contract.pk for contract in mine]


def test_contract_list_fields(client):
    contract = ContractFactory(
        title="Contrat local de santé de Lens-Liévin",
        short_name="CLS 2L",
        territory=TerritoryFactory(name="CA de Lens-Liévin", region="Hauts-de-France"),
    )
    client.force_login(user_with_role(contract, MEMBER))
    assert client.get(CONTRACTS).json()["results"] == [
        {
            "id": contract.pk,
            "kind": "cls",
            "title": "Contrat local de santé de Lens-Liévin",
            "short_name": "CLS 2L",
            "territory": "CA de Lens-Liévin",
            "region": "Hauts-de-France",
            "status": "draft",
            "start_date": None,
            "end_date": None,
            "regional_health_plan": "",
            "is_published": False,
        }
    ]


def test_ars_reader_lists_the_contracts_of_the_region(client):
    hdf = ContractFactory(territory=TerritoryFactory(region="Hauts-de-France"))
    ContractFactory(territory=TerritoryFactory(region="Bretagne"))
    client.force_login(UserFactory(ars_region="Hauts-de-France"))
    assert [item["id"] for item in client.get(CONTRACTS).json()["results"]] == [hdf.pk]


@pytest.mark.parametrize("url_name", ["api:contract-list", "api:contract-detail", "api:contract-actions"])
def test_anonymous_gets_a_json_403_not_a_login_page(client, url_name):
    contract = ContractFactory(published=True)
    url = reverse(url_name, args=[] if url_name == "api:contract-list" else [contract.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Informations d'authentification non fournies."}


def test_contract_detail(client):
    contract = ContractFactory()
    client.force_login(user_with_role(contract, MEMBER))
    response = client.get(detail_url(contract))
    assert response.status_code == 200
    assert response.json()["title"] == contract.title


def test_another_contract_is_404(client):
    mine, other = ContractFactory(), ContractFactory()
    client.force_login(user_with_role(mine, COORDINATOR))
    for url in (detail_url(other), actions_url(other)):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Non trouvé."}
    assert patch(client, other, {"title": "Piraté"}).status_code == 404
    other.refresh_from_db()
    assert other.title != "Piraté"


def test_published_contract_of_others_is_not_readable_in_full(client):
    other = ContractFactory(published=True)
    client.force_login(UserFactory())
    assert client.get(detail_url(other)).status_code == 403
    assert client.get(actions_url(other)).status_code == 403


@pytest.mark.parametrize("role", [MEMBER, LEAD])
def test_patch_by_a_member_or_a_lead_is_refused(client, role):
    contract = ContractFactory(title="Titre d'origine")
    client.force_login(user_with_role(contract, role))
    response = patch(client, contract, {"title": "Nouveau titre"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Vous n'avez pas la permission d'effectuer cette action."}
    contract.refresh_from_db()
    assert contract.title == "Titre d'origine"


def test_patch_by_the_coordinator(client):
    contract = ContractFactory(title="Titre d'origine")
    client.force_login(user_with_role(contract, COORDINATOR))
    response = patch(
        client, contract, {"title": "Contrat local de santé 2024-2028", "end_date": "2028-12-31"}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Contrat local de santé 2024-2028"
    contract.refresh_from_db()
    assert contract.title == "Contrat local de santé 2024-2028"
    assert contract.end_date.isoformat() == "2028-12-31"


def test_patch_cannot_publish_nor_change_the_status(client):
    contract = ContractFactory()
    client.force_login(user_with_role(contract, COORDINATOR))
    response = patch(client, contract, {"is_published": True, "status": "signed"})
    assert response.status_code == 200
    contract.refresh_from_db()
    assert (contract.is_published, contract.status) == (False, Contract.Status.DRAFT)


def test_patch_with_bad_input_gets_french_errors_and_changes_nothing(client):
    contract = ContractFactory(title="Titre d'origine", start_date="2024-01-01")
    client.force_login(user_with_role(contract, COORDINATOR))
    response = patch(client, contract, {"title": "", "kind": "inconnu", "end_date": "31/12/2028"})
    assert response.status_code == 400
    errors = response.json()
    assert errors["title"] == ["Ce champ ne peut être vide."]
    assert errors["kind"] == ["«\u00a0inconnu\u00a0» n'est pas un choix valide."]
    assert errors["end_date"][0].startswith("La date n'a pas le bon format.")

    response = patch(client, contract, {"end_date": "2023-12-31"})
    assert response.status_code == 400
    assert response.json() == {"end_date": ["La date de fin doit être postérieure à la date de début."]}
    contract.refresh_from_db()
    assert (contract.title, contract.end_date) == ("Titre d'origine", None)


@pytest.mark.parametrize("count", [2, 10])
def test_contract_actions_in_constant_queries(client, django_assert_num_queries, count):
    contract = ContractFactory()
    axis = AxisFactory(contract=contract, title="Accès aux soins")
    for _ in range(count):
        action = ActionFactory(axis=axis, leads=[OrganisationFactory()])
        OperationFactory(action=action, leads=[OrganisationFactory()])
    ActionFactory(title="Action d'un autre contrat")
    client.force_login(user_with_role(contract, MEMBER))
    # Session, user, contract, roles, count, actions with their axis, their leads and partners,
    # operations, operation leads.
    with django_assert_num_queries(9):
        response = client.get(actions_url(contract))
    body = response.json()
    assert body["count"] == count
    assert {item["axis"] for item in body["results"]} == {"Accès aux soins"}


def test_contract_actions_content(client):
    contract = ContractFactory()
    city = OrganisationFactory(name="Ville de Liévin")
    cpam = OrganisationFactory(name="CPAM de l'Artois")
    action = ActionFactory(
        axis=AxisFactory(contract=contract, title="Prévention"),
        code="FA 2.3",
        title="Dépistage des cancers",
        leads=[city],
    )
    action.involvements.create(organisation=cpam, involvement="partner")
    OperationFactory(action=action, title="Bus de dépistage", leads=[cpam])
    client.force_login(user_with_role(contract, MEMBER))
    [item] = client.get(actions_url(contract)).json()["results"]
    assert (item["code"], item["title"], item["axis"]) == ("FA 2.3", "Dépistage des cancers", "Prévention")
    assert (item["leads"], item["partners"]) == (["Ville de Liévin"], ["CPAM de l'Artois"])
    assert [(op["title"], op["leads"]) for op in item["operations"]] == [
        ("Bus de dépistage", ["CPAM de l'Artois"])
    ]


def test_schema_is_an_openapi_document(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "API OpenCLS"
    assert {"/api/contrats/", "/api/contrats/{id}/", "/api/contrats/{id}/actions/"} <= set(
        schema["paths"]
    ) | {path.replace("{pk}", "{id}") for path in schema["paths"]}
    assert "patch" in (schema["paths"].get("/api/contrats/{id}/") or schema["paths"]["/api/contrats/{pk}/"])


def test_schema_ui_runs_no_inline_script_and_loads_nothing_from_elsewhere(client):
    response = client.get(reverse("api:schema-ui"))
    assert response.status_code == 200
    scripts = BeautifulSoup(response.content, "html.parser").find_all("script")
    # The Content-Security-Policy forbids inline scripts: all are files served by the site.
    assert [script.get_text(strip=True) for script in scripts] == [""] * len(scripts)
    assert all(script["src"].startswith("/") for script in scripts)
    start_up = client.get(scripts[-1]["src"])
    assert start_up.status_code == 200
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in start_up.content.decode()
