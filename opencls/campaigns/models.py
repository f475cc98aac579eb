"""The yearly round: a campaign per contract and year, one report per action moving through
à renseigner → soumis → validé (or renvoyé back to the porteur)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.actions.models import Action
from opencls.contracts.models import Contract


class Campaign(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="campaigns")
    year = models.PositiveSmallIntegerField(_("année évaluée"))
    deadline = models.DateField(_("date limite"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campagne annuelle")
        verbose_name_plural = _("campagnes annuelles")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["contract", "year"], name="unique_campaign_year")]

    def __str__(self):
        return _("Campagne %(year)s") % {"year": self.year}

    def is_late(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.deadline


class ReportState(models.TextChoices):
    TO_FILL = "to_fill", _("À renseigner")
    SUBMITTED = "submitted", _("Soumis")
    VALIDATED = "validated", _("Validé")
    RETURNED = "returned", _("Renvoyé")


class ActionReport(models.Model):
    """Where one action stands in a campaign. `comment` is the last return or validation note."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="campaign_reports")
    state = models.CharField(
        _("état"), max_length=10, choices=ReportState.choices, default=ReportState.TO_FILL
    )
    comment = models.TextField(_("commentaire"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fiche de campagne")
        verbose_name_plural = _("fiches de campagne")
        constraints = [models.UniqueConstraint(fields=["campaign", "action"], name="unique_report_action")]

    def __str__(self):
        return f"{self.action} — {self.get_state_display()}"

    @property
    def is_pending(self) -> bool:
        return self.state in (ReportState.TO_FILL, ReportState.RETURNED)


class PeriodLock(models.Model):
    """A year of a contract made read-only once its COPIL approved the evaluation.

    Unlocking keeps the row (who, when, why); locking again adds a new row. At most one row per
    contract and year is active (`unlocked_at` empty).
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="period_locks")
    year = models.PositiveSmallIntegerField(_("année"))
    meeting = models.ForeignKey(
        "governance.Meeting", verbose_name=_("COPIL ayant approuvé l'évaluation"), on_delete=models.PROTECT
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(_("verrouillée le"), default=timezone.now)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unlocked_at = models.DateTimeField(_("déverrouillée le"), null=True, blank=True)
    unlock_reason = models.TextField(_("motif du déverrouillage"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verrou d'une année")
        verbose_name_plural = _("verrous des années")
        ordering = ["-year", "-locked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year"],
                condition=models.Q(unlocked_at=None),
                name="one_active_lock_per_year",
            )
        ]

    def __str__(self):
        return _("Année %(year)s verrouillée") % {"year": self.year}


class SentReminder(models.Model):
    """One reminder mailed to one porteur for one campaign: `send_reminders` never sends it twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("avant la date limite")
        LATE = "late", _("en retard")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sent_reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user", "kind"], name="one_reminder_per_kind")
        ]

    def __str__(self):
        return f"{self.campaign} — {self.user} — {self.get_kind_display()}"
