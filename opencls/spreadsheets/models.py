from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.actions.models import Action
from opencls.contracts.models import Contract


class Priority(models.TextChoices):
    HIGH = "high", _("Élevée")
    MEDIUM = "medium", _("Moyenne")
    LOW = "low", _("Basse")


class Participation(models.TextChoices):
    """Citizen participation levels, as Territoires en Transitions lists them."""

    NONE = "none", _("Pas de participation citoyenne")
    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Consultation")
    CONCERTATION = "concertation", _("Concertation")
    CO_CONSTRUCTION = "co_construction", _("Co-construction")


class ActionPlanDetails(models.Model):
    """Fields of a fiche action that plans kept in spreadsheets (Territoires en Transitions)
    carry and the core Action does not: kept here so a round trip loses nothing."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+")
    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="plan_details")
    priority = models.CharField(_("niveau de priorité"), max_length=10, choices=Priority.choices, blank=True)
    objectives_text = models.TextField(_("objectifs (texte)"), blank=True)
    governance_text = models.TextField(_("instances de gouvernance"), blank=True)
    participation = models.CharField(
        _("participation citoyenne"), max_length=20, choices=Participation.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compléments de fiche action")
        verbose_name_plural = _("compléments de fiches actions")

    def __str__(self):
        return str(self.action)


class PlanUpload(models.Model):
    """A spreadsheet a user uploaded for a contract, read and waiting for review.

    The parsed content stays on the server (never in hidden form fields); applying it
    recomputes the diff and refuses if the plan changed since the review.
    """

    class Source(models.TextChoices):
        OPENCLS = "opencls", _("Tableur OpenCLS")
        TET = "tet", _("Modèle Territoires en Transitions")

    class State(models.TextChoices):
        PENDING = "pending", _("À vérifier")
        INVALID = "invalid", _("Refusé (erreurs)")
        APPLIED = "applied", _("Appliqué")
        DISCARDED = "discarded", _("Abandonné")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="plan_uploads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_uploads")
    filename = models.CharField(_("fichier"), max_length=255)
    source = models.CharField(_("modèle"), max_length=10, choices=Source.choices)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    content = models.JSONField(default=dict)  # the rows read from the file (see spreadsheets.diff)
    diff = models.JSONField(default=dict)  # what the review screen shows
    digest = models.CharField(max_length=64, blank=True)
    added = models.PositiveIntegerField(_("ajouts"), default=0)
    changed = models.PositiveIntegerField(_("modifications"), default=0)
    removed = models.PositiveIntegerField(_("suppressions"), default=0)
    error_count = models.PositiveIntegerField(_("erreurs"), default=0)
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    applied_at = models.DateTimeField(_("appliqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("tableur déposé")
        verbose_name_plural = _("tableurs déposés")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename
