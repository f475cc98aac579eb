"""QPV as first-class places: official code, population, actions serving them (issue 14)."""

import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opencls.actions.models import Action
from opencls.contracts.models import ContractRole
from opencls.contracts.selectors import qpv_rows, territory_municipalities
from opencls.territories.models import PriorityNeighbourhood, validate_qpv_code
from opencls.testing import factories

pytestmark = pytest.mark.django_db
COORDINATOR = ContractRole.Role.COORDINATOR


@pytest.mark.parametrize("code", ["QN05901M", "QN02A01M", "QN97101C", "QN06201M"])
def test_official_qpv_codes_are_accepted(code):
    validate_qpv_code(code)


@pytest.mark.parametrize(
    "code", ["QP059001", "QN0590M", "QN059011M", "qn05901m1", "QN05901", "QN059O1 M", "05901M"]
)
def test_other_codes_are_refused(code):
    with pytest.raises(ValidationError):
        validate_qpv_code(code)


@pytest.fixture
def contract():
    return factories.ContractFactory()


@pytest.fixture
def coordinator_client(client, contract):
    client.force_login(factories.user_with_role(contract, COORDINATOR))
    return client


def test_the_editor_checks_the_qpv_code_in_french_and_saves_nothing(coordinator_client, contract):
    url = reverse("contracts:neighbourhood_add", args=[contract.pk])
    response = coordinator_client.post(
        url, {"neighbourhood-name": "Cité 9", "neighbourhood-code": "QP062001"}
    )
    assert response.status_code == 200
    assert "puis 5 chiffres ou lettres, puis une lettre, par exemple QN05901M" in html.unescape(
        response.content.decode()
    )
    assert not PriorityNeighbourhood.objects.exists()
    response = coordinator_client.post(
        url,
        {
            "neighbourhood-name": "Cité 9",
            "neighbourhood-code": " qn06201m ",
            "neighbourhood-population": "2631",
        },
    )
    assert response.status_code == 302
    neighbourhood = PriorityNeighbourhood.objects.get()
    assert (neighbourhood.code, neighbourhood.population) == ("QN06201M", 2631)
    # The same code twice on one territory is refused.
    response = coordinator_client.post(url, {"neighbourhood-name": "Autre", "neighbourhood-code": "QN06201M"})
    assert "déjà celui d'un autre quartier" in html.unescape(response.content.decode())


def _action_data(action, **extra):
    return {
        "code": action.code, "title": action.title, "axis": action.axis_id, "is_public": "on", **extra,
    }  # fmt: skip


def test_an_action_states_the_qpv_it_serves_its_share_and_credits(coordinator_client, contract):
    cite = factories.PriorityNeighbourhoodFactory(territory=contract.territory, name="Cité 9")
    other = factories.PriorityNeighbourhoodFactory(name="Ailleurs")  # another territory
    action = factories.ActionFactory(axis=factories.AxisFactory(contract=contract))
    url = reverse("actions:edit", args=[contract.pk, action.pk])
    response = coordinator_client.post(url, _action_data(action, neighbourhoods=[other.pk]))
    assert response.status_code == 200  # not a QPV of this territory
    response = coordinator_client.post(
        url, _action_data(action, neighbourhoods=[cite.pk], whole_territory="on", qpv_public_share="40")
    )
    content = response.content.decode()
    assert "pas les deux" in content and "estimée ou mesurée" in content
    response = coordinator_client.post(
        url,
        _action_data(
            action, neighbourhoods=[cite.pk], qpv_public_share="40", qpv_public_share_basis="estimated",
            city_policy_funded="on", participation_level="co_construction",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert list(action.neighbourhoods.all()) == [cite]
    assert (action.qpv_public_share, action.qpv_public_share_basis) == (Decimal("40"), "estimated")
    assert action.city_policy_funded and action.participation_level == "co_construction"
    # The link to the QPV shows in the contract's history.
    history = coordinator_client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Cité 9" in history


def test_an_operation_serves_a_qpv_too(coordinator_client, contract):
    cite = factories.PriorityNeighbourhoodFactory(territory=contract.territory, name="Cité 9")
    action = factories.ActionFactory(axis=factories.AxisFactory(contract=contract))
    url = reverse("actions:operation_add", args=[contract.pk, action.pk])
    response = coordinator_client.post(url, {"title": "Ateliers", "neighbourhoods": [cite.pk]})
    assert response.status_code == 302
    assert list(action.operations.get().neighbourhoods.all()) == [cite]


def _territory_with_qpv(contract, count):
    factories.MunicipalityFactory(territory=contract.territory, population=10000)
    axis = factories.AxisFactory(contract=contract)
    for index in range(count):
        neighbourhood = factories.PriorityNeighbourhoodFactory(territory=contract.territory, population=1000)
        neighbourhood.municipalities.add(
            factories.MunicipalityFactory(territory=contract.territory, population=0)
        )
        action = factories.ActionFactory(axis=axis, is_public=True)  # a new fiche is private by default
        action.neighbourhoods.add(neighbourhood)
        operation = factories.OperationFactory(
            action=factories.ActionFactory(axis=axis, is_public=index % 2 == 0)
        )
        operation.neighbourhoods.add(neighbourhood)


@pytest.mark.parametrize("count", [2, 10])
def test_actions_per_qpv_in_a_fixed_number_of_queries(contract, django_assert_num_queries, count):
    _territory_with_qpv(contract, count)
    municipalities = territory_municipalities(contract)
    with django_assert_num_queries(4):
        rows = qpv_rows(contract, municipalities)
    assert len(rows) == count
    assert all(len(row.actions) == 2 for row in rows)
    assert rows[0].share == Decimal("10.00")  # 1 000 of 10 000 inhabitants
    public = qpv_rows(contract, municipalities, public_only=True)
    # An action kept off the public page is left out: every other quartier loses one.
    assert sorted(len(row.actions) for row in public) == [1] * (count // 2) + [2] * (count // 2)


def test_the_territory_table_shows_each_qpv_and_the_actions_serving_it(coordinator_client, contract):
    _territory_with_qpv(contract, 2)
    neighbourhood = contract.territory.neighbourhoods.first()
    action = neighbourhood.actions.get()
    content = coordinator_client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'id="qpv-actions"' in content and f'id="qpv-{neighbourhood.pk}"' in content
    assert action.code in content
