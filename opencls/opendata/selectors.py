"""What open data publishes: published contracts only, and only their public content.

Drafts never leave the instance. A published contract shows its public fiches (the coordinator
unticks « visible sur la page publique » for the others), their porteurs, partners, calendar
and current status; indicator values only where the coordinator published them
(`published_indicator_ids`).
"""

from django.db.models import Prefetch, Q

from opencls.actions.models import Action, ActionOrganisation, Indicator
from opencls.contracts.models import Contract
from opencls.monitoring.models import IndicatorValue
from opencls.monitoring.selectors import with_status


def published_contracts(*, region: str = "", department: str = "", status: str = "", kind: str = ""):
    """Published contracts, filtered on indexed columns (codes of the COG), in a stable order."""
    queryset = Contract.objects.filter(is_published=True).select_related("territory")
    if region:
        queryset = queryset.filter(territory__region_code=region)
    if department:
        queryset = queryset.filter(territory__department_code=department)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.only(
        "pk", "kind", "title", "short_name", "status", "start_date", "end_date", "regional_health_plan",
        "territory__name", "territory__region", "territory__department", "territory__region_code",
        "territory__department_code",
    ).order_by("pk")  # fmt: skip


def published_indicator_ids(contract: Contract) -> set[int]:
    """Indicators whose values the coordinator made public. An indicator model field
    `values_public` (set on the publication page) decides; without one nothing is published."""
    if not any(f.name == "values_public" for f in Indicator._meta.get_fields()):
        return set()
    return set(
        Indicator.objects.filter(action__contract=contract, values_public=True).values_list("pk", flat=True)
    )


def public_actions(contracts):
    """The public fiches of `contracts` with axis, porteurs, partners and status, in few queries."""
    involvements = ActionOrganisation.objects.select_related("organisation").only(
        "action_id", "involvement", "organisation__name"
    )
    return (
        with_status(Action.objects.filter(contract__in=contracts, is_public=True))
        .select_related("axis")
        .prefetch_related(Prefetch("involvements", queryset=involvements))
        .order_by("contract_id", "axis__position", "position", "pk")
    )


def published_values(contract: Contract) -> dict[int, list[IndicatorValue]]:
    ids = published_indicator_ids(contract)
    values: dict[int, list[IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(contract=contract, indicator_id__in=ids).order_by("period"):
        values.setdefault(value.indicator_id, []).append(value)
    return values


def published_indicators(contract: Contract):
    return Indicator.objects.filter(action__contract=contract, action__is_public=True).filter(
        Q(pk__in=published_indicator_ids(contract))
    )
