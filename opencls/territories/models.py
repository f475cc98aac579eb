from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Territory(models.Model):
    """The area a contract covers. `stated_*` keep what the document announces, so the
    product can show where the announced figures differ from the ones computed."""

    class Kind(models.TextChoices):
        EPCI = "epci", _("Intercommunalité (EPCI)")
        INTERMUNICIPAL = "intermunicipal", _("Groupement de communes")
        MUNICIPALITY = "municipality", _("Commune")
        NEIGHBOURHOOD = "neighbourhood", _("Quartier(s)")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.EPCI)
    region = models.CharField(_("région"), max_length=100, blank=True)
    department = models.CharField(_("département"), max_length=100, blank=True)
    # Official INSEE codes (COG) of the région and the main département, e.g. "32" and "59".
    region_code = models.CharField(_("code INSEE de la région"), max_length=3, blank=True, db_index=True)
    department_code = models.CharField(
        _("code INSEE du département"), max_length=3, blank=True, db_index=True
    )
    # The official entity the territory was chosen from (issue 16): an EPCI (SIREN), a
    # département (code) or a set of communes; empty when typed by hand or imported.
    official_kind = models.CharField(
        _("référentiel officiel"),
        max_length=20,
        blank=True,
        choices=[("epci", _("EPCI")), ("department", _("Département")), ("communes", _("Communes"))],
    )
    official_code = models.CharField(_("code officiel (SIREN ou département)"), max_length=9, blank=True)
    official_name = models.CharField(_("nom officiel"), max_length=200, blank=True)
    stated_municipality_count = models.PositiveIntegerField(
        _("nombre de communes annoncé"), null=True, blank=True
    )
    stated_population = models.PositiveIntegerField(_("population annoncée"), null=True, blank=True)
    stated_neighbourhood_count = models.PositiveIntegerField(
        _("nombre de QPV annoncé"), null=True, blank=True
    )
    stated_neighbourhood_inhabitants = models.PositiveIntegerField(
        _("habitants en QPV annoncés"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")

    def __str__(self):
        return self.name


# The official code of a QPV in the 2024 list ("Quartiers 2030"): "QN", the département on
# three characters and a two-digit number (5 characters), then a letter, e.g. QN05901M.
QPV_CODE_PATTERN = r"^QN[0-9A-Z]{5}[A-Z]$"
validate_qpv_code = RegexValidator(
    QPV_CODE_PATTERN,
    _(
        "Le code QPV officiel (liste 2024) s'écrit « QN », puis 5 chiffres ou lettres, puis une lettre, "
        "par exemple QN05901M."
    ),
)


class PriorityNeighbourhood(models.Model):
    """Quartier prioritaire de la politique de la ville (QPV); may span several municipalities."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="neighbourhoods")
    name = models.CharField(_("nom"), max_length=300)
    code = models.CharField(
        _("code QPV"),
        max_length=20,
        blank=True,
        validators=[validate_qpv_code],
        help_text=_("Code officiel de la liste 2024, par exemple QN05901M."),
    )
    population = models.PositiveIntegerField(_("population du quartier"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("année de la population"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="unique_qpv_name_per_territory"),
            models.UniqueConstraint(
                fields=["territory", "code"],
                condition=~models.Q(code=""),
                name="unique_qpv_code_per_territory",
            ),
        ]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="municipalities")
    name = models.CharField(_("nom"), max_length=200)
    insee_code = models.CharField(
        _("code INSEE"),
        max_length=5,
        blank=True,
        validators=[
            RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("Le code INSEE comporte 5 caractères (ex. 59009)."))
        ],
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("année de la population"), null=True, blank=True)
    # The official legal population (COG) and its year, beside the document's `population`.
    official_population = models.PositiveIntegerField(_("population officielle"), null=True, blank=True)
    official_population_year = models.PositiveSmallIntegerField(
        _("année de la population officielle"), null=True, blank=True
    )
    neighbourhood_inhabitants = models.PositiveIntegerField(_("habitants en QPV"), null=True, blank=True)
    # What the document printed as "% habitants en QPV", never used for computing.
    stated_neighbourhood_share = models.DecimalField(
        _("part en QPV annoncée (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    neighbourhoods = models.ManyToManyField(PriorityNeighbourhood, blank=True, related_name="municipalities")
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[neighbourhoods])

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="unique_municipality_per_territory")
        ]

    def __str__(self):
        return self.name

    @property
    def population_gap(self) -> int | None:
        """Document's population minus the official one; None when either is unknown or equal."""
        if self.population is None or self.official_population is None:
            return None
        return (self.population - self.official_population) or None

    @property
    def neighbourhood_share(self) -> Decimal | None:
        """Share of inhabitants living in a QPV, in %, two decimals; computed, never typed."""
        if not self.population or self.neighbourhood_inhabitants is None:
            return None
        share = Decimal(self.neighbourhood_inhabitants) * 100 / Decimal(self.population)
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def stated_share_gap(self) -> Decimal | None:
        if self.stated_neighbourhood_share is None or self.neighbourhood_share is None:
            return None
        gap = self.stated_neighbourhood_share - self.neighbourhood_share
        return gap if gap else None
