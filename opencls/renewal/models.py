"""The end-of-contract evaluation (003 art. 9, 004 art. 7) that feeds the next contract."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.actions.models import Action
from opencls.contracts.models import Contract

# The evaluative questions, in the order evaluators ask them.
QUESTIONS = [
    ("relevance", _("Pertinence"), _("Les objectifs répondaient-ils aux besoins identifiés par le diagnostic ?")),
    ("coherence", _("Cohérence"), _("Les actions s'articulaient-elles entre elles et avec les autres politiques (PRS, contrat de ville…) ?")),
    ("effectiveness", _("Efficacité"), _("Les résultats attendus ont-ils été atteints ?")),
    ("efficiency", _("Efficience"), _("Les moyens mobilisés étaient-ils à la mesure des résultats obtenus ?")),
    ("impact", _("Impact"), _("Quels effets sur la santé des habitants et sur les acteurs du territoire ?")),
]  # fmt: skip


class FinalEvaluation(models.Model):
    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="final_evaluation")
    relevance = models.TextField(_("pertinence"), blank=True)
    coherence = models.TextField(_("cohérence"), blank=True)
    effectiveness = models.TextField(_("efficacité"), blank=True)
    efficiency = models.TextField(_("efficience"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    porteurs_said = models.TextField(_("ce qu'en disent les porteurs"), blank=True)
    inhabitants_said = models.TextField(_("ce qu'en disent les habitants"), blank=True)
    conclusion = models.TextField(_("conclusions et recommandations pour le prochain contrat"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("évaluation finale")
        verbose_name_plural = _("évaluations finales")

    def __str__(self):
        return str(_("Évaluation finale — %(contract)s") % {"contract": self.contract})


class ActionConclusion(models.Model):
    """The coordinator's judgement on one fiche at the end of the contract."""

    class Judgement(models.TextChoices):
        REACHED = "reached", _("Objectifs atteints")
        PARTLY = "partly", _("Objectifs partiellement atteints")
        NOT_REACHED = "not_reached", _("Objectifs non atteints")
        NOT_ASSESSABLE = "not_assessable", _("Non évaluable")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="action_conclusions")
    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="conclusion")
    judgement = models.CharField(_("appréciation"), max_length=20, choices=Judgement.choices, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    to_continue = models.BooleanField(_("à reconduire dans le prochain contrat"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conclusion sur une fiche action")
        verbose_name_plural = _("conclusions sur les fiches actions")

    def __str__(self):
        return f"{self.action} — {self.get_judgement_display() or '—'}"
