"""What the public sees of a contract, and what the public says about it (issue 14).

A `PublishedVersion` is a frozen copy of the public part of a contract: the citizen page is
drawn from the latest one only, so a draft being edited never shows until the coordination
publishes again. A `Suggestion` is an inhabitant's suggestion or question, shown once approved.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.actions.models import Action
from opencls.contracts.models import Contract
from opencls.monitoring.models import EvaluationReport


class PublishedVersion(models.Model):
    """One publication of a contract's public page; never edited (`snapshot.py` says its shape)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="published_versions")
    number = models.PositiveIntegerField(_("numéro de version"))
    published_at = models.DateTimeField(_("publiée le"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    snapshot = models.JSONField(_("contenu publié"))
    evaluation_report = models.ForeignKey(
        EvaluationReport,
        verbose_name=_("rapport d'évaluation publié"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The snapshot is large and never changes: the history records the publication, not a copy.
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        verbose_name = _("version publiée")
        verbose_name_plural = _("versions publiées")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="unique_published_version_number")
        ]

    def __str__(self):
        return _("Version publiée n° %(number)s") % {"number": self.number}


class Suggestion(models.Model):
    """An inhabitant's suggestion or question on a published contract or on one of its fiches."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("Suggestion")
        QUESTION = "question", _("Question")

    class State(models.TextChoices):
        PENDING = "pending", _("À modérer")
        APPROVED = "approved", _("Publiée")
        REJECTED = "rejected", _("Refusée")
        WITHDRAWN = "withdrawn", _("Retirée à la demande de son auteur")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="suggestions")
    action = models.ForeignKey(
        Action,
        verbose_name=_("fiche action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    # The fiche as it was titled on the public page, kept if the fiche is later deleted.
    action_label = models.CharField(_("fiche action concernée"), max_length=600, blank=True)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices, default=Kind.SUGGESTION)
    message = models.TextField(_("message"))
    author_name = models.CharField(_("nom ou pseudonyme"), max_length=100, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    state = models.CharField(_("état"), max_length=20, choices=State.choices, default=State.PENDING)
    answer = models.TextField(_("réponse publique"), blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modéré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("modéré le"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(
        _("données personnelles effacées le"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    # No personal data in the audit trail: an erasure on request must leave none behind.
    history = HistoricalRecords(excluded_fields=["author_name", "email", "message"])

    class Meta:
        verbose_name = _("suggestion ou question")
        verbose_name_plural = _("suggestions et questions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["contract", "state", "-created_at"])]

    def __str__(self):
        return _("%(kind)s n° %(pk)s") % {"kind": self.get_kind_display(), "pk": self.pk}

    @property
    def public_name(self) -> str:
        return self.author_name or str(_("Un habitant ou une habitante"))
