"""The territory's shared diagnosis beyond its figures: care supply and narrative sections.

The figures themselves are `contracts.DiagnosisIndicator` rows (they travel in the contract
JSON's core); the rows here travel in its "diagnosis" extension (see `io.py`).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.contracts.models import Contract


class CareSupply(models.Model):
    """One kind of care or medico-social supply on the territory (practitioners, facilities)."""

    class Kind(models.TextChoices):
        GENERAL_PRACTITIONERS = "gp", _("Médecins généralistes")
        SPECIALISTS = "specialists", _("Médecins spécialistes")
        PSYCHIATRISTS = "psychiatrists", _("Psychiatres")
        DENTISTS = "dentists", _("Chirurgiens-dentistes")
        NURSES = "nurses", _("Infirmiers et infirmières")
        PHYSIOTHERAPISTS = "physiotherapists", _("Masseurs-kinésithérapeutes")
        MIDWIVES = "midwives", _("Sages-femmes")
        PHARMACIES = "pharmacies", _("Pharmacies")
        HOSPITALS = "hospitals", _("Établissements hospitaliers")
        EHPAD = "ehpad", _("EHPAD")
        CSAPA = "csapa", _("CSAPA / CAARUD")
        CMP = "cmp", _("Centres médico-psychologiques (CMP)")
        MSP = "msp", _("Maisons de santé pluriprofessionnelles")
        HEALTH_CENTRES = "health_centres", _("Centres de santé")
        PMI = "pmi", _("Centres de PMI")
        OTHER = "other", _("Autre")

    PRACTITIONERS = {
        Kind.GENERAL_PRACTITIONERS,
        Kind.SPECIALISTS,
        Kind.PSYCHIATRISTS,
        Kind.DENTISTS,
        Kind.NURSES,
        Kind.PHYSIOTHERAPISTS,
        Kind.MIDWIVES,
    }

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="care_supply")
    kind = models.CharField(_("offre"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("précision"), max_length=300, blank=True)
    count = models.PositiveIntegerField(_("nombre sur le territoire"), null=True, blank=True)
    department_density = models.DecimalField(
        _("densité du département (pour 10 000 hab.)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    region_density = models.DecimalField(
        _("densité de la région (pour 10 000 hab.)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    nation_density = models.DecimalField(
        _("densité en France (pour 10 000 hab.)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    year = models.CharField(_("année"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("offre de soins et médico-sociale")
        verbose_name_plural = _("offre de soins et médico-sociale")
        ordering = ["position", "pk"]

    def __str__(self):
        name = self.get_kind_display()
        return f"{name} ({self.label})" if self.label else str(name)

    def density(self, population: int | None) -> Decimal | None:
        """Per 10 000 inhabitants of `population`, two decimals; computed, never typed."""
        if self.count is None or not population:
            return None
        return (Decimal(self.count) * 10000 / Decimal(population)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


class DiagnosisSection(models.Model):
    """A narrative part of the diagnosis (context, findings, needs expressed, consultation)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="diagnosis_sections")
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte"), blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partie du diagnostic")
        verbose_name_plural = _("parties du diagnostic")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title
