"""What a user is told: one in-app notification per event, the same event that is mailed.

A notification belongs to its recipient only (no one else ever sees it). It is not part of a
contract's record (the events themselves are, on the contract's history page)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.contracts.models import Contract


class Kind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation acceptée")
    CAMPAIGN_OPENED = "campaign_opened", _("Campagne ouverte")
    REMINDER = "reminder", _("Rappel")
    LATE = "late", _("Retard")
    REPORT_SUBMITTED = "report_submitted", _("Fiche soumise")
    REPORT_RETURNED = "report_returned", _("Fiche renvoyée")
    REPORT_VALIDATED = "report_validated", _("Fiche validée")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contrat"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte"), blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    # Set when the single e-mail left; empty for a user who receives the weekly digest instead.
    emailed_at = models.DateTimeField(_("envoyée par courriel le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(fields=["user"], condition=models.Q(read_at=None), name="notification_unread_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """How a user wants to be mailed. No row means "each e-mail" (the default)."""

    class Frequency(models.TextChoices):
        EACH = "each", _("Recevoir chaque courriel")
        WEEKLY = "weekly", _("Recevoir un résumé hebdomadaire")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_frequency = models.CharField(
        _("courriels de notification"), max_length=10, choices=Frequency.choices, default=Frequency.EACH
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self):
        return f"{self.user} — {self.get_email_frequency_display()}"


class SentDigest(models.Model):
    """One weekly digest mailed to one user: `send_digest` never sends the same week twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("semaine du"))
    notification_count = models.PositiveIntegerField(_("notifications résumées"), default=0)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("résumé hebdomadaire envoyé")
        verbose_name_plural = _("résumés hebdomadaires envoyés")
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="one_digest_per_user_and_week")
        ]

    def __str__(self):
        return f"{self.user} — {self.week_start:%d/%m/%Y}"
