"""The importer gives the communes it reads their official codes, and lists those it cannot match."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencls.contracts.models import Contract
from opencls.demo.services import SEEDS
from opencls.imports.models import DocumentImport
from opencls.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
SEED_004 = "004_clsi_marque_melantois.txt"


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(can_create_contracts=True))
    return client


def upload(client, text: str, name: str = SEED_004):
    document = SimpleUploadedFile(name, text.encode("utf-8"))
    response = client.post(reverse("imports:upload"), {"file": document})
    assert response.status_code == 302, response.content.decode()[:2000]
    return DocumentImport.objects.latest("pk")


def test_review_lists_matched_and_unmatched_communes_and_saving_keeps_the_codes(coordinator_client, cog):
    text = (SEEDS / SEED_004).read_text("utf-8")
    # A commune that does not exist, in the table the importer reads the populations from.
    text = text.replace("Willems", "Willemsbourg").replace("WILLEMS", "WILLEMSBOURG")
    document_import = upload(coordinator_client, text)
    geo = document_import.data["extensions"]["geo"]
    assert [m["name"] for m in geo["unmatched"]] == ["Willemsbourg"]

    page = coordinator_client.get(reverse("imports:review", args=[document_import.pk])).content.decode()
    assert 'id="cog-unmatched"' in page and "« Willemsbourg »" in page
    assert "aucune commune officielle de ce nom" in page
    assert "59009" in page and "COG 2026" in page

    form = {"title": "CLSI de la Marque et du Mélantois", "kind": "clsi", "short_name": "CLSI2M",
            "territory_name": "Marque et Mélantois", "territory_kind": "intermunicipal", "region": "Hauts-de-France"}  # fmt: skip
    response = coordinator_client.post(reverse("imports:review", args=[document_import.pk]), form)
    assert response.status_code == 302
    territory = Contract.objects.get().territory
    codes = dict(territory.municipalities.values_list("name", "insee_code"))
    assert codes["Villeneuve d'Ascq"] == "59009" and codes["Willemsbourg"] == ""
    assert (territory.region_code, territory.department_code) == ("32", "59")
    ascq = territory.municipalities.get(insee_code="59009")
    assert ascq.population == 62067 and ascq.official_population and ascq.official_population_year == 2023


def test_review_says_when_the_official_geography_is_not_loaded(coordinator_client):
    document_import = upload(coordinator_client, (SEEDS / SEED_004).read_text("utf-8"))
    page = coordinator_client.get(reverse("imports:review", args=[document_import.pk])).content.decode()
    assert "Référentiel officiel non chargé" in page
