"""The official administrative geography (COG, INSEE), loaded by `manage.py load_territories`.

Reference data, not owned by a contract: refreshed from the pinned package
`@etalab/decoupage-administratif`, without history. Contracts keep their own copies of the
codes and populations they use (Territory, Municipality), so a refresh never changes a
signed contract silently.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficialRegion(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région (COG)")
        verbose_name_plural = _("régions (COG)")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OfficialDepartment(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    normalised_name = models.CharField(max_length=100, db_index=True)
    region = models.ForeignKey(
        OfficialRegion, verbose_name=_("région"), on_delete=models.PROTECT, related_name="departments"
    )

    class Meta:
        verbose_name = _("département (COG)")
        verbose_name_plural = _("départements (COG)")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class OfficialEPCI(models.Model):
    """Établissement public de coopération intercommunale à fiscalité propre (DGCL list)."""

    siren = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    normalised_name = models.CharField(max_length=200, db_index=True)
    nature = models.CharField(_("nature"), max_length=10, help_text=_("CC, CA, CU ou METRO"))
    financing = models.CharField(_("mode de financement"), max_length=10, blank=True)
    # Sum of the member communes' legal populations (same millésime as OfficialCommune's).
    population = models.PositiveIntegerField(_("population municipale"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("nombre de communes membres"), default=0)

    class Meta:
        verbose_name = _("EPCI (COG)")
        verbose_name_plural = _("EPCI (COG)")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OfficialCommune(models.Model):
    """A current commune ("commune-actuelle")."""

    code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    normalised_name = models.CharField(max_length=200, db_index=True)
    population = models.PositiveIntegerField(_("population municipale"), null=True, blank=True)
    # Plain codes, not foreign keys: overseas collectivities have no département row.
    department_code = models.CharField(_("département"), max_length=3, db_index=True)
    region_code = models.CharField(_("région"), max_length=3, blank=True, db_index=True)
    epci = models.ForeignKey(
        OfficialEPCI,
        verbose_name=_("EPCI"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        db_constraint=False,
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    # Codes of the communes merged into this one (communes nouvelles), for matching old data.
    former_codes = models.JSONField(_("anciens codes"), default=list, blank=True)

    class Meta:
        verbose_name = _("commune (COG)")
        verbose_name_plural = _("communes (COG)")
        ordering = ["name", "code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class OfficialCommuneAlias(models.Model):
    """A former name of a current commune: a "commune déléguée" or "commune associée" of the COG,
    or the code of a commune that merged into it. Used only to match names read in documents."""

    class Kind(models.TextChoices):
        DELEGATED = "commune-deleguee", _("commune déléguée")
        ASSOCIATED = "commune-associee", _("commune associée")

    key = models.CharField(max_length=20, primary_key=True)  # "<kind initial>:<code>", stable
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(_("code INSEE de l'ancienne commune"), max_length=5)
    name = models.CharField(_("nom"), max_length=200)
    normalised_name = models.CharField(max_length=200, db_index=True)
    commune = models.ForeignKey(
        OfficialCommune, on_delete=models.CASCADE, related_name="aliases", db_constraint=False
    )

    class Meta:
        verbose_name = _("ancienne commune (COG)")
        verbose_name_plural = _("anciennes communes (COG)")

    def __str__(self):
        return self.name


class OfficialDataset(models.Model):
    """Which release of the official data is loaded (one row)."""

    key = models.CharField(max_length=20, primary_key=True, default="cog")
    version = models.CharField(_("version du paquet"), max_length=20)
    cog_year = models.PositiveSmallIntegerField(_("millésime du COG"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("année des populations légales"), null=True, blank=True
    )
    loaded_at = models.DateTimeField(_("chargé le"))
    departments_filter = models.CharField(_("départements chargés"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("référentiel chargé")
        verbose_name_plural = _("référentiels chargés")

    def __str__(self):
        return f"COG {self.cog_year or '?'} ({self.version})"
