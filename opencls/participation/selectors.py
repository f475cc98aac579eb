from django.db.models import Count, Prefetch, Q

from opencls.contracts.models import Contract
from opencls.participation.models import Consent, Participant, ParticipationBody, ParticipationEvent, Seat


def contract_bodies(contract: Contract) -> list[ParticipationBody]:
    """Bodies with their number of members (not erased) and their seats: three queries."""
    return list(
        ParticipationBody.objects.filter(contract=contract)
        .select_related("neighbourhood")
        .annotate(member_count=Count("participants", filter=Q(participants__erased_on__isnull=True)))
        .prefetch_related(
            Prefetch("seats", queryset=Seat.objects.select_related("governance_body", "holder"))
        )
    )


def contract_events(contract: Contract) -> list[ParticipationEvent]:
    return list(
        ParticipationEvent.objects.filter(contract=contract)
        .select_related("body")
        .prefetch_related("axes", "actions")
        .order_by("-date", "pk")
    )


def body_participants(body: ParticipationBody) -> list[Participant]:
    return list(
        Participant.objects.filter(body=body)
        .select_related("neighbourhood")
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.order_by("-given_on", "-pk")))
    )
