"""The "spreadsheets" section of the contract JSON (`extensions.spreadsheets`).

It carries the fields a fiche action gets from plans kept in spreadsheets (Territoires en
Transitions) and the core Action does not hold (`ActionPlanDetails`), so a contract exported
in JSON and imported back keeps them. A fiche is designated by its place in the document:
axis index, then action index within the axis, as `contract.axes[].actions[]` lists them.

Issue 17: it also carries the current status of the fiche and of its operations (the monitoring
app's `StatusEntry`), so a document or a plan that states statuses gets them on import; loading
one adds a status entry dated of the import.
"""

from collections import defaultdict

import jsonschema
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from opencls.actions.models import Action, Operation
from opencls.contracts.io import ContractJsonError, JsonExtension, french_schema_error, save_validated
from opencls.contracts.models import Axis, Contract
from opencls.monitoring.models import Status, StatusEntry
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
                    "status": {"enum": Status.values},
                    "operation_statuses": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["operation", "status"],
                            "additionalProperties": False,
                            "properties": {
                                "operation": {"type": "integer", "minimum": 0},
                                "status": {"enum": Status.values},
                            },
                        },
                    },
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


IMPORT_STATUS_COMMENT = "Statut indiqué par le document importé"


def _current_statuses(contract: Contract) -> dict[tuple[int, int | None], str]:
    current: dict[tuple[int, int | None], str] = {}
    entries = StatusEntry.objects.filter(contract=contract).order_by(
        "action_id", "operation_id", "-date", "-pk"
    )
    for action_id, operation_id, status in entries.values_list("action_id", "operation_id", "status"):
        current.setdefault((action_id, operation_id), status)
    return current


def details_dump(contract: Contract) -> dict | None:
    details = {d.action_id: d for d in ActionPlanDetails.objects.filter(action__contract=contract)}
    statuses = _current_statuses(contract)
    operations: dict[int, list[int]] = defaultdict(list)
    for action_id, pk in (
        Operation.objects.filter(action__contract=contract)
        .order_by("action_id", "position", "pk")
        .values_list("action_id", "pk")
    ):
        operations[action_id].append(pk)
    items = []
    for axis_index, actions in enumerate(_actions_by_place(contract)):
        for action_index, action in enumerate(actions):
            detail = details.get(action.pk)
            item = {"axis": axis_index, "action": action_index}
            if detail and any(getattr(detail, name) for name in FIELDS):
                item |= {name: getattr(detail, name) for name in FIELDS}
            if status := statuses.get((action.pk, None)):
                item["status"] = status
            op_statuses = [
                {"operation": position, "status": statuses[(action.pk, pk)]}
                for position, pk in enumerate(operations[action.pk])
                if (action.pk, pk) in statuses
            ]
            if op_statuses:
                item["operation_statuses"] = op_statuses
            if len(item) > 2:
                items.append(item)
    return {"action_details": items} if items else None


def details_load(contract: Contract, value) -> None:
    """Runs inside contract_from_json's transaction: any error undoes the whole import."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = [f"extensions/{KEY}/{french_schema_error(e)}" for e in validator.iter_errors(value)]
    if errors:
        raise ContractJsonError(errors)
    places = _actions_by_place(contract)
    today = timezone.localdate()
    for index, item in enumerate(value.get("action_details", [])):
        where = f"extensions/{KEY}/action_details/{index}"
        try:
            action = places[item["axis"]][item["action"]]
        except IndexError as error:
            raise ContractJsonError(
                [f"{where} : aucune fiche action à cette place (axe {item['axis']}, fiche {item['action']})."]
            ) from error
        fields = {name: item.get(name, "") for name in FIELDS}
        if any(fields.values()):
            save_validated(ActionPlanDetails(contract=contract, action=action, **fields), where)
        entries = []
        if item.get("status"):
            entries.append(StatusEntry(contract=contract, action=action, status=item["status"], date=today,
                                       comment=IMPORT_STATUS_COMMENT))  # fmt: skip
        ops = list(action.operations.order_by("position", "pk")) if item.get("operation_statuses") else []
        for op_status in item.get("operation_statuses", []):
            if op_status["operation"] >= len(ops):
                raise ContractJsonError(
                    [f"{where} : aucune opération n° {op_status['operation']} dans cette fiche."]
                )
            entries.append(StatusEntry(contract=contract, action=action, operation=ops[op_status["operation"]],
                                       status=op_status["status"], date=today, comment=IMPORT_STATUS_COMMENT))  # fmt: skip
        if entries:
            bulk_create_with_history(entries, StatusEntry)


SPREADSHEETS_JSON = JsonExtension(KEY, details_dump, details_load)
