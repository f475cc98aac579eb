"""Follow-up of a contract over the years: statuses, indicator values and targets, deliverables
with their evidence, and the annual evaluation presented to the COPIL.

Every model carries its `contract` so that each query is scoped by the contract taken from the
database, never by an id sent by the client alone.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.actions.models import Action, Deliverable, Indicator, Operation
from opencls.contracts.models import Contract
from opencls.monitoring.periods import Period


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Non démarrée")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    POSTPONED = "postponed", _("Reportée")
    ABANDONED = "abandoned", _("Abandonnée")


class StatusEntry(models.Model):
    """One dated step in the life of an action, or of one of its operations.

    Entries are never edited: the current status is the latest entry (by date, then by entry).
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="status_entries")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_entries")
    operation = models.ForeignKey(
        Operation, null=True, blank=True, on_delete=models.CASCADE, related_name="status_entries"
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices)
    date = models.DateField(_("date"))
    comment = models.TextField(_("commentaire"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("étape de suivi")
        verbose_name_plural = _("étapes de suivi")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["action", "operation", "-date", "-id"])]

    def __str__(self):
        return f"{self.get_status_display()} ({self.date:%d/%m/%Y})"


class PeriodValue(models.Model):
    """A figure for one period of an indicator (« 2026 », « 2026-S1 », « 2026-T3 »)."""

    year = models.PositiveSmallIntegerField(_("année"), db_index=True)
    period = models.CharField(_("période"), max_length=7)
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)

    class Meta:
        abstract = True
        ordering = ["period"]

    @property
    def period_obj(self) -> Period:
        return Period.from_code(self.period)


class IndicatorTarget(PeriodValue):
    """The minimum expected for a period; `cumulative` compares it with the sum of the values
    entered since the start of the contract (« au moins 5 ambassadeurs » over the contract)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="indicator_targets")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="targets"
    )
    cumulative = models.BooleanField(
        _("cumulée"), default=False, help_text=_("Comparée au total des valeurs depuis le début du contrat.")
    )
    source_deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("livrable d'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_targets",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta(PeriodValue.Meta):
        verbose_name = _("cible d'indicateur")
        verbose_name_plural = _("cibles d'indicateurs")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="unique_target_per_period")
        ]

    def __str__(self):
        return f"{self.indicator} — {self.period_obj.label} : {self.value}"


class IndicatorValue(PeriodValue):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="values"
    )
    # Count per category, commune, QPV or satisfaction level (keys: their labels), as decimal
    # strings; `value` is then their total (the share satisfied for a satisfaction scale).
    breakdown = models.JSONField(_("ventilation"), default=dict, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("saisi le"), auto_now=True)
    history = HistoricalRecords()

    class Meta(PeriodValue.Meta):
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateurs")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="unique_value_per_period")
        ]

    def __str__(self):
        return f"{self.indicator} — {self.period_obj.label} : {self.value}"


class DeliverableFollowUp(models.Model):
    """Whether an expected deliverable was produced, when, and when it is due."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="deliverable_follow_ups")
    deliverable = models.OneToOneField(Deliverable, on_delete=models.CASCADE, related_name="follow_up")
    is_done = models.BooleanField(_("réalisé"), default=False)
    done_on = models.DateField(_("réalisé le"), null=True, blank=True)
    due_date = models.DateField(
        _("échéance"),
        null=True,
        blank=True,
        help_text=_("Par défaut, la fin du calendrier de l'opération ou de l'action."),
    )
    comment = models.TextField(_("commentaire"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suivi de livrable")
        verbose_name_plural = _("suivis de livrables")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_done=False) | models.Q(done_on__isnull=False),
                name="done_deliverable_has_date",
            )
        ]

    def __str__(self):
        return str(self.deliverable)


def evidence_path(instance, filename):
    # A random name: the stored path reveals nothing and two uploads never collide.
    suffix = PurePath(filename).suffix.lower()
    return f"contrats/{instance.contract_id}/livrables/{instance.deliverable_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file proving a deliverable (attendance sheet, photo, report…), served only through a
    view that checks the reader's rights."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="evidences")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="evidences")
    file = models.FileField(_("fichier"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    # A deleted evidence keeps its stored file (named by its historical rows) until
    # `purge_deleted_files` removes it: the record is contractual.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Evaluation(models.Model):
    """The annual evaluation the COPIL examines (003 art. 9, 004 art. 7)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("année"))
    synthesis = models.TextField(_("synthèse"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("évaluation annuelle")
        verbose_name_plural = _("évaluations annuelles")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "year"], name="unique_evaluation_per_year")
        ]

    def __str__(self):
        return f"{self.contract} — {self.year}"


def report_path(instance, filename):
    return f"contrats/{instance.contract_id}/evaluations/{instance.year}/{uuid.uuid4().hex}-{filename}"


class EvaluationReport(models.Model):
    """A generated report file, kept so the version presented to the COPIL can be found again."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", _("DOCX (traitement de texte)")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="evaluation_reports")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("année"))
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file = models.FileField(upload_to=report_path, max_length=300)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    duration_ms = models.PositiveIntegerField(_("durée de génération (ms)"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("généré par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    generated_at = models.DateTimeField(_("généré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rapport d'évaluation")
        verbose_name_plural = _("rapports d'évaluation")
        ordering = ["-generated_at", "-pk"]

    def __str__(self):
        return f"{self.contract} — {self.year} ({self.format})"

    @property
    def duration_seconds(self) -> float:
        return self.duration_ms / 1000

    @property
    def filename(self) -> str:
        return f"evaluation-{self.year}-contrat-{self.contract_id}.{self.format}"
