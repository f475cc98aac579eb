"""The "themes" section of the contract JSON (`extensions.themes`): each action's themes with
their state, so a contract exported and imported back keeps the coordinator's decisions. A fiche
is designated by its place (axis index, action index), as in `extensions.spreadsheets`."""

import jsonschema

from opencls.contracts.io import ContractJsonError, JsonExtension, french_schema_error
from opencls.contracts.models import Contract
from opencls.region.models import ActionTheme, Theme
from opencls.spreadsheets.io import _actions_by_place

KEY = "themes"
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "action_themes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["axis", "action", "theme", "state"],
                "additionalProperties": False,
                "properties": {
                    "axis": {"type": "integer", "minimum": 0},
                    "action": {"type": "integer", "minimum": 0},
                    "theme": {"type": "string", "minLength": 1, "maxLength": 50},
                    "state": {"enum": ActionTheme.State.values},
                },
            },
        }
    },
}


def themes_dump(contract: Contract) -> dict | None:
    links: dict[int, list[ActionTheme]] = {}
    for link in ActionTheme.objects.filter(contract=contract).select_related("theme").order_by("theme__code"):
        links.setdefault(link.action_id, []).append(link)
    items = []
    for axis_index, actions in enumerate(_actions_by_place(contract)):
        for action_index, action in enumerate(actions):
            for link in links.get(action.pk, []):
                items.append(
                    {
                        "axis": axis_index,
                        "action": action_index,
                        "theme": link.theme.code,
                        "state": link.state,
                    }
                )
    return {"action_themes": items} if items else None


def themes_load(contract: Contract, value) -> None:
    """Runs inside contract_from_json's transaction: any error undoes the whole import."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = [f"extensions/{KEY}/{french_schema_error(e)}" for e in validator.iter_errors(value)]
    if errors:
        raise ContractJsonError(errors)
    places = _actions_by_place(contract)
    themes = {theme.code: theme for theme in Theme.objects.all()}
    seen = set()
    for index, item in enumerate(value.get("action_themes", [])):
        where = f"extensions/{KEY}/action_themes/{index}"
        try:
            action = places[item["axis"]][item["action"]]
        except IndexError as error:
            raise ContractJsonError(
                [f"{where} : aucune fiche action à cette place (axe {item['axis']}, fiche {item['action']})."]
            ) from error
        theme = themes.get(item["theme"])
        if theme is None:
            raise ContractJsonError([f"{where} : thème inconnu « {item['theme']} »."])
        if (action.pk, theme.pk) in seen:
            raise ContractJsonError([f"{where} : thème « {theme.code} » donné deux fois pour cette fiche."])
        seen.add((action.pk, theme.pk))
        ActionTheme.objects.create(contract=contract, action=action, theme=theme, state=item["state"])


THEMES_JSON = JsonExtension(KEY, themes_dump, themes_load)
