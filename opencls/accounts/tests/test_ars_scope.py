"""The ARS reader's scope (issue 16): a région, or the départements of a délégation
départementale, by official INSEE code — compared with the territories' indexed codes."""

import pytest

from opencls.accounts.permissions import ARS_READER, can, roles_for, visible_contracts
from opencls.accounts.tests.test_permissions import OBJECT_KINDS, TABLE, build_world, expected
from opencls.contracts.models import ContractRole
from opencls.testing.factories import ContractFactory, TerritoryFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def territory(region_code, department_code, region=""):
    return TerritoryFactory(region=region, region_code=region_code, department_code=department_code)


@pytest.fixture
def country():
    return {
        "nord": ContractFactory(title="Nord", territory=territory("32", "59")),
        "pas_de_calais": ContractFactory(title="Pas-de-Calais", territory=territory("32", "62")),
        "bretagne": ContractFactory(title="Bretagne", territory=territory("53", "35")),
        # Same free-text région name as the Nord, but official codes of Brittany: codes decide.
        "misnamed": ContractFactory(
            title="Mal nommé", territory=territory("53", "29", region="Hauts-de-France")
        ),
    }


def titles(user):
    return sorted(c.title for c in visible_contracts(user))


def test_a_regional_reader_sees_its_region_and_nothing_of_another(country):
    hauts_de_france = UserFactory(ars_region_code="32")
    bretagne = UserFactory(ars_region_code="53")
    assert titles(hauts_de_france) == ["Nord", "Pas-de-Calais"]
    assert titles(bretagne) == ["Bretagne", "Mal nommé"]
    assert ARS_READER in roles_for(hauts_de_france, country["nord"])
    assert ARS_READER not in roles_for(hauts_de_france, country["bretagne"])
    assert ARS_READER not in roles_for(hauts_de_france, country["misnamed"])
    assert not can(hauts_de_france, "contract.view", country["bretagne"])


def test_a_departmental_reader_sees_only_its_departments(country):
    nord = UserFactory(ars_department_codes=["59"])
    artois = UserFactory(ars_department_codes=["59", "62"])
    assert titles(nord) == ["Nord"]
    assert titles(artois) == ["Nord", "Pas-de-Calais"]
    assert can(nord, "contract.view", country["nord"])
    assert not can(nord, "contract.view", country["pas_de_calais"])
    assert not can(nord, "contract.change", country["nord"])


def test_a_role_and_a_scope_list_a_contract_once(country):
    reader = UserFactory(ars_region_code="32")
    ContractRole.objects.create(contract=country["nord"], user=reader, role=ContractRole.Role.MEMBER)
    ContractRole.objects.create(contract=country["bretagne"], user=reader, role=ContractRole.Role.MEMBER)
    assert titles(reader) == ["Bretagne", "Nord", "Pas-de-Calais"]


def test_visible_contracts_is_one_query_without_distinct(country, django_assert_num_queries):
    reader = UserFactory(ars_department_codes=["59"])
    queryset = visible_contracts(reader)
    assert "DISTINCT" not in str(queryset.query)
    with django_assert_num_queries(1):
        assert [c.title for c in queryset] == ["Nord"]


def test_no_scope_no_regional_reading(country):
    user = UserFactory()
    assert not user.is_ars_reader
    assert titles(user) == []
    coordinator = user_with_role(country["bretagne"], ContractRole.Role.COORDINATOR)
    assert titles(coordinator) == ["Bretagne"]


def test_the_former_free_text_region_maps_to_its_code():
    user = UserFactory(ars_region="hauts de France")
    assert user.ars_region_code == "32"
    assert user.ars_region == "Hauts-de-France"
    assert user.ars_scope_label == "Hauts-de-France (32)"
    assert UserFactory(ars_region="Atlantide").ars_region_code == ""
    assert UserFactory(ars_department_codes=["59", "62"]).ars_scope_label == "Nord (59), Pas-de-Calais (62)"


@pytest.mark.parametrize("published", [False, True], ids=["draft", "published"])
@pytest.mark.parametrize(
    ("departments", "column"),
    [(["59"], "ars"), (["62"], "ars_other")],
    ids=["dd_of_the_contract", "dd_other"],
)
def test_permission_rows_of_a_departmental_reader(published, departments, column):
    """A délégation départementale has exactly the rights of the regional reader (column `ars`)
    on the contracts of its départements, and those of a reader of another région
    (`ars_other`) elsewhere."""
    objects, _users = build_world(published=published)
    assert objects["contract"].territory.department_code == "59"
    reader = UserFactory(ars_department_codes=departments)
    wrong = [
        f"{code} on {kind}"
        for kind in OBJECT_KINDS
        for code, marks in TABLE.items()
        if can(reader, code, objects[kind]) is not expected(marks[column], kind=kind, published=published)
    ]
    assert wrong == []


def test_the_admin_sets_the_scope_from_the_official_lists(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    agent = UserFactory(username="agent-dd")
    client.force_login(admin)
    url = f"/admin/accounts/user/{agent.pk}/change/"
    page = client.get(url).content.decode()
    assert '<option value="32">Hauts-de-France (32)</option>' in page
    assert '<option value="59">59 — Nord</option>' in page
    form = {
        "username": agent.username,
        "email": agent.email,
        "first_name": agent.first_name,
        "last_name": agent.last_name,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "ars_region_code": "",
        "ars_department_codes": ["59", "62"],
        "contract_roles-TOTAL_FORMS": "0",
        "contract_roles-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    agent.refresh_from_db()
    assert agent.ars_department_codes == ["59", "62"] and agent.ars_region_code == ""
    form["ars_region_code"] = "99"
    assert client.post(url, form).status_code == 200  # not a région: refused


def test_the_dashboard_states_the_scope_and_lists_its_contracts(client, country):
    client.force_login(UserFactory(ars_department_codes=["59"]))
    page = client.get("/", follow=True).content.decode()  # an ARS reader's home: the regional view
    assert "Vous lisez tous les contrats de : Nord (59)." in page
    assert ">Nord</a>" in page and ">Pas-de-Calais</a>" not in page
