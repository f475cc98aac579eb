"""CLS themes: a controlled vocabulary, and each action's themes (suggested, then confirmed or
rejected by the coordinator)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.actions.models import Action


class Theme(models.Model):
    """A theme of the regional vocabulary (« santé mentale », « vaccination »…); seeded by a data
    migration, kept as data so an administrator may adjust the keywords."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    keywords = models.TextField(
        _("mots-clés"),
        blank=True,
        help_text=_("Un mot ou une expression par ligne ; accents et majuscules sont ignorés."),
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "label"]

    def __str__(self):
        return self.label

    @property
    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class ActionTheme(models.Model):
    """An action tagged with a theme. A suggestion (from the action's text) waits for the
    coordinator, who confirms or rejects it; a rejected theme is never suggested again."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("Suggéré")
        CONFIRMED = "confirmed", _("Confirmé")
        REJECTED = "rejected", _("Écarté")

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(Theme, verbose_name=_("thème"), on_delete=models.PROTECT, related_name="links")
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.SUGGESTED)
    matched = models.CharField(_("mots trouvés"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thème d'une fiche action")
        verbose_name_plural = _("thèmes des fiches actions")
        ordering = ["theme__position", "theme__label"]
        constraints = [models.UniqueConstraint(fields=["action", "theme"], name="one_link_per_action_theme")]
        indexes = [models.Index(fields=["contract", "state"])]

    def __str__(self):
        return f"{self.action} — {self.theme} ({self.get_state_display()})"
