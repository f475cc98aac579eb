"""Reads of a campaign, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from opencls.accounts.models import Organisation, User
from opencls.actions.models import ActionOrganisation, Involvement, OperationOrganisation
from opencls.campaigns.models import ActionReport, Campaign, ReportState
from opencls.contracts.models import ContractRole


def lead_organisations(contract) -> dict[int, set[int]]:
    """Action id → ids of the organisations leading it, directly or through an operation."""
    leads: dict[int, set[int]] = defaultdict(set)
    for action_id, organisation_id in ActionOrganisation.objects.filter(
        action__contract=contract, involvement=Involvement.LEAD
    ).values_list("action_id", "organisation_id"):
        leads[action_id].add(organisation_id)
    for action_id, organisation_id in OperationOrganisation.objects.filter(
        operation__action__contract=contract, involvement=Involvement.LEAD
    ).values_list("operation__action_id", "organisation_id"):
        leads[action_id].add(organisation_id)
    return leads


def porteur_users(contract) -> dict[int, list[User]]:
    """Action id → users with the porteur role whose organisation leads the action."""
    users_by_org: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        contract_roles__contract=contract,
        contract_roles__role=ContractRole.Role.LEAD,
        organisation__isnull=False,
    ).distinct():
        users_by_org[user.organisation_id].append(user)
    return {
        action_id: [user for org in sorted(orgs) for user in users_by_org.get(org, [])]
        for action_id, orgs in lead_organisations(contract).items()
    }


def grid_scope(user, contract, reports) -> tuple[list[int], dict[int, frozenset[int]]]:
    """What the user fills in the grid: the ids of the actions (of `reports`), and, for those
    they reach only through operations their organisation leads, action id → those operations'
    ids (their indicators and deliverables; the action itself stays with its lead)."""
    from opencls.accounts.permissions import can, led_work_ids
    from opencls.actions.models import Operation

    whole = [r.action_id for r in reports if can(user, "indicator_value.change", r.action)]
    _actions, led_operations = led_work_ids(user, contract)
    rest = {r.action_id for r in reports} - set(whole)
    operations: dict[int, set[int]] = defaultdict(set)
    if rest and led_operations:
        for operation_id, action_id in Operation.objects.filter(
            pk__in=led_operations, action_id__in=rest
        ).values_list("pk", "action_id"):
            operations[action_id].add(operation_id)
    editable = [r.action_id for r in reports if r.action_id in set(whole) | set(operations)]
    return editable, {action_id: frozenset(ids) for action_id, ids in operations.items()}


def coordinators(contract) -> list[User]:
    return list(
        User.objects.filter(
            contract_roles__contract=contract, contract_roles__role=ContractRole.Role.COORDINATOR
        )
    )


def campaign_reports(campaign: Campaign, action_ids=None) -> list[ActionReport]:
    reports = ActionReport.objects.filter(campaign=campaign).select_related("action", "changed_by")
    if action_ids is not None:
        reports = reports.filter(action_id__in=action_ids)
    return list(reports.order_by("action__axis__position", "action__position", "action__pk"))


@dataclass
class PorteurProgress:
    organisation: Organisation | None
    reports: list[ActionReport] = field(default_factory=list)

    def count(self, state) -> int:
        return sum(1 for report in self.reports if report.state == state)

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(label, self.count(value)) for value, label in ReportState.choices]

    @property
    def done_share(self) -> int:
        return round(100 * self.count(ReportState.VALIDATED) / len(self.reports)) if self.reports else 0


def progress_by_porteur(contract, reports: list[ActionReport]) -> list[PorteurProgress]:
    """One row per lead organisation (an action led by two appears under both), then unled actions."""
    leads = lead_organisations(contract)
    organisations = Organisation.objects.in_bulk({org for orgs in leads.values() for org in orgs})
    rows: dict[int | None, PorteurProgress] = {}
    for report in reports:
        for org_id in sorted(leads.get(report.action_id, ())) or [None]:
            row = rows.setdefault(org_id, PorteurProgress(organisations.get(org_id)))
            row.reports.append(report)
    return sorted(rows.values(), key=lambda row: (row.organisation is None, str(row.organisation or "")))


def campaigns_with_counts(contract):
    return Campaign.objects.filter(contract=contract).annotate(
        total=Count("reports"),
        validated=Count("reports", filter=Q(reports__state=ReportState.VALIDATED)),
        submitted=Count("reports", filter=Q(reports__state=ReportState.SUBMITTED)),
    )


def porteur_reports(user) -> list[ActionReport]:
    """The reports, across contracts, of the actions the user's organisation leads where the user is
    a porteur; newest campaign first. Fixed number of queries whatever the number of contracts."""
    from opencls.actions.models import Action

    if not user.is_authenticated or not user.organisation_id:
        return []
    lead = Involvement.LEAD
    org = user.organisation_id
    actions = (
        Action.objects.filter(contract__roles__user=user, contract__roles__role=ContractRole.Role.LEAD)
        .filter(
            Q(involvements__involvement=lead, involvements__organisation_id=org)
            | Q(operations__involvements__involvement=lead, operations__involvements__organisation_id=org)
        )
        .values("pk")
    )
    # Issue 13: an organisation leading only operations of the action fills those operations.
    leads_action = ActionOrganisation.objects.filter(
        action=OuterRef("action"), involvement=lead, organisation_id=org
    )
    return list(
        ActionReport.objects.filter(action__in=actions)
        .annotate(leads_action=Exists(leads_action))
        .select_related("campaign", "campaign__contract", "action")
        .order_by(
            "-campaign__year",
            "campaign__contract__title",
            "action__axis__position",
            "action__position",
            "action__pk",
        )
    )


def is_porteur_only(user) -> bool:
    """True for a user whose only roles are porteur: their home is "Mes fiches"."""
    if not user.is_authenticated or user.is_superuser or user.is_ars_reader:
        return False
    roles = set(ContractRole.objects.filter(user=user).values_list("role", flat=True))
    return roles == {ContractRole.Role.LEAD}
