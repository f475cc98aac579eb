from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencls.contracts.models import Contract


class DocumentImport(models.Model):
    """What was read from an uploaded document, kept between the review page and the save.
    Only its uploader sees it; the document itself is not stored, only what was extracted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("importé par"), on_delete=models.CASCADE,
        related_name="document_imports",
    )  # fmt: skip
    filename = models.CharField(_("fichier"), max_length=255)
    file_format = models.CharField(_("format"), max_length=20)
    size = models.PositiveIntegerField(_("taille (octets)"))
    data = models.JSONField(_("contenu extrait"))
    contract = models.ForeignKey(
        Contract, verbose_name=_("contrat créé"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="document_imports",
    )  # fmt: skip
    created_at = models.DateTimeField(_("importé le"), auto_now_add=True)
    saved_at = models.DateTimeField(_("enregistré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de document")
        verbose_name_plural = _("imports de documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename
