"""Locked years: once the COPIL approved a year's evaluation, its values, statuses, evidence and
campaign reports are read-only for everyone, whatever the way in (forms, grid, spreadsheet
re-import, API, admin): model signals refuse the write, and bulk writers call `check_unlocked`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.campaigns.models import ActionReport, PeriodLock


class PeriodLocked(ValidationError):
    pass


def locked_years(contract_id) -> set[int]:
    return set(
        PeriodLock.objects.filter(contract_id=contract_id, unlocked_at=None).values_list("year", flat=True)
    )


def check_unlocked(contract_id, years) -> None:
    years = {year for year in years if year is not None}
    if not years:
        return
    locked = sorted(years & locked_years(contract_id))
    if locked:
        raise PeriodLocked(
            _(
                "L'année %(years)s est verrouillée (évaluation validée en COPIL) : ses valeurs, statuts et "
                "preuves ne peuvent plus être modifiés. La coordination peut la déverrouiller en indiquant un motif."
            )
            % {"years": ", ".join(str(y) for y in locked)}
        )


def active_lock(contract, year) -> PeriodLock | None:
    return (
        PeriodLock.objects.filter(contract=contract, year=year, unlocked_at=None)
        .select_related("meeting", "locked_by")
        .first()
    )


def approval_note(contract, year) -> str:
    """« validé en COPIL du JJ/MM/AAAA » for a locked year, "" otherwise."""
    lock = active_lock(contract, year)
    if lock is None:
        return ""
    day = timezone.localtime(lock.meeting.starts_at).strftime("%d/%m/%Y")
    return _("Validé en COPIL du %(date)s") % {"date": day}


def approving_meetings(contract, year):
    """Held, not cancelled COPIL meetings with a decision on the evaluation of `year`."""
    from opencls.governance.models import AgendaItem, GovernanceBody, Meeting

    return (
        Meeting.objects.filter(
            contract=contract,
            body__kind=GovernanceBody.Kind.STEERING,
            is_cancelled=False,
            starts_at__lte=timezone.now(),
            decisions__agenda_item__kind=AgendaItem.Kind.EVALUATION,
            decisions__agenda_item__evaluation__year=year,
        )
        .select_related("body")
        .distinct()
        .order_by("-starts_at")
    )


@transaction.atomic
def lock(*, contract, year: int, meeting, user) -> PeriodLock:
    if not approving_meetings(contract, year).filter(pk=meeting.pk).exists():
        raise ValidationError(
            _(
                "Choisissez une réunion du COPIL, déjà tenue, dont une décision porte sur l'évaluation %(year)s."
            )
            % {"year": year}
        )
    if PeriodLock.objects.select_for_update().filter(contract=contract, year=year, unlocked_at=None).exists():
        raise ValidationError(_("L'année %(year)s est déjà verrouillée.") % {"year": year})
    return PeriodLock.objects.create(contract=contract, year=year, meeting=meeting, locked_by=user)


@transaction.atomic
def unlock(*, contract, year: int, user, reason: str) -> PeriodLock:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du déverrouillage : il reste dans l'historique."))
    current = (
        PeriodLock.objects.select_for_update().filter(contract=contract, year=year, unlocked_at=None).first()
    )
    if current is None:
        raise ValidationError(_("L'année %(year)s n'est pas verrouillée.") % {"year": year})
    current.unlocked_at = timezone.now()
    current.unlocked_by = user
    current.unlock_reason = reason
    current.save()
    return current


# Model guards ---------------------------------------------------------------------------------


def _years_of(instance) -> set[int]:
    """The years the row belongs to, before and after the change (queries only when needed)."""
    from opencls.monitoring.models import DeliverableFollowUp, Evidence, IndicatorValue, StatusEntry

    if isinstance(instance, IndicatorValue):  # keyed on its period: the year does not move
        return {instance.year}
    if isinstance(instance, StatusEntry):  # entries are added, never edited
        return {instance.date.year} if instance.date else set()
    if isinstance(instance, DeliverableFollowUp):
        old = DeliverableFollowUp.objects.filter(pk=instance.pk).first() if instance.pk else None
        return {instance.done_on and instance.done_on.year, old and old.done_on and old.done_on.year}
    if isinstance(instance, Evidence):
        follow_up = DeliverableFollowUp.objects.filter(deliverable_id=instance.deliverable_id).first()
        uploaded = instance.uploaded_at or timezone.now()
        return {timezone.localtime(uploaded).year, follow_up and follow_up.done_on and follow_up.done_on.year}
    if isinstance(instance, ActionReport):
        return {instance.campaign.year}
    return set()


def _contract_id(instance):
    if isinstance(instance, ActionReport):
        return instance.campaign.contract_id
    return instance.contract_id


def guard(sender, instance, origin=None, **kwargs):
    """Refuses a write to a locked year. A deletion cascading from a structural one (the contract,
    an action, an indicator removed from the plan) is that object's rule, not this one."""
    if kwargs.get("raw"):
        return  # fixtures and loaddata
    if origin is not None and origin is not instance and getattr(origin, "model", None) is not sender:
        return
    contract_id = _contract_id(instance)
    locked = locked_years(contract_id)
    if locked:
        check_unlocked(contract_id, _years_of(instance))


def connect_guards() -> None:
    from opencls.monitoring.models import DeliverableFollowUp, Evidence, IndicatorValue, StatusEntry

    for model in (IndicatorValue, StatusEntry, DeliverableFollowUp, Evidence, ActionReport):
        pre_save.connect(guard, sender=model, dispatch_uid=f"period-lock-save-{model.__name__}")
        pre_delete.connect(guard, sender=model, dispatch_uid=f"period-lock-delete-{model.__name__}")
