from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.contracts.models import Contract


class ContractArticle(models.Model):
    """One article of the contract's text, as the coordinator wrote it.

    The body is plain text in the minutes' small markup (blank line = new paragraph, "- " bullets,
    **bold**); `{signataires}`-style placeholders are filled from the contract's data when the
    document is generated (see articles.py). A contract without rows uses the default model."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="articles")
    key = models.SlugField(_("clé"), max_length=40)
    number = models.CharField(_("numéro"), max_length=20)
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte"))
    position = models.PositiveIntegerField(_("ordre"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("article du contrat")
        verbose_name_plural = _("articles du contrat")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["contract", "key"], name="unique_article_key")]

    def __str__(self):
        return _("Article %(number)s : %(title)s") % {"number": self.number, "title": self.title}
