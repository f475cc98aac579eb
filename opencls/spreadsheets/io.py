"""The "spreadsheets" section of the contract JSON (`extensions.spreadsheets`).

It carries the fields a fiche action gets from plans kept in spreadsheets (Territoires en
Transitions) and the core Action does not hold (`ActionPlanDetails`), so a contract exported
in JSON and imported back keeps them. A fiche is designated by its place in the document:
axis index, then action index within the axis, as `contract.axes[].actions[]` lists them.
"""

from collections import defaultdict

import jsonschema

from opencls.actions.models import Action
from opencls.contracts.io import ContractJsonError, JsonExtension, french_schema_error, save_validated
from opencls.contracts.models import Axis, Contract
from opencls.spreadsheets.models import ActionPlanDetails, Participation, Priority

KEY = "spreadsheets"
FIELDS = ("priority", "objectives_text", "governance_text", "participation")
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "action_details": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["axis", "action"],
                "additionalProperties": False,
                "properties": {
                    "axis": {"type": "integer", "minimum": 0},
                    "action": {"type": "integer", "minimum": 0},
                    "priority": {"enum": ["", *Priority.values]},
                    "objectives_text": {"type": "string"},
                    "governance_text": {"type": "string"},
                    "participation": {"enum": ["", *Participation.values]},
                },
            },
        }
    },
}


def _actions_by_place(contract: Contract) -> list[list[Action]]:
    """Actions per axis in the order of the contract JSON."""
    by_axis: dict[int, list[Action]] = defaultdict(list)
    for action in Action.objects.filter(contract=contract).order_by("position", "pk"):
        by_axis[action.axis_id].append(action)
    return [by_axis[axis.pk] for axis in Axis.objects.filter(contract=contract).order_by("position", "pk")]


def details_dump(contract: Contract) -> dict | None:
    details = {d.action_id: d for d in ActionPlanDetails.objects.filter(action__contract=contract)}
    items = []
    for axis_index, actions in enumerate(_actions_by_place(contract)):
        for action_index, action in enumerate(actions):
            detail = details.get(action.pk)
            if detail and any(getattr(detail, name) for name in FIELDS):
                items.append(
                    {
                        "axis": axis_index,
                        "action": action_index,
                        **{name: getattr(detail, name) for name in FIELDS},
                    }
                )
    return {"action_details": items} if items else None


def details_load(contract: Contract, value) -> None:
    """Runs inside contract_from_json's transaction: any error undoes the whole import."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = [f"extensions/{KEY}/{french_schema_error(e)}" for e in validator.iter_errors(value)]
    if errors:
        raise ContractJsonError(errors)
    places = _actions_by_place(contract)
    for index, item in enumerate(value.get("action_details", [])):
        where = f"extensions/{KEY}/action_details/{index}"
        try:
            action = places[item["axis"]][item["action"]]
        except IndexError as error:
            raise ContractJsonError(
                [f"{where} : aucune fiche action à cette place (axe {item['axis']}, fiche {item['action']})."]
            ) from error
        fields = {name: item.get(name, "") for name in FIELDS}
        save_validated(ActionPlanDetails(contract=contract, action=action, **fields), where)


SPREADSHEETS_JSON = JsonExtension(KEY, details_dump, details_load)
