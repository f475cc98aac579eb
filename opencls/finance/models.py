from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.accounts.models import Organisation
from opencls.contracts.models import Contract
from opencls.territories.models import Municipality


class CoordinatorPostFunding(models.Model):
    """How the coordinator post is co-financed over the whole contract (004 art. 5):
    the ARS pays `ars_rate` of the yearly cost within `ars_yearly_cap`; the rest follows `rest_rule`:
    the communes pro rata their population (004), one payer (003: the agglomeration), or the fixed
    shares of the signed table (issue 17)."""

    class RestRule(models.TextChoices):
        POPULATION = "population", _("Réparti entre les communes au prorata de leur population")
        SINGLE_PAYER = "single_payer", _("Payé par un seul financeur")
        STATED_SHARES = "stated_shares", _("Réparti selon les parts fixées dans le contrat")

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="coordinator_post_funding"
    )
    ars_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("ARS financeuse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.ARS},
    )
    # Unknown until the post is budgeted: 004 states the shares, not the cost.
    yearly_cost = models.DecimalField(
        _("coût annuel du poste (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0.01"), _("Le coût annuel du poste doit être supérieur à zéro."))
        ],
    )
    yearly_cost_note = models.CharField(
        _("origine du coût"),
        max_length=500,
        blank=True,
        help_text=_("Par exemple « budget 2026 voté » ou « valeur d'exemple »."),
    )
    ars_rate = models.DecimalField(
        _("part de l'ARS (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[
            MinValueValidator(0, _("La part de l'ARS ne peut pas être négative.")),
            MaxValueValidator(100, _("La part de l'ARS ne peut pas dépasser 100 %%.")),
        ],
    )
    ars_yearly_cap = models.DecimalField(
        _("plafond annuel de l'ARS (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("Le plafond ne peut pas être négatif."))],
        help_text=_("Laisser vide s'il n'y a pas de plafond."),
    )

    class PopulationBasis(models.TextChoices):
        SIGNED = "signed", _("Population signée (celle du contrat)")
        OFFICIAL = "official", _("Population légale officielle (INSEE)")

    # Issue 16: which population the pro rata uses; the other is shown beside it.
    population_basis = models.CharField(
        _("population retenue pour le prorata"),
        max_length=10,
        choices=PopulationBasis.choices,
        default=PopulationBasis.SIGNED,
        help_text=_(
            "La population écrite dans le contrat signé, ou la population légale de l'INSEE (avec son année) "
            "si le contrat prévoit de suivre les chiffres officiels."
        ),
    )
    rest_rule = models.CharField(
        _("répartition du reste"), max_length=20, choices=RestRule.choices, default=RestRule.POPULATION
    )
    rest_payer = models.ForeignKey(
        Organisation,
        verbose_name=_("financeur du reste"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Quand le reste est payé par un seul financeur (par exemple l'intercommunalité)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cofinancement du poste de coordination")
        verbose_name_plural = _("cofinancements du poste de coordination")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(yearly_cost__gt=0) | models.Q(yearly_cost__isnull=True),
                name="coordinator_cost_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(ars_rate__gte=0, ars_rate__lte=100), name="coordinator_ars_rate_percentage"
            ),
            models.CheckConstraint(
                condition=models.Q(ars_yearly_cap__gte=0) | models.Q(ars_yearly_cap__isnull=True),
                name="coordinator_ars_cap_not_negative",
            ),
        ]

    def __str__(self):
        return f"{_('Poste de coordination')} — {self.contract}"


class StatedShare(models.Model):
    """A line of the co-financing table as signed in the contract, kept as entered even when
    it does not follow from the rule. No municipality: the ARS's line."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="stated_shares")
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stated_shares",
    )
    stated_percentage = models.DecimalField(
        _("part signée (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(0, _("Une part ne peut pas être négative.")),
            MaxValueValidator(100, _("Une part ne peut pas dépasser 100 %%.")),
        ],
    )
    stated_amount = models.DecimalField(
        _("montant signé (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("Un montant ne peut pas être négatif."))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("part signée du cofinancement")
        verbose_name_plural = _("parts signées du cofinancement")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "municipality"], name="unique_stated_share_per_municipality"
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(municipality__isnull=True),
                name="unique_stated_ars_share",
            ),
            models.CheckConstraint(
                condition=models.Q(stated_percentage__gte=0, stated_percentage__lte=100),
                name="stated_share_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(stated_amount__gte=0) | models.Q(stated_amount__isnull=True),
                name="stated_share_amount_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.municipality or 'ARS'} : {self.stated_percentage} %"
