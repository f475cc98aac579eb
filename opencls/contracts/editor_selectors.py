"""Reads of the contract editor, each in a fixed number of queries."""

from django.db.models import Count

from opencls.accounts.models import Organisation, normalise_name
from opencls.contracts.models import Axis, Contract, Objective

SEARCH_LIMIT = 8


def organisation_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Organisation]:
    """Organisations whose name contains `query`, ignoring case and accents; names starting
    with it come first."""
    key = normalise_name(query)
    if len(key) < 2:
        return []
    found = list(Organisation.objects.filter(normalised_name__contains=key).order_by("name")[: limit * 3])
    found.sort(key=lambda o: (o.normalised_name != key, not o.normalised_name.startswith(key), o.name))
    return found[:limit]


def organisation_matches(query: str, *, field: str, chosen: str = "") -> dict:
    """What the picker shows under the name typed: the matches, and whether one of them is
    exactly that name (then no new organisation would be created)."""
    matches = organisation_search(query)
    exact = next((o for o in matches if o.normalised_name == normalise_name(query)), None)
    return {
        "matches": matches,
        "query": " ".join(query.split()),
        "field": field,
        "chosen": str(chosen or (exact.pk if exact else "")),
        "exact": exact,
    }


def attach_objective_tree(axes: list[Axis]) -> list[Axis]:
    """Give each axis `objective_tree` (its top objectives) and each objective `child_list`
    and `depth`, from one query whatever the depth."""
    by_parent: dict[int | None, list[Objective]] = {}
    for objective in Objective.objects.filter(axis__in=axes).order_by("position", "pk"):
        by_parent.setdefault(objective.parent_id, []).append(objective)

    def children(objective: Objective, depth: int) -> Objective:
        objective.depth = depth
        objective.child_list = [children(child, depth + 1) for child in by_parent.get(objective.pk, [])]
        return objective

    for axis in axes:
        axis.objective_tree = [
            children(objective, 0) for objective in by_parent.get(None, []) if objective.axis_id == axis.pk
        ]
    return axes


def editor_axes(contract: Contract) -> list[Axis]:
    """The contract's axes with their objective trees and how many actions each holds."""
    axes = list(Axis.objects.filter(contract=contract).annotate(action_count=Count("actions")))
    return attach_objective_tree(axes)


def objective_choices(axis: Axis | None) -> list[tuple[int, str]]:
    """The axis' objectives in tree order, indented by depth, for a select."""
    if axis is None:
        return []
    (axis,) = attach_objective_tree([axis])
    choices = []

    def walk(objectives):
        for objective in objectives:
            choices.append((objective.pk, "\u00a0\u00a0" * objective.depth + str(objective)))
            walk(objective.child_list)

    walk(axis.objective_tree)
    return choices
