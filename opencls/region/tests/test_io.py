import pytest

from opencls.contracts.io import ContractJsonError, contract_from_json, contract_to_json
from opencls.region.models import ActionTheme, Theme
from opencls.testing.factories import ActionFactory, AxisFactory, ContractFactory

pytestmark = pytest.mark.django_db


def test_themes_survive_a_json_round_trip():
    contract = ContractFactory()
    axis = AxisFactory(contract=contract)
    ActionFactory(axis=axis, position=0)
    second = ActionFactory(axis=axis, position=1)
    ActionTheme.objects.create(
        contract=contract, action=second, theme=Theme.objects.get(code="vaccination"), state="confirmed"
    )
    ActionTheme.objects.create(
        contract=contract, action=second, theme=Theme.objects.get(code="addictions"), state="rejected"
    )
    data = contract_to_json(contract)
    assert data["extensions"]["themes"]["action_themes"] == [
        {"axis": 0, "action": 1, "theme": "addictions", "state": "rejected"},
        {"axis": 0, "action": 1, "theme": "vaccination", "state": "confirmed"},
    ]
    copy = contract_from_json(data)
    links = ActionTheme.objects.filter(contract=copy).select_related("action", "theme")
    assert sorted((link.action.position, link.theme.code, link.state) for link in links) == [
        (1, "addictions", "rejected"),
        (1, "vaccination", "confirmed"),
    ]
    assert contract_to_json(copy)["extensions"]["themes"] == data["extensions"]["themes"]


def test_an_unknown_theme_is_refused_in_french():
    contract = ContractFactory()
    ActionFactory(axis=AxisFactory(contract=contract))
    data = contract_to_json(contract)
    data["extensions"] = {
        "themes": {"action_themes": [{"axis": 0, "action": 0, "theme": "astrologie", "state": "confirmed"}]}
    }
    with pytest.raises(ContractJsonError, match="thème inconnu « astrologie »"):
        contract_from_json(data)
