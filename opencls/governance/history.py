"""The governance models in a contract's audit trail ("Historique" page). Descriptions never query."""

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.core.registry import HistorySource
from opencls.governance.models import (
    AgendaItem,
    Amendment,
    AmendmentSignature,
    Attendance,
    BodyMember,
    CoChairDesignation,
    Decision,
    Deliberation,
    GovernanceBody,
    Meeting,
    SignatureState,
    Termination,
    TerminationNotice,
)


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _body_ids(pk):
    return GovernanceBody.history.filter(contract_id=pk).values("id")


def _meeting_ids(pk):
    return Meeting.history.filter(contract_id=pk).values("id")


def _amendment_ids(pk):
    return Amendment.history.filter(contract_id=pk).values("id")


def _signature(record) -> str:
    return _("signé le %(date)s") % {"date": _date(record.signed_on)} if record.signed_on else _("non signé")


def _attendance(record, related) -> str:
    # Names without following the member's or meeting's own foreign keys (no query per row).
    member, meeting = related(record, "member"), related(record, "meeting")
    who = getattr(member, "person_name", "") or (member if isinstance(member, str) else "")
    when = _date(meeting.starts_at) if hasattr(meeting, "starts_at") else meeting
    return " — ".join(
        str(p) for p in (who, _("réunion du %(date)s") % {"date": when}, record.get_status_display()) if p
    )


GOVERNANCE_HISTORY_SOURCES = [
    HistorySource(
        "governance_body",
        gettext_lazy("Instance de gouvernance"),
        GovernanceBody,
        lambda pk: GovernanceBody.history.filter(contract_id=pk),
        lambda record, related: record.name,
    ),
    HistorySource(
        "body_member",
        gettext_lazy("Membre d'une instance"),
        BodyMember,
        lambda pk: BodyMember.history.filter(body_id__in=_body_ids(pk)),
        lambda record, related: " — ".join(
            str(p)
            for p in (record.person_name, related(record, "organisation"), related(record, "body"))
            if p
        ),
        ("organisation", "body"),
    ),
    HistorySource(
        "meeting",
        gettext_lazy("Réunion"),
        Meeting,
        lambda pk: Meeting.history.filter(contract_id=pk),
        lambda record, related: f"{record.title or related(record, 'body')} — {_date(record.starts_at)}",
        ("body",),
    ),
    HistorySource(
        "agenda_item",
        gettext_lazy("Point de l'ordre du jour"),
        AgendaItem,
        lambda pk: AgendaItem.history.filter(meeting_id__in=_meeting_ids(pk)),
        lambda record, related: record.title or record.get_kind_display(),
    ),
    HistorySource(
        "attendance",
        gettext_lazy("Présence à une réunion"),
        Attendance,
        lambda pk: Attendance.history.filter(meeting_id__in=_meeting_ids(pk)),
        lambda record, related: _attendance(record, related),
        ("member", "meeting"),
    ),
    HistorySource(
        "decision",
        gettext_lazy("Décision"),
        Decision,
        lambda pk: Decision.history.filter(meeting_id__in=_meeting_ids(pk)),
        lambda record, related: Truncator(record.text).chars(120),
    ),
    HistorySource(
        "deliberation",
        gettext_lazy("Délibération"),
        Deliberation,
        lambda pk: Deliberation.history.filter(contract_id=pk),
        lambda record, related: record.stated_text or f"n°{record.number} du {_date(record.date)}",
    ),
    HistorySource(
        "signature_state",
        gettext_lazy("Signature du contrat"),
        SignatureState,
        lambda pk: SignatureState.history.filter(contract_id=pk),
        lambda record, related: _signature(record),
    ),
    HistorySource(
        "amendment",
        gettext_lazy("Avenant"),
        Amendment,
        lambda pk: Amendment.history.filter(contract_id=pk),
        lambda record, related: f"n°{record.number} : {record.title}",
    ),
    HistorySource(
        "amendment_signature",
        gettext_lazy("Signature d'un avenant"),
        AmendmentSignature,
        lambda pk: AmendmentSignature.history.filter(amendment_id__in=_amendment_ids(pk)),
        lambda record, related: f"{related(record, 'organisation')} — {_signature(record)}",
        ("organisation",),
    ),
    HistorySource(
        "termination",
        gettext_lazy("Résiliation"),
        Termination,
        lambda pk: Termination.history.filter(contract_id=pk),
        lambda record, related: (
            _("%(party)s, notifiée le %(on)s, effective le %(end)s")
            % {"party": record.party_name, "on": _date(record.notified_on), "end": _date(record.effective_on)}
        ),
    ),
    HistorySource(
        "termination_notice",
        gettext_lazy("Notification de résiliation"),
        TerminationNotice,
        lambda pk: TerminationNotice.history.filter(
            termination_id__in=Termination.history.filter(contract_id=pk).values("id")
        ),
        lambda record, related: record.party_name,
    ),
    HistorySource(
        "co_chair_designation",
        gettext_lazy("Désignation à la coprésidence"),
        CoChairDesignation,
        lambda pk: CoChairDesignation.history.filter(contract_id=pk),
        lambda record, related: f"{record.year} — {related(record, 'organisation')}",
        ("organisation",),
    ),
]
