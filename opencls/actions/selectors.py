from django.db.models import Count, Prefetch

from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Deliverable,
    Indicator,
    Operation,
    OperationOrganisation,
)
from opencls.contracts.models import Axis, Contract

WITH_ORGANISATION = ActionOrganisation.objects.select_related("organisation")


def editor_action_list(contract: Contract) -> list[Axis]:
    """Axes, each with `editor_actions` (porteurs and operation count), in three queries."""
    actions = (
        Action.objects.filter(contract=contract)
        .select_related("objective")
        .annotate(operation_count=Count("operations"))
        .prefetch_related(Prefetch("involvements", queryset=WITH_ORGANISATION))
        .order_by("position", "pk")
    )
    return list(
        Axis.objects.filter(contract=contract).prefetch_related(
            Prefetch("actions", queryset=actions, to_attr="editor_actions")
        )
    )


def action_for_editor(contract: Contract, action_pk: int) -> Action | None:
    """One fiche action with everything its editor page lists, scoped by the contract."""
    operations = Operation.objects.prefetch_related(
        Prefetch("involvements", queryset=OperationOrganisation.objects.select_related("organisation"))
    )
    action = (
        Action.objects.filter(contract=contract, pk=action_pk)
        .select_related("axis", "objective")
        .prefetch_related(
            Prefetch("involvements", queryset=WITH_ORGANISATION),
            Prefetch("operations", queryset=operations),
            Prefetch("deliverables", queryset=Deliverable.objects.select_related("operation")),
            Prefetch("indicators", queryset=Indicator.objects.select_related("operation")),
        )
        .first()
    )
    if action is not None:
        action.contract = contract
    return action
