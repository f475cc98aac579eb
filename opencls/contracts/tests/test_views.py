import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opencls.contracts.models import Contract, ContractRole
from opencls.testing import factories

pytestmark = pytest.mark.django_db
COORDINATOR = ContractRole.Role.COORDINATOR
# Session, user, contract, role, the plan (6), territory (2), signatories, diagnosis, and the
# alert providers of the other apps (a fixed number each, whatever the size of the contract).
# + 5 for issue 14: QPV table (quartiers, their communes, actions, operations) and attached contracts.
OVERVIEW_QUERIES = 26


def contract_with_actions(count: int) -> Contract:
    contract = factories.ContractFactory()
    axis = factories.AxisFactory(contract=contract)
    for _ in range(count):
        action = factories.ActionFactory(axis=axis, leads=[factories.OrganisationFactory()])
        factories.OperationFactory(action=action, leads=[factories.OrganisationFactory()])
    commune = factories.MunicipalityFactory(territory=contract.territory, neighbourhood_inhabitants=250)
    commune.neighbourhoods.add(factories.PriorityNeighbourhoodFactory(territory=contract.territory))
    return contract


def test_overview_query_count_does_not_grow_with_actions(client):
    contract = contract_with_actions(2)
    client.force_login(factories.user_with_role(contract, COORDINATOR))
    url = reverse("contracts:detail", args=[contract.pk])
    client.get(url)  # warm caches that are not per-request (content types)
    with CaptureQueriesContext(connection) as with_two:
        client.get(url)
    axis = contract.axes.get()
    for _ in range(8):
        action = factories.ActionFactory(axis=axis, leads=[factories.OrganisationFactory()])
        factories.OperationFactory(action=action, leads=[factories.OrganisationFactory()])
    with CaptureQueriesContext(connection) as with_ten:
        response = client.get(url)
    assert "10 fiches actions" in response.content.decode()
    assert len(with_ten) == len(with_two) == OVERVIEW_QUERIES


def test_overview_shows_plan_and_computed_qpv_share(client):
    contract = contract_with_actions(1)
    municipality = contract.territory.municipalities.get()
    municipality.stated_neighbourhood_share = "30.00"  # the document's figure, wrong on purpose
    municipality.save()
    contract.territory.stated_municipality_count = 36
    contract.territory.save()
    client.force_login(factories.user_with_role(contract, COORDINATOR))
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    action = contract.actions.get()
    assert action.title in page and action.operations.get().title in page
    assert "25,00 %" in page  # 250 / 1000, computed
    assert "le document indique 30,00 %" in page
    assert "Nombre de communes : le document annonce 36, les lignes saisies donnent 1." in page


def test_member_reads_but_cannot_publish(client):
    contract = contract_with_actions(1)
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 200
    response = client.post(reverse("contracts:publish", args=[contract.pk]), {"publish": "1"})
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    contract.refresh_from_db()
    assert not contract.is_published


def test_public_page_shows_only_published_contracts_and_public_actions(client):
    contract = contract_with_actions(2)
    contract.actions.update(is_public=True)  # a new fiche is private: the coordinator marked them
    hidden = contract.actions.first()
    hidden.is_public = False
    hidden.save()
    url = reverse("contracts:public_detail", args=[contract.pk])
    assert client.get(url).status_code == 404
    coordinator = factories.user_with_role(contract, COORDINATOR)
    client.force_login(coordinator)
    client.post(reverse("contracts:publish", args=[contract.pk]), {"op": "publish", "confirmed": "1"})
    client.logout()
    page = client.get(url).content.decode()
    assert contract.title in page
    assert hidden.title not in page
    assert contract.actions.last().title in page
    listing = client.get(reverse("contracts:public_list")).content.decode()
    assert contract.title in listing


def test_create_contract_shows_french_errors_then_creates(client):
    user = factories.UserFactory(can_create_contracts=True)
    client.force_login(user)
    url = reverse("contracts:create")
    response = client.post(
        url,
        {
            "kind": "cls",
            "title": "",
            "territory_name": "CA",
            "territory_kind": "epci",
            "region": "Hauts-de-France",
            "start_date": "2026-01-01",
            "end_date": "2025-01-01",
        },
    )
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page
    assert "La date de fin doit suivre la date de début." in page
    response = client.post(
        url,
        {
            "kind": "clsi",
            "title": "CLS de test",
            "territory_name": "CA du test",
            "territory_kind": "epci",
            "region": "Hauts-de-France",
        },
    )
    contract = Contract.objects.get(title="CLS de test")
    assert response.url == reverse("contracts:detail", args=[contract.pk])
    assert ContractRole.objects.filter(contract=contract, user=user, role=COORDINATOR).exists()


def test_json_download_then_upload_creates_a_copy(client):
    contract = contract_with_actions(2)
    user = factories.user_with_role(contract, COORDINATOR, can_create_contracts=True)
    client.force_login(user)
    response = client.get(reverse("contracts:export_json", args=[contract.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    upload = SimpleUploadedFile("c.json", response.content, content_type="application/json")
    response = client.post(reverse("contracts:import_json"), {"file": upload})
    copy_ = Contract.objects.exclude(pk=contract.pk).get()
    assert response.url == reverse("contracts:detail", args=[copy_.pk])
    assert copy_.actions.count() == 2


def test_json_upload_errors_are_french_and_nothing_is_written(client):
    client.force_login(factories.UserFactory(can_create_contracts=True))
    bad = {"schema_version": "1", "contract": {"kind": "cls", "title": "X"}}
    upload = SimpleUploadedFile("c.json", json.dumps(bad).encode(), content_type="application/json")
    response = client.post(reverse("contracts:import_json"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "rien n'a été enregistré" in page
    assert "champ obligatoire manquant : territory" in page
    not_json = SimpleUploadedFile("c.json", b"{pas du json", content_type="application/json")
    page = client.post(reverse("contracts:import_json"), {"file": not_json}).content.decode()
    assert "JSON invalide, ligne 1" in page
    assert not Contract.objects.exists()


def test_other_contract_is_hidden(client):
    mine, theirs = contract_with_actions(1), contract_with_actions(1)
    client.force_login(factories.user_with_role(mine, ContractRole.Role.LEAD))
    assert client.get(reverse("contracts:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("contracts:export_json", args=[theirs.pk])).status_code == 404


def test_counts_follow_french_plural_rules(client):
    contract = factories.ContractFactory()
    client.force_login(factories.user_with_role(contract, COORDINATOR))
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "0 axe, 0 fiche action, 0 opération." in page  # French: zero is singular
