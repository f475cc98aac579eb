"""Writes of the participation pages. Views pass cleaned form data; multi-step writes are atomic."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from opencls.contracts.editor_services import assign, next_position
from opencls.contracts.models import Contract
from opencls.participation.models import Consent, Participant, ParticipationBody, ParticipationEvent, Seat

PERSONAL_FIELDS = ("name", "email", "phone")
CONTACT_FIELDS = ("email", "phone")


class ParticipationError(Exception):
    """A write refused, with a French message for the user."""


def _set_m2m(obj, name: str, values) -> None:
    if values is None:
        return
    wanted = {v.pk for v in values}
    manager = getattr(obj, name)
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(wanted)


def body_create(*, contract: Contract, **fields) -> ParticipationBody:
    return ParticipationBody.objects.create(
        contract=contract, position=next_position(contract.participation_bodies.all()), **fields
    )


def body_update(*, body: ParticipationBody, **fields) -> ParticipationBody:
    assign(body, fields)
    body.save()
    return body


@transaction.atomic
def body_delete(*, body: ParticipationBody) -> None:
    """Members go with their body: each is erased first, so no copy of their data stays behind."""
    for participant in body.participants.all():
        if not participant.erased_on:
            participant_erase(participant=participant, on=date.today())
    body.delete()


def has_contact_consent(participant: Participant) -> bool:
    return (
        participant.pk is not None
        and participant.consents.filter(purpose=Consent.Purpose.CONTACT, withdrawn_on__isnull=True).exists()
    )


@transaction.atomic
def participant_create(
    *, body: ParticipationBody, consent_contact_on: date | None = None, consent_how: str = "", **fields
) -> Participant:
    """A new member; contact details are kept only with a consent to be contacted, recorded here."""
    if (fields.get("email") or fields.get("phone")) and not consent_contact_on:
        raise ParticipationError(
            _("Un courriel ou un téléphone ne s'enregistre qu'avec le consentement de la personne.")
        )
    participant = Participant.objects.create(body=body, **fields)
    if consent_contact_on:
        Consent.objects.create(
            participant=participant,
            purpose=Consent.Purpose.CONTACT,
            given_on=consent_contact_on,
            how=consent_how,
        )
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, **fields) -> Participant:
    if participant.erased_on:
        raise ParticipationError(
            _("Ce membre a été supprimé à sa demande : ses données ne peuvent plus être saisies.")
        )
    if (fields.get("email") or fields.get("phone")) and not has_contact_consent(participant):
        raise ParticipationError(
            _(
                "Enregistrez d'abord son consentement à être contacté·e : sans lui, pas de courriel ni de téléphone."
            )
        )
    assign(participant, fields)
    participant.save()
    return participant


def consent_add(*, participant: Participant, **fields) -> Consent:
    if participant.erased_on:
        raise ParticipationError(_("Ce membre a été supprimé à sa demande."))
    return Consent.objects.create(participant=participant, **fields)


@transaction.atomic
def consent_withdraw(*, consent: Consent, on: date) -> Consent:
    """Withdrawing the consent to be contacted erases the contact details at once."""
    if consent.withdrawn_on:
        return consent
    consent.withdrawn_on = on
    consent.save()
    participant = consent.participant
    if consent.purpose == Consent.Purpose.CONTACT and not has_contact_consent(participant):
        if participant.email or participant.phone:
            participant.email = participant.phone = ""
            participant.save()
            _purge_history(participant, CONTACT_FIELDS)
    return consent


def _purge_history(participant: Participant, fields) -> None:
    """Blank `fields` in every historical copy of the member: a right to erasure that leaves the
    data in the audit trail would erase nothing."""
    Participant.history.filter(id=participant.pk).update(**{name: "" for name in fields})


@transaction.atomic
def participant_erase(*, participant: Participant, on: date) -> Participant:
    """Deletion on request (RGPD art. 17): name, contact details and quartier are erased, in the
    row and in every historical copy of it; one trace stays, « membre supprimé à sa demande le … ».
    Consents are kept as the register's proof, without any personal data; seats held are freed."""
    if participant.erased_on:
        return participant
    Seat.objects.filter(holder=participant).update(holder=None)
    participant.name = participant.email = participant.phone = ""
    participant.neighbourhood = None
    participant.college = ""
    participant.joined_on = None
    participant.erased_on = on
    participant.save()
    history = Participant.history.filter(id=participant.pk)
    latest = history.order_by("-history_date", "-history_id").first()
    # Earlier copies go entirely; the last one (the erasure) is the trace.
    history.exclude(history_id=latest.history_id).delete()
    history.update(name="", email="", phone="", neighbourhood=None, college="", joined_on=None)
    Seat.history.filter(holder_id=participant.pk).update(holder=None)
    return participant


def seat_add(*, body: ParticipationBody, **fields) -> Seat:
    return Seat.objects.create(body=body, **fields)


def seat_update(*, seat: Seat, **fields) -> Seat:
    assign(seat, fields)
    seat.save()
    return seat


def seat_delete(*, seat: Seat) -> None:
    seat.delete()


@transaction.atomic
def event_create(*, contract: Contract, axes=None, actions=None, **fields) -> ParticipationEvent:
    event = ParticipationEvent.objects.create(contract=contract, **fields)
    _set_m2m(event, "axes", axes)
    _set_m2m(event, "actions", actions)
    return event


@transaction.atomic
def event_update(*, event: ParticipationEvent, axes=None, actions=None, **fields) -> ParticipationEvent:
    assign(event, fields)
    event.save()
    _set_m2m(event, "axes", axes)
    _set_m2m(event, "actions", actions)
    return event


def event_delete(*, event: ParticipationEvent) -> None:
    event.delete()
