"""Imports never change an existing organisation that other contracts use: they reuse it as it is
(same SIRET or same name) and show what the document says differently as a proposal."""

import copy

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from opencls.accounts.models import Organisation
from opencls.accounts.services import organisation_get_or_create
from opencls.contracts.io import contract_from_json, contract_to_json
from opencls.contracts.models import Contract, ContractRole
from opencls.core.tests.test_history import history_rows, history_url
from opencls.imports.models import DocumentImport
from opencls.testing.factories import ContractFactory, SignatoryFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract_a():
    contract = ContractFactory(title="CLS de l'Artois")
    cpam = Organisation.objects.create(name="CPAM de l'Artois", kind=Organisation.Kind.OTHER)
    SignatoryFactory(contract=contract, organisation=cpam)
    return contract


def document_b(contract_a) -> dict:
    """Contract B's JSON: another contract naming the same CPAM with other details."""
    data = copy.deepcopy(contract_to_json(contract_a))
    data["contract"]["title"] = "CLS de Béthune-Bruay"
    data["contract"]["territory"]["name"] = "CA Béthune-Bruay"
    data["contract"]["signatories"][0]["organisation"] = "CPAM DE L'ARTOIS"
    data["contract"]["organisations"] = [
        {"name": "CPAM DE L'ARTOIS", "kind": "cpam", "siret": "12345678901234"}
    ]
    return data


def test_contract_b_with_a_differing_organisation_leaves_contract_a_unchanged(client, contract_a):
    cpam = Organisation.objects.get()
    history_before = list(Organisation.history.values_list("history_id", flat=True))
    contract_b = contract_from_json(document_b(contract_a))

    cpam.refresh_from_db()
    assert (cpam.name, cpam.kind, cpam.siret) == ("CPAM de l'Artois", "other", "")
    assert list(Organisation.history.values_list("history_id", flat=True)) == history_before
    assert contract_b.signatories.get().organisation == cpam  # reused, not duplicated
    client.force_login(user_with_role(contract_a, ContractRole.Role.MEMBER))
    rows = history_rows(client.get(history_url(contract_a)))
    assert [row for row in rows if row[2].startswith("Organisation") and row[3] != "Création"] == []


def test_an_organisation_is_matched_by_siret_before_its_name():
    known = Organisation.objects.create(name="Caisse primaire de l'Artois", siret="12345678901234")
    assert organisation_get_or_create(name="CPAM Artois", kind="cpam", siret="12345678901234") == known
    known.refresh_from_db()
    assert (known.name, known.kind) == ("Caisse primaire de l'Artois", "other")
    created = organisation_get_or_create(name="CPAM du Hainaut", kind="cpam", siret="98765432109876")
    assert (created.kind, created.siret) == ("cpam", "98765432109876")


def test_the_review_shows_the_differences_as_a_proposal_never_applied(contract_a):
    user = UserFactory(can_create_contracts=True)
    document_import = DocumentImport.objects.create(
        user=user, filename="b.docx", file_format="DOCX", size=1, data=document_b(contract_a)
    )
    client = Client()
    client.force_login(user)
    page = client.get(reverse("imports:review", args=[document_import.pk])).content.decode()
    assert "Organisations déjà connues" in page

    rows = [
        [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in BeautifulSoup(page, "html.parser").select("#organisation-proposals tbody tr")
    ]
    assert rows == [
        ["CPAM de l'Artois", "Nom", "CPAM de l'Artois", "CPAM DE L'ARTOIS"],
        ["CPAM de l'Artois", "Type", "Autre", "CPAM / Assurance maladie"],
        ["CPAM de l'Artois", "SIRET", "—", "12345678901234"],
    ]
    response = client.post(
        reverse("imports:review", args=[document_import.pk]),
        {
            "title": "CLS de Béthune-Bruay",
            "kind": "cls",
            "territory_name": "CA Béthune-Bruay",
            "territory_kind": "epci",
            "create_new": "1",
        },
    )
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select_one(
        "#save-errors"
    )
    assert Contract.objects.count() == 2
    cpam = Organisation.objects.get(normalised_name="cpam de l'artois")  # one: reused, not duplicated
    assert (cpam.name, cpam.kind, cpam.siret) == ("CPAM de l'Artois", "other", "")
