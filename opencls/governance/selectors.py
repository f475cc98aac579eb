"""Reads of the governance app, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from opencls.accounts.models import Organisation, normalise_name
from opencls.accounts.permissions import visible_contracts
from opencls.contracts.models import Contract, Signatory
from opencls.governance.dates import duration_text, prs_end_date
from opencls.governance.diff import amendment_changes
from opencls.governance.models import (
    DELIBERATING_KINDS,
    AgendaItem,
    Amendment,
    AmendmentSignature,
    Attendance,
    BodyMember,
    CoChairDesignation,
    ContractVersion,
    Decision,
    GovernanceBody,
    Meeting,
    SignatureState,
    Termination,
)


@dataclass
class Lifetime:
    """When the contract runs: from its start to its end date, the PRS's end or a termination."""

    start: date | None
    end: date | None
    end_source: str  # "termination", "contract", "prs" or "" when unknown
    prs_end: date | None
    termination: Termination | None

    def time_left(self, today: date) -> str:
        if self.end is None or self.end < today:
            return ""
        return duration_text(today, self.end)

    def years(self, today: date) -> range:
        """Calendar years from the start to this year (or to the end, if it came first)."""
        if self.start is None or self.start > today:
            return range(0)
        last = today.year if self.end is None else min(today.year, self.end.year)
        return range(self.start.year, last + 1)


def active_termination(contract: Contract) -> Termination | None:
    return (
        Termination.objects.filter(contract=contract, withdrawn_on__isnull=True)
        .annotate(pending=Count("notices", filter=Q(notices__notified_on__isnull=True)))
        .first()
    )


def past_terminations(contract: Contract) -> list[Termination]:
    return list(Termination.objects.filter(contract=contract, withdrawn_on__isnull=False))


def contract_lifetime(contract: Contract) -> Lifetime:
    termination = active_termination(contract)
    prs_end = prs_end_date(contract.regional_health_plan)
    if termination and (contract.end_date is None or termination.effective_on <= contract.end_date):
        end, source = termination.effective_on, "termination"
    elif contract.end_date:
        end, source = contract.end_date, "contract"
    else:
        end, source = prs_end, "prs" if prs_end else ""
    return Lifetime(contract.start_date, end, source, prs_end, termination)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


# ---------------------------------------------------------------- bodies and meetings


def contract_bodies(contract: Contract) -> list[GovernanceBody]:
    """Bodies with their member count and their last and next meetings (dates)."""
    now = timezone.now()
    live = Q(meetings__is_cancelled=False)
    return list(
        GovernanceBody.objects.filter(contract=contract)
        .select_related("linked_contract")
        .annotate(
            member_count=Count("members", distinct=True),
            last_meeting=Max("meetings__starts_at", filter=live & Q(meetings__starts_at__lte=now)),
            next_meeting=Min("meetings__starts_at", filter=live & Q(meetings__starts_at__gt=now)),
        )
    )


def body_members(body: GovernanceBody) -> list[BodyMember]:
    return list(body.members.select_related("organisation"))


def meetings_queryset():
    return Meeting.objects.select_related("body").annotate(
        agenda_count=Count("agenda_items", distinct=True),
        has_evaluation=Exists(
            AgendaItem.objects.filter(meeting=OuterRef("pk"), kind=AgendaItem.Kind.EVALUATION)
        ),
    )


def contract_meetings(contract: Contract, *, body: GovernanceBody | None = None) -> tuple[list, list]:
    """(upcoming, past) meetings of the contract, upcoming first-come-first."""
    meetings = meetings_queryset().filter(contract=contract)
    if body is not None:
        meetings = meetings.filter(body=body)
    now = timezone.now()
    upcoming = [m for m in meetings if m.starts_at > now]
    past = [m for m in reversed(meetings) if m.starts_at <= now]
    return upcoming, past


def upcoming_meetings_for_user(user, *, limit: int = 100) -> list[Meeting]:
    contracts = visible_contracts(user).values("pk")
    return list(
        meetings_queryset()
        .select_related("contract")
        .filter(contract__in=contracts, starts_at__gt=timezone.now(), is_cancelled=False)[:limit]
    )


def meeting_detail(contract: Contract, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("body").prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("action", "indicator", "evaluation", "amendment"),
            ),
            Prefetch("decisions", queryset=Decision.objects.select_related("agenda_item")),
        ),
        pk=pk,
        contract=contract,
    )


def meeting_attendance(meeting: Meeting) -> list[tuple[BodyMember, Attendance | None]]:
    """Every member of the meeting's body beside their recorded attendance, if any."""
    recorded = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    return [(member, recorded.get(member.pk)) for member in body_members(meeting.body)]


# ---------------------------------------------------------------- signatures


def deliberation_required_for(organisation) -> bool:
    return organisation.kind in DELIBERATING_KINDS


def contract_signature_rows(contract: Contract) -> list[tuple[Signatory, SignatureState]]:
    """Each signatory with its signature state (an unsaved default when nothing is recorded yet)."""
    rows = []
    signatories = Signatory.objects.filter(contract=contract).select_related(
        "organisation", "signature_state__deliberation"
    )
    for signatory in signatories:
        state = getattr(signatory, "signature_state", None)
        if state is None:
            state = SignatureState(
                contract=contract,
                signatory=signatory,
                deliberation_required=deliberation_required_for(signatory.organisation),
            )
        rows.append((signatory, state))
    return rows


# ---------------------------------------------------------------- amendments and versions


def open_amendment(contract: Contract) -> Amendment | None:
    return Amendment.objects.filter(contract=contract, status=Amendment.Status.PROPOSED).first()


def amendment_signatures(amendment: Amendment) -> dict[int, AmendmentSignature]:
    """Recorded signatures keyed by organisation id."""
    return {
        s.organisation_id: s
        for s in AmendmentSignature.objects.filter(amendment=amendment).select_related("deliberation")
    }


@dataclass
class Party:
    """A party who must sign an amendment: every current signatory, and those it adds."""

    name: str
    organisation: Organisation | None
    joins: bool
    leaves: bool
    signature: AmendmentSignature | None

    @property
    def state(self) -> AmendmentSignature:
        if self.signature is not None:
            return self.signature
        required = self.organisation is not None and deliberation_required_for(self.organisation)
        return AmendmentSignature(organisation=self.organisation, deliberation_required=required)


def amendment_parties(amendment: Amendment) -> list[Party]:
    changes = [
        c
        for c in amendment_changes(amendment.base_json, amendment.proposed_json)
        if c.section == "signatories"
    ]
    removed = {c.key for c in changes if c.kind == "removed"}
    added = {c.key: c.label for c in changes if c.kind == "added"}
    signatures = amendment_signatures(amendment)
    parties = []
    for signatory in Signatory.objects.filter(contract=amendment.contract_id).select_related("organisation"):
        key = normalise_name(signatory.organisation.name)
        added.pop(key, None)
        parties.append(
            Party(
                signatory.organisation.name,
                signatory.organisation,
                joins=False,
                leaves=key in removed,
                signature=signatures.get(signatory.organisation_id),
            )
        )
    joining = {o.normalised_name: o for o in Organisation.objects.filter(normalised_name__in=list(added))}
    for key, name in added.items():
        organisation = joining.get(key)
        signature = signatures.get(organisation.pk) if organisation else None
        parties.append(Party(name, organisation, joins=True, leaves=False, signature=signature))
    return parties


def contract_versions(contract: Contract) -> list[ContractVersion]:
    return list(
        ContractVersion.objects.filter(contract=contract).select_related("amendment").defer("snapshot")
    )


def co_chair_designations(body: GovernanceBody) -> list[CoChairDesignation]:
    return list(body.co_chair_designations.select_related("organisation", "meeting"))


@dataclass
class ContractAsOf:
    """The contract's recorded state at the end of a day, rebuilt from its history."""

    day: date
    contract: Contract
    signatories: list
    axes: list  # (axis, [actions])


def _as_of(model, moment, **filters) -> list:
    records = model.history.filter(history_date__lte=moment, **filters).latest_of_each().as_instances()
    return sorted(records, key=lambda o: (getattr(o, "position", 0), o.pk))


def contract_entered_on(contract: Contract) -> date | None:
    """The (local) day the contract was entered in OpenCLS: its first history row."""
    first = (
        contract.history.order_by("history_date", "history_id").values_list("history_date", flat=True).first()
    )
    return timezone.localdate(first) if first else None


def contract_as_of(contract: Contract, day: date) -> ContractAsOf | None:
    """None when the contract did not exist yet on that day."""
    from opencls.actions.models import Action
    from opencls.contracts.models import Axis

    moment = local_day_bounds(day)[1] - timedelta(microseconds=1)
    try:
        past = contract.history.as_of(moment)
    except Contract.DoesNotExist:
        return None
    signatories = _as_of(Signatory, moment, contract_id=contract.pk)
    states = {s.signatory_id: s for s in _as_of(SignatureState, moment, contract_id=contract.pk)}
    names = dict(
        Organisation.objects.filter(pk__in=[s.organisation_id for s in signatories]).values_list("pk", "name")
    )
    for signatory in signatories:
        signatory.organisation_name = names.get(signatory.organisation_id, "")
        state = states.get(signatory.pk)
        signatory.signed_on = state.signed_on if state else None
    actions = _as_of(Action, moment, contract_id=contract.pk)
    axes = [
        (axis, [a for a in actions if a.axis_id == axis.pk])
        for axis in _as_of(Axis, moment, contract_id=contract.pk)
    ]
    return ContractAsOf(day, past, signatories, axes)
