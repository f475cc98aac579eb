"""The fields spreadsheets add to a fiche action survive the contract's JSON export and import."""

import pytest

from opencls.contracts.io import ContractJsonError, contract_from_json, contract_to_json
from opencls.spreadsheets.models import ActionPlanDetails
from opencls.spreadsheets.tests.factories import rich_plan


def details(contract) -> list[tuple]:
    return list(
        ActionPlanDetails.objects.filter(action__contract=contract)
        .order_by("action__axis__position", "action__position")
        .values_list("action__code", "priority", "objectives_text", "governance_text", "participation")
    )


def test_json_export_and_import_keep_the_action_details(db):
    contract = rich_plan(actions=3)
    data = contract_to_json(contract)

    copy = contract_from_json(data)

    assert data["extensions"]["spreadsheets"]["action_details"][0] == {
        "axis": 0,
        "action": 0,
        "priority": "high",
        "objectives_text": "Réduire le renoncement aux soins",
        "governance_text": "COTECH deux fois par an",
        "participation": "consultation",
        # Issue 17: current statuses travel too (a status entry dated of the import on load).
        "status": "not_started",
        "operation_statuses": [{"operation": 0, "status": "in_progress"}],
    }
    assert details(copy) == details(contract) != []
    assert contract_to_json(copy)["extensions"]["spreadsheets"] == data["extensions"]["spreadsheets"]


def test_a_detail_for_a_fiche_that_is_not_there_is_refused(db):
    data = contract_to_json(rich_plan(actions=1))
    data["extensions"]["spreadsheets"]["action_details"][0]["action"] = 7

    with pytest.raises(ContractJsonError) as raised:
        contract_from_json(data)

    assert raised.value.messages == [
        "extensions/spreadsheets/action_details/0 : aucune fiche action à cette place (axe 0, fiche 7)."
    ]


def test_an_unknown_priority_is_refused_in_french(db):
    data = contract_to_json(rich_plan(actions=1))
    data["extensions"]["spreadsheets"]["action_details"][0]["priority"] = "urgente"

    with pytest.raises(ContractJsonError) as raised:
        contract_from_json(data)

    assert "valeur « urgente » inconnue" in raised.value.messages[0]
