from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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


@dataclass
class QpvRow:
    """A quartier prioritaire with what the contract does there (issue 14)."""

    neighbourhood: PriorityNeighbourhood
    share: Decimal | None  # % of the territory's inhabitants living in it
    actions: list[Action]


def qpv_rows(
    contract: Contract, municipalities: list[Municipality], *, public_only: bool = False
) -> list[QpvRow]:
    """Each QPV of the territory with its population, share and the actions serving it (directly
    or through one of their operations), in four queries whatever the number of quartiers.
    `municipalities` is the list already fetched for the page (territory population)."""
    actions = Action.objects.filter(contract=contract).only("id", "code", "title", "axis_id", "is_public")
    operations = (
        Operation.objects.filter(action__contract=contract)
        .select_related("action")
        .only("id", "action__id", "action__code", "action__title", "action__is_public", "action__axis_id")
    )
    if public_only:
        actions, operations = actions.filter(is_public=True), operations.filter(action__is_public=True)
    neighbourhoods = PriorityNeighbourhood.objects.filter(
        territory_id=contract.territory_id
    ).prefetch_related(
        "municipalities",
        Prefetch("actions", queryset=actions, to_attr="served_by"),
        Prefetch("operations", queryset=operations, to_attr="served_by_operations"),
    )
    population = sum(m.population or 0 for m in municipalities)
    rows = []
    for n in neighbourhoods:
        serving = {a.pk: a for a in n.served_by}
        for operation in n.served_by_operations:
            serving.setdefault(operation.action.pk, operation.action)
        share = None
        if population and n.population is not None:
            share = (Decimal(n.population) * 100 / population).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        ordered = sorted(serving.values(), key=lambda a: (a.code or "~", a.title))
        rows.append(QpvRow(n, share, ordered))
    return rows


def linked_contracts(contract: Contract) -> list[Contract]:
    """The ASV and CLSM / CISM attached to this CLS, with their axes, actions and governance
    bodies (issue 14), in four queries whatever their number."""
    from opencls.governance.models import GovernanceBody

    return list(
        Contract.objects.filter(parent=contract)
        .order_by("title")
        .prefetch_related(
            Prefetch(
                "axes",
                queryset=Axis.objects.prefetch_related(
                    Prefetch("actions", queryset=Action.objects.only("id", "code", "title", "axis_id"))
                ),
            ),
            Prefetch("governance_bodies", queryset=GovernanceBody.objects.order_by("position", "pk")),
        )
    )
