"""A background job as its requester sees it: kind, progress, message, error, result file.

The work itself runs through Django's Tasks API (`opencls.jobs.tasks.run_job`, database backend,
`manage.py db_worker`); this row is what the pages show and what the task updates.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.contracts.models import Contract


def result_path(job, filename):
    return f"jobs/{job.created_at:%Y/%m}/{job.pk}/{filename}"


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminée")
        FAILED = "failed", _("Échec")

    kind = models.CharField(_("type"), max_length=64)
    label = models.CharField(_("intitulé"), max_length=200)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contrat"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    status = models.CharField(_("état"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    result = models.FileField(_("résultat"), upload_to=result_path, max_length=300, blank=True)
    result_filename = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    origin_url = models.CharField(_("page d'origine"), max_length=300, blank=True)
    # Where the user continues once the job is done (e.g. the review of an imported document).
    result_url = models.CharField(_("page du résultat"), max_length=300, blank=True)
    task_id = models.CharField(_("identifiant de la tâche"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    # Progress updates go through queryset.update() and leave no history row; the states do.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tâche de fond")
        verbose_name_plural = _("tâches de fond")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="job_requester_idx")]

    def __str__(self):
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def has_download(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result)
