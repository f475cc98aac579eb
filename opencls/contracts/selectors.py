from django.db.models import Prefetch

from opencls.actions.models import Action, ActionOrganisation, Operation, OperationOrganisation
from opencls.contracts.models import Axis, Contract, Signatory
from opencls.territories.models import Municipality, PriorityNeighbourhood


def plan_axes(contract: Contract) -> list[Axis]:
    """Axes with their actions, operations and porteurs, in a fixed number of queries."""
    org = "organisation"
    actions = Action.objects.filter(contract=contract).prefetch_related(
        Prefetch("involvements", queryset=ActionOrganisation.objects.select_related(org)),
        Prefetch(
            "operations",
            queryset=Operation.objects.prefetch_related(
                Prefetch("involvements", queryset=OperationOrganisation.objects.select_related(org))
            ),
        ),
    )
    axes = list(
        Axis.objects.filter(contract=contract).prefetch_related(
            "objectives", Prefetch("actions", queryset=actions, to_attr="plan_actions")
        )
    )
    for axis in axes:
        for action in axis.plan_actions:
            action.contract = contract  # permission checks walk up to it: no query per row
    return axes


def territory_municipalities(contract: Contract) -> list[Municipality]:
    return list(
        Municipality.objects.filter(territory_id=contract.territory_id).prefetch_related(
            Prefetch("neighbourhoods", queryset=PriorityNeighbourhood.objects.order_by("name"))
        )
    )


def contract_signatories(contract: Contract) -> list[Signatory]:
    return list(Signatory.objects.filter(contract=contract).select_related("organisation"))
