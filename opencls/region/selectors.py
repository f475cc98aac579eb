"""Reads of the regional view: every contract of the user's scope with its status, signatures,
progress, last COPIL and open alerts, in a fixed number of queries whatever the number of contracts.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from opencls.accounts.models import Organisation
from opencls.accounts.permissions import visible_contracts
from opencls.actions.models import Action, ActionOrganisation, Deliverable, Involvement, OperationOrganisation
from opencls.campaigns.models import ActionReport, ReportState
from opencls.contracts.models import Contract, Signatory
from opencls.governance.models import Amendment, GovernanceBody, Meeting, SignatureState
from opencls.monitoring.models import EvaluationReport, IndicatorTarget, IndicatorValue, Status
from opencls.monitoring.periods import Period
from opencls.monitoring.selectors import achieved_for, deliverable_due, with_status
from opencls.region.models import ActionTheme
from opencls.territories.models import PriorityNeighbourhood, Territory

PAGE_SIZE = 25
ENDING_WITHIN = timedelta(days=365)


class RegionalStatus:
    """Where a contract stands, computed from its status, dates and signatures."""

    DRAFT = "draft"
    SIGNING = "signing"
    IN_FORCE = "in_force"
    ENDING = "ending"
    ENDED = "ended"
    LABELS = {
        DRAFT: gettext_lazy("Brouillon"),
        SIGNING: gettext_lazy("En cours de signature"),
        IN_FORCE: gettext_lazy("En vigueur"),
        ENDING: gettext_lazy("Se termine dans les 12 mois"),
        ENDED: gettext_lazy("Terminé"),
    }
    BADGES = {DRAFT: "info", SIGNING: "new", IN_FORCE: "success", ENDING: "warning", ENDED: "error"}
    ORDER = [DRAFT, SIGNING, IN_FORCE, ENDING, ENDED]

    @classmethod
    def choices(cls):
        return [(key, cls.LABELS[key]) for key in cls.ORDER]


def scope(user):
    """The contracts the user reads in full, as a plain queryset (no DISTINCT: an `IN` on the
    scope's ids, which the database resolves with its indexes)."""
    return Contract.objects.filter(pk__in=visible_contracts(user).order_by().values("pk"))


def _count(queryset, *, of="contract"):
    return Coalesce(
        Subquery(queryset.order_by().values(of).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def annotated(queryset, today: date):
    """Signatures, actions, last COPIL and the computed regional status on each contract."""
    now = timezone.now()
    copils = Meeting.objects.filter(
        contract=OuterRef("pk"),
        body__kind=GovernanceBody.Kind.STEERING,
        is_cancelled=False,
        starts_at__lte=now,
    ).order_by("-starts_at", "-pk")
    with_minutes = copils.annotate(
        has_minutes=Case(
            When(~Q(minutes="") | ~Q(minutes_file=""), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    queryset = queryset.annotate(
        signatory_count=_count(Signatory.objects.filter(contract=OuterRef("pk"))),
        signed_count=_count(SignatureState.objects.filter(contract=OuterRef("pk"), signed_on__isnull=False)),
        action_count=_count(Action.objects.filter(contract=OuterRef("pk"))),
        last_copil_at=Subquery(copils.values("starts_at")[:1]),
        last_copil_minutes=Subquery(with_minutes.values("has_minutes")[:1]),
        amendment_open=Exists(
            Amendment.objects.filter(contract=OuterRef("pk"), status=Amendment.Status.PROPOSED)
        ),
        has_qpv=Exists(PriorityNeighbourhood.objects.filter(territory_id=OuterRef("territory_id"))),
    )
    ended = Q(status=Contract.Status.ENDED) | Q(end_date__lt=today)
    in_force = Q(status__in=[Contract.Status.SIGNED, Contract.Status.IN_FORCE]) | Q(
        signatory_count__gt=0, signed_count__gte=F("signatory_count")
    )
    return queryset.annotate(
        regional_status=Case(
            When(ended, then=Value(RegionalStatus.ENDED)),
            When(in_force & Q(end_date__lte=today + ENDING_WITHIN), then=Value(RegionalStatus.ENDING)),
            When(in_force, then=Value(RegionalStatus.IN_FORCE)),
            When(signed_count__gt=0, then=Value(RegionalStatus.SIGNING)),
            default=Value(RegionalStatus.DRAFT),
            output_field=CharField(),
        )
    )


# Filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    department: str = ""
    territory: int | None = None
    kind: str = ""
    status: str = ""
    theme: int | None = None
    organisation: int | None = None
    qpv: str = ""  # "yes", "no" or ""
    sort: str = "title"

    @property
    def active(self) -> bool:
        return self != Filters(sort=self.sort)


SORTS = {
    "title": "title",
    "kind": "kind",
    "territory": "territory__name",
    "department": "territory__department_code",
    "status": "status_rank",
    "end": "end_date",
    "actions": "action_count",
    "copil": "last_copil_at",
}
SORT_LABELS = {
    "title": gettext_lazy("Contrat"),
    "kind": gettext_lazy("Type"),
    "territory": gettext_lazy("Territoire"),
    "department": gettext_lazy("Département"),
    "status": gettext_lazy("Statut"),
    "end": gettext_lazy("Fin"),
    "actions": gettext_lazy("Fiches actions"),
    "copil": gettext_lazy("Dernier COPIL"),
}


def sort_choices():
    choices = []
    for key, label in SORT_LABELS.items():
        choices.append((key, _("%(label)s (croissant)") % {"label": label}))
        choices.append((f"-{key}", _("%(label)s (décroissant)") % {"label": label}))
    return choices


def qpv_served(queryset, served: bool):
    """Contracts serving a QPV. Today: the contract's territory has priority neighbourhoods.
    Hook: when actions are linked to the QPV they serve, this is where to look at those links."""
    condition = Exists(PriorityNeighbourhood.objects.filter(territory_id=OuterRef("territory_id")))
    return queryset.filter(condition if served else ~condition)


def apply_filters(queryset, filters: Filters):
    if filters.department:
        queryset = queryset.filter(territory__department_code=filters.department)
    if filters.territory:
        queryset = queryset.filter(territory_id=filters.territory)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(regional_status=filters.status)
    if filters.theme:
        # Suggested or confirmed (what the coordinator rejected does not count), as in the matrix.
        tagged = ActionTheme.objects.filter(contract=OuterRef("pk"), theme_id=filters.theme).exclude(
            state=ActionTheme.State.REJECTED
        )
        queryset = queryset.filter(Exists(tagged))
    if filters.organisation:
        leads = ActionOrganisation.objects.filter(
            action__contract=OuterRef("pk"),
            organisation_id=filters.organisation,
            involvement=Involvement.LEAD,
        )
        operation_leads = OperationOrganisation.objects.filter(
            operation__action__contract=OuterRef("pk"),
            organisation_id=filters.organisation,
            involvement=Involvement.LEAD,
        )
        queryset = queryset.filter(Exists(leads) | Exists(operation_leads))
    if filters.qpv in ("yes", "no"):
        queryset = qpv_served(queryset, filters.qpv == "yes")
    return queryset


def ordered(queryset, sort: str):
    descending, key = sort.startswith("-"), sort.removeprefix("-")
    if key not in SORTS:
        descending, key = False, "title"
    if key == "status":
        queryset = queryset.annotate(
            status_rank=Case(
                *[When(regional_status=s, then=Value(i)) for i, s in enumerate(RegionalStatus.ORDER)],
                output_field=IntegerField(),
            )
        )
    column = F(SORTS[key])
    column = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    return queryset.order_by(column, "title", "pk")


# Choices of the filter form, from the scope -----------------------------------------------


def filter_choices(user) -> dict:
    """Départements, territories and porteur organisations present in the scope (3 queries)."""
    contract_ids = visible_contracts(user).order_by().values("pk")
    territories = list(
        Territory.objects.filter(contracts__in=contract_ids)
        .distinct()
        .order_by("name")
        .values_list("pk", "name", "department_code", "department")
    )
    departments = sorted(
        {(code, name) for _pk, _name, code, name in territories if code}, key=lambda pair: pair[0]
    )
    # Two indexed IN sub-queries rather than an OR across two joins with DISTINCT.
    leads = ActionOrganisation.objects.filter(action__contract__in=contract_ids, involvement=Involvement.LEAD)
    operation_leads = OperationOrganisation.objects.filter(
        operation__action__contract__in=contract_ids, involvement=Involvement.LEAD
    )
    organisations = (
        Organisation.objects.filter(
            Q(pk__in=leads.values("organisation_id")) | Q(pk__in=operation_leads.values("organisation_id"))
        )
        .order_by("name")
        .values_list("pk", "name")
    )
    return {
        "departments": [(code, f"{code} — {name}" if name else code) for code, name in departments],
        "territories": [(pk, name) for pk, name, _code, _dep in territories],
        "organisations": list(organisations),
    }


# Rows -----------------------------------------------------------------------------------------


@dataclass
class ContractRow:
    contract: Contract
    status: str
    action_status: Counter = field(default_factory=Counter)
    campaign_year: int | None = None
    campaign_states: Counter = field(default_factory=Counter)
    alerts: list[str] = field(default_factory=list)

    @property
    def status_label(self):
        return RegionalStatus.LABELS[self.status]

    @property
    def status_badge(self):
        return RegionalStatus.BADGES[self.status]

    @property
    def signature_label(self) -> str:
        total, signed = self.contract.signatory_count, self.contract.signed_count
        return f"{signed} / {total}" if total else "—"

    @property
    def done_actions(self) -> int:
        return self.action_status[Status.DONE]

    @property
    def started_actions(self) -> int:
        return self.action_status[Status.IN_PROGRESS] + self.action_status[Status.DONE]

    @property
    def progress_label(self) -> str:
        total = self.contract.action_count
        if not total:
            return "—"
        return _("%(done)s réalisées, %(running)s en cours sur %(total)s") % {
            "done": self.done_actions,
            "running": self.action_status[Status.IN_PROGRESS],
            "total": total,
        }

    @property
    def campaign_label(self) -> str:
        if self.campaign_year is None:
            return ""
        total = sum(self.campaign_states.values())
        validated = self.campaign_states[ReportState.VALIDATED]
        submitted = self.campaign_states[ReportState.SUBMITTED]
        return _("Campagne %(year)s : %(validated)s validées, %(submitted)s soumises sur %(total)s") % {
            "year": self.campaign_year,
            "validated": validated,
            "submitted": submitted,
            "total": total,
        }


def _action_statuses(contract_ids) -> dict[int, Counter]:
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = with_status(Action.objects.filter(contract_id__in=contract_ids)).values_list(
        "contract_id", "current_status"
    )
    for contract_id, status in rows:
        counts[contract_id][status] += 1
    return counts


def _campaigns(contract_ids) -> dict[int, tuple[int, Counter]]:
    """The latest campaign of each contract with its reports' states."""
    latest: dict[int, tuple[int, Counter]] = {}
    rows = (
        ActionReport.objects.filter(campaign__contract_id__in=contract_ids)
        .values_list("campaign__contract_id", "campaign__year", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for contract_id, year, state, n in rows:
        current = latest.get(contract_id)
        if current is None or current[0] < year:
            latest[contract_id] = current = (year, Counter())
        if current[0] == year:
            current[1][state] += n
    return latest


class _Row(SimpleNamespace):
    """A target, value or deliverable read as plain columns, with what the monitoring rules use."""

    @property
    def period_obj(self):
        return Period.from_code(self.period)


def open_alerts(contracts: list[Contract], today: date) -> dict[int, list[str]]:
    """The follow-up alerts of `monitoring_alerts` for many contracts at once (3 queries): targets
    off on ended periods, overdue deliverables, the annual evaluation to prepare in Q1."""
    ids = [contract.pk for contract in contracts]
    # Plain rows, not model instances: thousands of targets, values and deliverables per région.
    off_target: Counter = Counter()
    targets = [
        _Row(
            contract_id=contract_id,
            indicator_id=indicator_id,
            period=period,
            value=value,
            cumulative=cumulative,
        )
        for contract_id, indicator_id, period, value, cumulative in IndicatorTarget.objects.filter(
            contract_id__in=ids, year__lte=today.year
        ).values_list("contract_id", "indicator_id", "period", "value", "cumulative")
    ]
    targets = [target for target in targets if target.period_obj.end < today]
    values: dict[int, dict] = defaultdict(dict)
    for indicator_id, period, value in IndicatorValue.objects.filter(
        indicator_id__in={t.indicator_id for t in targets}
    ).values_list("indicator_id", "period", "value"):
        values[indicator_id][period] = _Row(period=period, value=value)
    for target in targets:
        achieved = achieved_for(target, values[target.indicator_id])
        if achieved is None or achieved < target.value:
            off_target[target.contract_id] += 1
    overdue: Counter = Counter()
    work = ("schedule", "start_date", "end_date")
    rows = Deliverable.objects.filter(action__contract_id__in=ids).values_list(
        "action__contract_id",
        "follow_up__pk",
        "follow_up__is_done",
        "follow_up__due_date",
        *[f"action__{name}" for name in work],
        "operation_id",
        *[f"operation__{name}" for name in work],
    )
    for contract_id, follow_up_pk, is_done, due_date, *dates in rows:
        if follow_up_pk is not None and is_done:
            continue
        deliverable = _Row(
            follow_up=_Row(due_date=due_date) if follow_up_pk is not None else None,
            action=_Row(**dict(zip(work, dates[:3], strict=True))),
            operation=_Row(**dict(zip(work, dates[4:], strict=True))) if dates[3] is not None else None,
        )
        due = deliverable_due(deliverable)
        if due is not None and due < today:
            overdue[contract_id] += 1
    past_year = today.year - 1
    reported = set(
        EvaluationReport.objects.filter(contract_id__in=ids, year=past_year).values_list(
            "contract_id", flat=True
        )
    )
    alerts = {}
    for contract in contracts:
        found = []
        if off_target[contract.pk]:
            n = off_target[contract.pk]
            found.append(ngettext("%(n)s cible non atteinte", "%(n)s cibles non atteintes", n) % {"n": n})
        if overdue[contract.pk]:
            n = overdue[contract.pk]
            found.append(ngettext("%(n)s livrable en retard", "%(n)s livrables en retard", n) % {"n": n})
        ran = (contract.start_date is None or contract.start_date.year <= past_year) and (
            contract.end_date is None or contract.end_date.year >= past_year
        )
        if today.month <= 3 and ran and contract.pk not in reported:
            found.append(_("évaluation %(year)s à préparer") % {"year": past_year})
        alerts[contract.pk] = found
    return alerts


@dataclass
class RegionalView:
    rows: list[ContractRow]
    page: object
    total: int
    by_status: dict[str, int]
    total_actions: int
    with_alerts: int


def contract_rows(contracts: list[Contract], today: date) -> list[ContractRow]:
    """Rows for contracts already annotated (`annotated`): 5 queries whatever their number."""
    ids = [contract.pk for contract in contracts]
    statuses = _action_statuses(ids)
    campaigns = _campaigns(ids)
    alerts = open_alerts(contracts, today)
    rows = []
    for contract in contracts:
        year, states = campaigns.get(contract.pk, (None, Counter()))
        rows.append(
            ContractRow(
                contract,
                contract.regional_status,
                statuses.get(contract.pk, Counter()),
                year,
                states,
                alerts[contract.pk],
            )
        )
    return rows


def filtered_contracts(user, filters: Filters, today: date):
    queryset = annotated(scope(user).select_related("territory"), today)
    return ordered(apply_filters(queryset, filters), filters.sort)


def regional_view(user, filters: Filters, today: date, page_number=None) -> RegionalView:
    queryset = filtered_contracts(user, filters, today)
    summary = list(queryset.values_list("pk", "regional_status", "action_count"))
    paginator = Paginator([pk for pk, _status, _n in summary], PAGE_SIZE)
    page = paginator.get_page(page_number)
    by_pk = {contract.pk: contract for contract in queryset.filter(pk__in=list(page.object_list))}
    contracts = [by_pk[pk] for pk in page.object_list if pk in by_pk]
    rows = contract_rows(contracts, today)
    by_status = Counter(status for _pk, status, _n in summary)
    return RegionalView(
        rows=rows,
        page=page,
        total=len(summary),
        by_status={key: by_status.get(key, 0) for key in RegionalStatus.ORDER},
        total_actions=sum(n for _pk, _status, n in summary),
        with_alerts=sum(1 for row in rows if row.alerts),
    )
