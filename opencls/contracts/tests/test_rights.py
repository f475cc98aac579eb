"""Who may create and publish contracts, and small guards of the editor."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencls.contracts.io import contract_to_json
from opencls.contracts.models import Contract, ContractRole
from opencls.imports.models import DocumentImport
from opencls.testing import factories

pytestmark = pytest.mark.django_db
COORDINATOR = ContractRole.Role.COORDINATOR


def published_json(title="CLS importé"):
    contract = factories.ContractFactory(title=title, published=True)
    data = contract_to_json(contract)
    contract.delete()
    assert data["contract"]["is_published"] is True
    return json.dumps(data).encode()


def upload_json(client, raw):
    return client.post(
        reverse("contracts:import_json"), {"file": SimpleUploadedFile("c.json", raw, "application/json")}
    )


def test_a_user_without_the_right_creates_nothing(client):
    # Coordinating a contract is not the right to create others.
    user = factories.user_with_role(factories.ContractFactory(), COORDINATOR)
    client.force_login(user)
    raw = published_json()
    count = Contract.objects.count()
    for name in ("contracts:create", "contracts:import_json", "imports:upload"):
        assert client.get(reverse(name)).status_code == 403, name
    assert upload_json(client, raw).status_code == 403
    data = {
        "kind": "cls",
        "title": "X",
        "territory_name": "T",
        "territory_kind": "epci",
        "region": "Bretagne",
    }
    assert client.post(reverse("contracts:create"), data).status_code == 403
    document = SimpleUploadedFile("contrat.docx", b"PK\x03\x04 not really")
    assert client.post(reverse("imports:upload"), {"file": document}).status_code == 403
    assert Contract.objects.count() == count and not DocumentImport.objects.exists()
    page = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("contracts:create") not in page and reverse("imports:upload") not in page


def test_an_imported_contract_is_a_draft_until_its_coordinator_publishes_it(client):
    user = factories.UserFactory(can_create_contracts=True)
    client.force_login(user)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("contracts:create") in page and reverse("imports:upload") in page
    response = upload_json(client, published_json())
    contract = Contract.objects.get(title="CLS importé")
    assert response.status_code == 302
    assert not contract.is_published
    assert ContractRole.objects.filter(contract=contract, user=user, role=COORDINATOR).exists()
    client.get(response["Location"])  # shows the flash message
    assert contract.title not in client.get(reverse("contracts:public_list")).content.decode()
    # Publishing is a separate, explicit action of the coordinator.
    client.post(reverse("contracts:publish", args=[contract.pk]), {"op": "publish", "confirmed": "1"})
    contract.refresh_from_db()
    assert contract.is_published


def test_a_superuser_import_keeps_the_publication(client):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    upload_json(client, published_json("CLS publié par l'administration"))
    assert Contract.objects.get(title="CLS publié par l'administration").is_published


def test_a_member_may_not_publish(client):
    contract = factories.ContractFactory()
    client.force_login(
        factories.user_with_role(contract, ContractRole.Role.MEMBER, can_create_contracts=True)
    )
    assert (
        client.post(
            reverse("contracts:publish", args=[contract.pk]), {"op": "publish", "confirmed": "1"}
        ).status_code
        == 403
    )
    contract.refresh_from_db()
    assert not contract.is_published


@pytest.mark.parametrize("parent", ["abc", "1.5", "-1"])
def test_a_malformed_parent_objective_is_a_french_404(client, parent):
    contract = factories.ContractFactory()
    axis = factories.AxisFactory(contract=contract)
    client.force_login(factories.user_with_role(contract, COORDINATOR))
    url = reverse("contracts:objective_add", args=[contract.pk, axis.pk])
    for response in (client.get(url, {"parent": parent}), client.post(url, {"parent": parent, "title": "X"})):
        assert response.status_code == 404
        assert "Page non trouvée" in response.content.decode()
    assert not axis.objectives.exists()
