"""The territory editor's official picker: search as you type, choose, confirm, history."""

import pytest
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.core.confirm import CONFIRM_FIELD
from opencls.geo.models import OfficialCommune
from opencls.territories.models import Municipality
from opencls.testing import factories

pytestmark = pytest.mark.django_db
LENS_LIEVIN = "246200364"


@pytest.fixture
def contract(cog):
    territory = factories.TerritoryFactory(
        name="Lens-Liévin", region="", region_code="", department_code="", stated_population=242587,
        stated_municipality_count=36,
    )  # fmt: skip
    contract = factories.ContractFactory(territory=territory)
    # As the importer leaves them: names and the document's populations, no code yet.
    factories.MunicipalityFactory(territory=territory, name="Lens", population=32618, position=0)
    factories.MunicipalityFactory(
        territory=territory, name="Fouquières Les Lens", population=6233, position=1
    )
    factories.MunicipalityFactory(territory=territory, name="Lille", population=236000, position=2)
    return contract


@pytest.fixture
def coordinator(client, contract):
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    return client


def search(client, contract, q):
    return client.get(reverse("contracts:territory_official_search", args=[contract.pk]), {"q": q})


def choose(client, contract, **data):
    return client.post(reverse("contracts:territory_official_choose", args=[contract.pk]), data)


def test_search_finds_epci_departments_and_communes_by_name_or_code(coordinator, contract):
    page = search(coordinator, contract, "lens lievin").content.decode()
    assert f'value="epci:{LENS_LIEVIN}"' in page and "CA de Lens - Liévin" in page
    page = search(coordinator, contract, "Liévin").content.decode()
    assert 'value="62510"' in page  # the commune, as a checkbox
    page = search(coordinator, contract, "59").content.decode()
    assert 'value="department:59"' in page
    page = search(coordinator, contract, "62498").content.decode()
    assert 'value="62498"' in page
    assert "Aucun EPCI" in search(coordinator, contract, "zzzzqq").content.decode()


def test_search_is_limited_and_costs_fixed_queries(coordinator, contract, django_assert_num_queries):
    with django_assert_num_queries(7):  # session, user, contract, roles ×2 (cached), then 3 searches
        page = search(coordinator, contract, "saint").content.decode()
    assert page.count('name="communes"') == 20


def test_search_needs_the_right_to_change_the_contract(client, contract):
    for user in (
        factories.user_with_role(contract, ContractRole.Role.MEMBER),
        factories.UserFactory(ars_region_code="32"),
    ):
        client.force_login(user)
        assert search(client, contract, "lens").status_code in (403, 404)
        assert choose(client, contract, choice=f"epci:{LENS_LIEVIN}").status_code in (403, 404)
    other = factories.ContractFactory()
    client.force_login(factories.user_with_role(other, ContractRole.Role.COORDINATOR))
    assert search(client, contract, "lens").status_code == 404


def test_choosing_an_epci_asks_first_then_fills_the_communes(coordinator, contract):
    territory = contract.territory
    response = choose(coordinator, contract, choice=f"epci:{LENS_LIEVIN}")
    page = response.content.decode()
    assert "Confirmer le territoire" in page and "CA de Lens - Liévin" in page
    assert "Lille" in page and "retirée du territoire" in page  # removed, shown before
    assert Municipality.objects.filter(territory=territory).count() == 3  # nothing written yet

    response = choose(coordinator, contract, choice=f"epci:{LENS_LIEVIN}", **{CONFIRM_FIELD: "1"})
    assert response.status_code == 302
    territory.refresh_from_db()
    assert (territory.official_kind, territory.official_code) == ("epci", LENS_LIEVIN)
    assert (territory.region_code, territory.region, territory.department_code, territory.department) == (
        "32", "Hauts-de-France", "62", "Pas-de-Calais",
    )  # fmt: skip
    municipalities = {m.insee_code: m for m in Municipality.objects.filter(territory=territory)}
    assert len(municipalities) == 36 and "59350" not in municipalities
    lens = municipalities["62498"]
    official = OfficialCommune.objects.get(code="62498")
    # The document's name and figure kept, the official ones beside.
    assert (lens.name, lens.population) == ("Lens", 32618)
    assert (lens.official_population, lens.official_population_year) == (official.population, 2023)
    assert municipalities["62351"].name == "Fouquières Les Lens"
    assert municipalities["62510"].population is None and municipalities["62510"].official_population
    # Every change is in the contract's history.
    history = coordinator.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Liévin" in history and "Lille" in history

    # Choosing it again changes nothing.
    response = choose(coordinator, contract, choice=f"epci:{LENS_LIEVIN}")
    assert response.status_code == 302


def test_the_page_shows_document_and_official_figures_and_their_difference(coordinator, contract):
    choose(coordinator, contract, choice=f"epci:{LENS_LIEVIN}", **{CONFIRM_FIELD: "1"})
    page = coordinator.get(reverse("contracts:edit_territory", args=[contract.pk])).content.decode()
    official_total = sum(
        OfficialCommune.objects.filter(epci_id=LENS_LIEVIN).values_list("population", flat=True)
    )
    assert "CA de Lens - Liévin" in page and "populations légales 2023" in page
    assert str(official_total) in page and "242587" in page
    gap = 242587 - official_total
    assert f"(écart : {gap:+d})" in page
    lens = OfficialCommune.objects.get(code="62498")
    assert f"écart avec le document : {32618 - lens.population:+d}" in page


def test_communes_are_added_without_removing_any(coordinator, contract):
    choose(coordinator, contract, choice="communes", communes=["62510", "62498"], **{CONFIRM_FIELD: "1"})
    names = set(Municipality.objects.filter(territory=contract.territory).values_list("name", "insee_code"))
    assert names == {("Lens", "62498"), ("Fouquières Les Lens", ""), ("Lille", ""), ("Liévin", "62510")}


def test_choosing_a_department_fills_all_its_communes(coordinator, contract):
    choose(coordinator, contract, choice="department:62", **{CONFIRM_FIELD: "1"})
    assert (
        Municipality.objects.filter(territory=contract.territory).count()
        == OfficialCommune.objects.filter(department_code="62").count()
    )


@pytest.mark.parametrize(
    "data",
    [
        {"choice": "epci:123"},
        {"choice": "department:99"},
        {"choice": "communes"},
        {"choice": "communes", "communes": ["00000"]},
        {"choice": "communes", "communes": [str(n) for n in range(10000, 10300)]},
        {"choice": "<script>"},
    ],
)
def test_bad_choices_get_a_french_error_and_write_nothing(coordinator, contract, data):
    response = choose(coordinator, contract, **data, **{CONFIRM_FIELD: "1"})
    assert response.status_code == 400
    assert 'id="official-error"' in response.content.decode()
    assert Municipality.objects.filter(territory=contract.territory).count() == 3


def test_the_contract_page_shows_the_official_territory_and_the_differences(coordinator, contract):
    choose(coordinator, contract, choice=f"epci:{LENS_LIEVIN}", **{CONFIRM_FIELD: "1"})
    page = coordinator.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    official_total = sum(
        OfficialCommune.objects.filter(epci_id=LENS_LIEVIN).values_list("population", flat=True)
    )
    assert "Territoire officiel : CA de Lens - Liévin" in page
    assert (
        f"Population : le document annonce 242587, les chiffres officiels de l'INSEE 2023 donnent {official_total}."
        in page
    )


def test_without_javascript_the_search_form_shows_the_matches_on_the_page(coordinator, contract):
    page = coordinator.get(reverse("contracts:edit_territory", args=[contract.pk]), {"q": "Lens - Liévin"})
    content = page.content.decode()
    assert page.status_code == 200
    assert f'value="epci:{LENS_LIEVIN}"' in content and 'value="Lens - Liévin"' in content


def test_hostile_queries_are_bounded(coordinator, contract):
    for query in ["%", "_", "'; DROP TABLE geo_officialcommune; --", "é" * 5000, "2A", "0"]:
        assert search(coordinator, contract, query).status_code == 200
    assert OfficialCommune.objects.filter(code="62498").exists()
