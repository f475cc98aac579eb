"""Participation in a contract's audit trail ("Historique" page). Descriptions never query.

A member erased at their request leaves no name here: `services.participant_erase` purges the
historical copies of their row, keeping one row that says when they were deleted."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.core.history_sources import as_instance
from opencls.core.registry import HistorySource
from opencls.participation.models import Consent, Participant, ParticipationBody, ParticipationEvent, Seat


def _body_ids(pk):
    return ParticipationBody.history.filter(contract_id=pk).values("id")


def _participant_ids(pk):
    return Participant.history.filter(body_id__in=_body_ids(pk)).values("id")


def _participant(record, related) -> str:
    if record.erased_on:
        return _("membre supprimé à sa demande le %(date)s") % {"date": record.erased_on.strftime("%d/%m/%Y")}
    return record.name or _("membre sans nom")


PARTICIPATION_HISTORY_SOURCES = [
    HistorySource(
        "participation_body",
        gettext_lazy("Instance participative"),
        ParticipationBody,
        lambda pk: ParticipationBody.history.filter(contract_id=pk),
        as_instance,
    ),
    HistorySource(
        "participant",
        gettext_lazy("Membre d'une instance participative"),
        Participant,
        lambda pk: Participant.history.filter(body_id__in=_body_ids(pk)),
        _participant,
    ),
    HistorySource(
        "participation_consent",
        gettext_lazy("Consentement"),
        Consent,
        lambda pk: Consent.history.filter(participant_id__in=_participant_ids(pk)),
        lambda record, related: record.get_purpose_display(),
    ),
    HistorySource(
        "participation_seat",
        gettext_lazy("Siège d'une instance participative"),
        Seat,
        lambda pk: Seat.history.filter(body_id__in=_body_ids(pk)),
        lambda record, related: f"{related(record, 'body')} → {related(record, 'governance_body')}",
        ("body", "governance_body"),
    ),
    HistorySource(
        "participation_event",
        gettext_lazy("Temps de participation"),
        ParticipationEvent,
        lambda pk: ParticipationEvent.history.filter(contract_id=pk),
        as_instance,
    ),
]
