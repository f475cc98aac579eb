"""The contract's plan as canonical values (see `cells`), read in a fixed number of queries.

The same snapshot feeds the export (one row per record) and the diff of an uploaded file
(file values compared with these), so an untouched file always gives an empty diff.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Deliverable,
    FundingLine,
    Indicator,
    Involvement,
    Operation,
    OperationOrganisation,
)
from opencls.contracts.models import Axis, Contract, Objective
from opencls.monitoring.periods import Period
from opencls.spreadsheets.followup import DEFAULT_STATUS, current_statuses, indicator_figures
from opencls.spreadsheets.layout import PATH_SEPARATOR, numbered
from opencls.spreadsheets.models import ActionPlanDetails, PlanUpload
from opencls.territories.models import Municipality, PriorityNeighbourhood

WORK_TEXT_FIELDS = ("description", "target_publics", "schedule", "funding_text")


@dataclass
class Snapshot:
    contract: Contract
    axes: list[Axis]
    objectives: list[Objective]
    axis_labels: dict[int, str]
    objective_paths: dict[int, str]
    records: dict[str, dict[int, dict]]  # kind → pk → canonical values
    action_axis: dict[int, int] = field(default_factory=dict)
    action_objective: dict[int, int | None] = field(default_factory=dict)
    territory: dict = field(default_factory=dict)
    periods: list[str] = field(default_factory=list)
    neighbourhoods: dict[str, PriorityNeighbourhood] = field(default_factory=dict)
    taken_at: datetime = field(default_factory=timezone.now)  # the version an export carries

    def action_label(self, pk: int) -> str:
        values = self.records["action"][pk]
        return f"{values['code']} — {values['title']}" if values["code"] else values["title"]


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _amount(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _names(involvements, involvement) -> list[str]:
    return [i.organisation.name for i in involvements if i.involvement == involvement]


def _work(obj, involvements, status: str) -> dict:
    values = {name: getattr(obj, name) for name in WORK_TEXT_FIELDS}
    values.update(
        leads=_names(involvements, Involvement.LEAD),
        partners=_names(involvements, Involvement.PARTNER),
        start_date=_iso(obj.start_date),
        end_date=_iso(obj.end_date),
        status=status,
    )
    return values


def _grouped(queryset, key: str) -> dict[int, list]:
    """One query for a whole contract, grouped in Python: prefetch_related clones a queryset
    per parent, which costs more than the query itself on a 500-action plan."""
    groups: dict[int, list] = defaultdict(list)
    for obj in queryset:
        groups[getattr(obj, key)].append(obj)
    return groups


def period_sort_key(code: str):
    period = Period.from_code(code)
    return (period.year, {"year": 0, "semester": 1, "quarter": 2}[period.kind], period.index)


def plan_snapshot(contract: Contract) -> Snapshot:
    taken_at = timezone.now()  # before reading: a change made while reading counts as later
    org = "organisation"
    axes = list(Axis.objects.filter(contract=contract))
    objectives = list(Objective.objects.filter(axis__contract=contract))
    by_pk = {o.pk: o for o in objectives}

    def path(objective: Objective) -> str:
        chain = []
        while objective is not None:
            chain.append(numbered(objective.code, objective.title))
            objective = by_pk.get(objective.parent_id)
        return PATH_SEPARATOR.join(reversed(chain))

    axis_labels = {a.pk: numbered(a.code, a.title) for a in axes}
    objective_paths = {o.pk: path(o) for o in objectives}
    actions = list(
        Action.objects.filter(contract=contract).order_by("axis__position", "axis_id", "position", "pk")
    )
    in_contract = {"action__contract": contract}
    action_involvements = _grouped(
        ActionOrganisation.objects.filter(**in_contract).select_related(org).order_by("position", "pk"),
        "action_id",
    )
    operations_of = _grouped(Operation.objects.filter(**in_contract).order_by("position", "pk"), "action_id")
    operation_involvements = _grouped(
        OperationOrganisation.objects.filter(operation__action__contract=contract)
        .select_related(org)
        .order_by("position", "pk"),
        "operation_id",
    )
    deliverables_of = _grouped(
        Deliverable.objects.filter(**in_contract).order_by("position", "pk"), "action_id"
    )
    indicators_of = _grouped(Indicator.objects.filter(**in_contract).order_by("position", "pk"), "action_id")
    funding_of = _grouped(
        FundingLine.objects.filter(**in_contract).select_related("funder").order_by("pk"), "action_id"
    )
    details = {d.action_id: d for d in ActionPlanDetails.objects.filter(action__contract=contract)}
    statuses = current_statuses(contract)
    targets, values, breakdowns = indicator_figures(contract)
    records: dict[str, dict[int, dict]] = {k: {} for k in ("action", "operation", "indicator", "funding")}
    action_axis, action_objective = {}, {}
    for action in actions:
        detail = details.get(action.pk) or ActionPlanDetails()
        deliverables = deliverables_of.get(action.pk, [])
        operations = operations_of.get(action.pk, [])
        operation_titles = {o.pk: o.title for o in operations}
        action_axis[action.pk] = action.axis_id
        action_objective[action.pk] = action.objective_id
        records["action"][action.pk] = {
            "axis": axis_labels[action.axis_id],
            "objective": objective_paths.get(action.objective_id, ""),
            "code": action.code,
            "title": action.title,
            "context": action.context,
            "area": action.area,
            **_work(
                action,
                action_involvements.get(action.pk, []),
                statuses.get((action.pk, None), DEFAULT_STATUS),
            ),
            "priority": detail.priority,
            "objectives_text": detail.objectives_text,
            "governance_text": detail.governance_text,
            "participation": detail.participation,
            "deliverables": [d.text for d in deliverables if d.operation_id is None],
            "is_public": action.is_public,
        }
        parent = {"action_id": action.pk, "action_code": action.code}
        for operation in operations:
            records["operation"][operation.pk] = {
                **parent,
                "title": operation.title,
                "objective_text": operation.objective_text,
                **_work(
                    operation,
                    operation_involvements.get(operation.pk, []),
                    statuses.get((action.pk, operation.pk), DEFAULT_STATUS),
                ),
                "deliverables": [d.text for d in deliverables if d.operation_id == operation.pk],
            }
        for indicator in indicators_of.get(action.pk, []):
            indicator_targets = targets.get(indicator.pk, {})
            flags = {cumulative for _value, cumulative in indicator_targets.values()}
            records["indicator"][indicator.pk] = {
                **parent,
                "operation_id": indicator.operation_id,
                "operation": operation_titles.get(indicator.operation_id, ""),
                "kind": indicator.kind,
                "label": indicator.label,
                "unit": indicator.unit,
                "periodicity": indicator.periodicity,
                "cumulative": flags.pop() if len(flags) == 1 else (False if not flags else None),
                "measure_kind": indicator.measure_kind,
                "categories": list(indicator.categories or []),
                "targets": {p: v for p, (v, _cumulative) in indicator_targets.items()},
                "values": dict(values.get(indicator.pk, {})),
                "breakdowns": dict(breakdowns.get(indicator.pk, {})),
            }
        for line in funding_of.get(action.pk, []):
            records["funding"][line.pk] = {
                **parent,
                "operation_id": line.operation_id,
                "operation": operation_titles.get(line.operation_id, ""),
                "funder": line.funder.name if line.funder else "",
                "kind": line.kind,
                "year": line.year,
                "planned_amount": _amount(line.planned_amount),
                "granted_amount": _amount(line.granted_amount),
                "spent_amount": _amount(line.spent_amount),
                "comment": line.comment,
            }
    territory = contract.territory
    municipalities = Municipality.objects.filter(territory=territory).prefetch_related(
        Prefetch("neighbourhoods", queryset=PriorityNeighbourhood.objects.order_by("name"))
    )
    records["municipality"] = {
        m.pk: {
            "name": m.name,
            "insee_code": m.insee_code,
            "population": m.population,
            "population_year": m.population_year,
            "neighbourhood_inhabitants": m.neighbourhood_inhabitants,
            "stated_neighbourhood_share": _amount(m.stated_neighbourhood_share),
            "neighbourhoods": [n.name for n in m.neighbourhoods.all()],
        }
        for m in municipalities
    }
    periods = {p for by_period in (*targets.values(), *values.values()) for p in by_period}
    if records["indicator"] and contract.start_date and contract.end_date:
        periods.update(str(y) for y in range(contract.start_date.year, min(contract.end_date.year, 2100) + 1))
    return Snapshot(
        taken_at=taken_at,
        contract=contract,
        axes=axes,
        objectives=objectives,
        axis_labels=axis_labels,
        objective_paths=objective_paths,
        records=records,
        action_axis=action_axis,
        action_objective=action_objective,
        territory={
            "name": territory.name,
            "kind": territory.kind,
            "region": territory.region,
            "department": territory.department,
            "stated_municipality_count": territory.stated_municipality_count,
            "stated_population": territory.stated_population,
            "stated_neighbourhood_count": territory.stated_neighbourhood_count,
            "stated_neighbourhood_inhabitants": territory.stated_neighbourhood_inhabitants,
        },
        periods=sorted(periods, key=period_sort_key),
        neighbourhoods={n.name: n for n in PriorityNeighbourhood.objects.filter(territory=territory)},
    )


def contract_uploads(contract: Contract, user) -> list[PlanUpload]:
    """The user's latest uploads for this contract (the « Tableur » tab lists them)."""
    return list(
        PlanUpload.objects.filter(contract=contract, user=user)
        .defer("content", "diff")
        .order_by("-created_at", "-pk")[:20]
    )
