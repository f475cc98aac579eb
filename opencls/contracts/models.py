from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.accounts.models import Organisation
from opencls.territories.models import Territory


class Contract(models.Model):
    class Kind(models.TextChoices):
        CLS = "cls", _("Contrat local de santé (CLS)")
        CLSI = "clsi", _("Contrat local de santé intercommunal (CLSI)")
        CLSM = "clsm", _("Conseil local / intercommunal de santé mentale (CLSM / CISM)")
        CITY_CONTRACT_HEALTH = "city_contract_health", _("Volet santé du contrat de ville")
        ASV = "asv", _("Atelier Santé Ville (ASV)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SIGNED = "signed", _("Signé")
        IN_FORCE = "in_force", _("En vigueur")
        ENDED = "ended", _("Terminé")

    kind = models.CharField(_("type de contrat"), max_length=30, choices=Kind.choices, default=Kind.CLS)
    title = models.CharField(_("intitulé"), max_length=300)
    short_name = models.CharField(_("sigle"), max_length=50, blank=True)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="contracts"
    )
    start_date = models.DateField(_("date de début"), null=True, blank=True)
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    regional_health_plan = models.CharField(_("PRS décliné"), max_length=200, blank=True)
    summary = models.TextField(_("présentation"), blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_published = models.BooleanField(_("publié"), default=False)
    # The contract this one renews (issue 18): its final evaluation is the new one's starting point.
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("contrat précédent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    # An ASV or a CLSM / CISM belongs to a CLS (issue 14): its plan and bodies show on the CLS page.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("rattaché au contrat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    history = HistoricalRecords()

    # Kinds that may be attached to a CLS, and kinds a contract may be attached to.
    CHILD_KINDS = ("asv", "clsm")
    PARENT_KINDS = ("cls", "clsi")

    class Meta:
        verbose_name = _("contrat")
        verbose_name_plural = _("contrats")
        ordering = ["title"]

    def __str__(self):
        return self.short_name or self.title


class ContractRole(models.Model):
    """A user's role on one contract. ARS region readers and the public are not stored here:
    they follow from the user's ARS scope (`ars_region_code`, `ars_department_codes`) and the contract's publication."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinateur·rice")
        LEAD = "lead", _("Porteur")
        MEMBER = "member", _("Membre")
        SIGNATORY = "signatory", _("Signataire (lecture)")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contract_roles"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rôle sur un contrat")
        verbose_name_plural = _("rôles sur les contrats")
        constraints = [models.UniqueConstraint(fields=["contract", "user", "role"], name="unique_role")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.contract}"


class Signatory(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT)
    representative = models.CharField(_("représentant·e"), max_length=200, blank=True)
    representative_title = models.CharField(_("qualité"), max_length=200, blank=True)
    role = models.CharField(_("rôle dans le contrat"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signataire")
        verbose_name_plural = _("signataires")
        ordering = ["position", "pk"]

    def __str__(self):
        return str(self.organisation)


class Axis(models.Model):
    """Orientation / axe stratégique."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="axes")
    code = models.CharField(_("numéro"), max_length=20, blank=True)
    title = models.CharField(_("intitulé"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("axe stratégique")
        verbose_name_plural = _("axes stratégiques")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.code} — {self.title}" if self.code else self.title


class Objective(models.Model):
    """Objectives nest to any depth under an axis (002: 2.1 → 2.1.1 → 2.1.1.1)."""

    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="objectives")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("numéro"), max_length=30, blank=True)
    title = models.CharField(_("intitulé"), max_length=500)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.code} {self.title}".strip()


class DiagnosisIndicator(models.Model):
    """A figure of the territorial diagnosis, beside the département, the region and France."""

    class Group(models.TextChoices):
        POPULATION = "population", _("Population et démographie")
        MORTALITY = "mortality", _("Espérance de vie et mortalité")
        CHRONIC = "chronic", _("Maladies chroniques et état de santé")
        CARE = "care", _("Offre de soins et recours aux soins")
        PREVENTION = "prevention", _("Prévention et dépistage")
        ENVIRONMENT = "environment", _("Santé environnement")
        SOCIAL = "social", _("Déterminants sociaux")
        OTHER = "other", _("Autres données")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="diagnosis_indicators")
    group = models.CharField(_("rubrique"), max_length=20, choices=Group.choices, blank=True)
    theme = models.CharField(_("thème"), max_length=200, blank=True)
    label = models.CharField(_("indicateur"), max_length=500)
    unit = models.CharField(_("unité"), max_length=100, blank=True)
    year = models.CharField(_("année"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    territory_value = models.CharField(_("valeur territoire"), max_length=50, blank=True)
    department_value = models.CharField(_("valeur département"), max_length=50, blank=True)
    region_value = models.CharField(_("valeur région"), max_length=50, blank=True)
    nation_value = models.CharField(_("valeur France"), max_length=50, blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicateur de diagnostic")
        verbose_name_plural = _("indicateurs de diagnostic")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label
