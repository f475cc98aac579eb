from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.accounts.models import Organisation
from opencls.contracts.models import Axis, Contract, Objective
from opencls.territories.models import PriorityNeighbourhood


class Involvement(models.TextChoices):
    LEAD = "lead", _("Porteur")
    PARTNER = "partner", _("Partenaire")


class ShareBasis(models.TextChoices):
    ESTIMATED = "estimated", _("estimée")
    MEASURED = "measured", _("mesurée")


class ParticipationLevel(models.TextChoices):
    """How far inhabitants take part in an action (the usual ladder of participation)."""

    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Consultation")
    CONCERTATION = "concertation", _("Concertation")
    CO_CONSTRUCTION = "co_construction", _("Co-construction")
    CO_DECISION = "co_decision", _("Co-décision")


class ScheduledWork(models.Model):
    """Fields a fiche action gives either for the whole action (003) or per operation (004)."""

    description = models.TextField(_("descriptif"), blank=True)
    target_publics = models.TextField(_("publics cibles"), blank=True)
    funding_text = models.TextField(_("source de financement / budget prévisionnel (texte)"), blank=True)
    schedule = models.CharField(_("calendrier"), max_length=300, blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    # Politique de la ville (issue 14): which QPV the work serves, who it reaches, who pays.
    neighbourhoods = models.ManyToManyField(
        PriorityNeighbourhood,
        verbose_name=_("quartiers prioritaires (QPV) servis"),
        blank=True,
        related_name="%(class)ss",
    )
    whole_territory = models.BooleanField(
        _("tout le territoire"),
        default=False,
        help_text=_("L'action s'adresse à tout le territoire, QPV compris."),
    )
    qpv_public_share = models.DecimalField(
        _("part du public résidant en QPV (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, _("Un pourcentage est compris entre 0 et 100.")),
            MaxValueValidator(100, _("Un pourcentage est compris entre 0 et 100.")),
        ],
    )
    qpv_public_share_basis = models.CharField(
        _("cette part est"), max_length=10, choices=ShareBasis.choices, blank=True
    )
    city_policy_funded = models.BooleanField(
        _("financée par des crédits de la politique de la ville"),
        default=False,
        help_text=_(
            "Les montants se saisissent dans les lignes de financement (« Crédits politique de la ville »)."
        ),
    )

    class Meta:
        abstract = True

    def organisations_by_involvement(self, involvement: str) -> list[Organisation]:
        """Uses the prefetched `involvements`, so listing leads costs no query per row."""
        return [i.organisation for i in self.involvements.all() if i.involvement == involvement]

    @property
    def leads(self) -> list[Organisation]:
        return self.organisations_by_involvement(Involvement.LEAD)

    @property
    def partners(self) -> list[Organisation]:
        return self.organisations_by_involvement(Involvement.PARTNER)


class Action(ScheduledWork):
    """Fiche action."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="actions")
    axis = models.ForeignKey(Axis, verbose_name=_("axe"), on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objectif"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    code = models.CharField(
        _("code"), max_length=30, blank=True, help_text=_("Par exemple « FA 2.3 » ou « 1.4 ».")
    )
    title = models.CharField(_("intitulé"), max_length=500)
    context = models.TextField(_("contexte et enjeux"), blank=True)
    area = models.CharField(_("secteur géographique"), max_length=500, blank=True)
    # Issue 14: a new fiche stays off the public page until the coordination marks it public
    # (and publishes a version, see opencls/publication).
    is_public = models.BooleanField(_("visible sur la page publique"), default=False)
    participation_level = models.CharField(
        _("niveau de participation des habitants"),
        max_length=20,
        choices=ParticipationLevel.choices,
        blank=True,
    )
    # The fiche of the previous contract this one continues (renewal, issue 18).
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("fiche du contrat précédent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    history = HistoricalRecords(m2m_fields=["neighbourhoods"])

    class Meta:
        verbose_name = _("fiche action")
        verbose_name_plural = _("fiches actions")
        ordering = ["axis__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "code"],
                condition=~models.Q(code=""),
                name="unique_action_code_per_contract",
            )
        ]

    def __str__(self):
        return f"{self.code} : {self.title}" if self.code else self.title


class Operation(ScheduledWork):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="operations")
    title = models.CharField(_("intitulé"), max_length=500)
    objective_text = models.TextField(_("objectif poursuivi"), blank=True)
    history = HistoricalRecords(m2m_fields=["neighbourhoods"])

    class Meta:
        verbose_name = _("opération")
        verbose_name_plural = _("opérations")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class OrganisationInvolvement(models.Model):
    """An organisation leading or taking part in an action or an operation, in order."""

    involvement = models.CharField(max_length=10, choices=Involvement.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.organisation} ({self.get_involvement_display()})"


class ActionOrganisation(OrganisationInvolvement):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="action_involvements"
    )
    history = HistoricalRecords()

    class Meta(OrganisationInvolvement.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["action", "organisation", "involvement"], name="unique_action_involvement"
            )
        ]


class OperationOrganisation(OrganisationInvolvement):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="operation_involvements"
    )
    history = HistoricalRecords()

    class Meta(OrganisationInvolvement.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "organisation", "involvement"], name="unique_operation_involvement"
            )
        ]


class Deliverable(models.Model):
    """Livrable attendu; attached to the action, or to one of its operations (004)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deliverables")
    operation = models.ForeignKey(
        Operation, null=True, blank=True, on_delete=models.CASCADE, related_name="deliverables"
    )
    text = models.TextField(_("livrable"))
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("livrable")
        verbose_name_plural = _("livrables")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Indicator(models.Model):
    class Kind(models.TextChoices):
        PROCESS = "process", _("Indicateur de processus")
        RESULT = "result", _("Indicateur de résultat")

    class Measure(models.TextChoices):
        """How a value is measured (issue 13); distinct from `kind` (process or result)."""

        NUMBER = "number", _("Nombre")
        PERCENTAGE = "percentage", _("Pourcentage (de 0 à 100)")
        CATEGORIES = "categories", _("Nombre ventilé par catégorie (typologie)")
        MUNICIPALITIES = "municipalities", _("Nombre ventilé par commune")
        NEIGHBOURHOODS = "neighbourhoods", _("Nombre ventilé par QPV")
        SATISFACTION = "satisfaction", _("Échelle de satisfaction")

    class Periodicity(models.TextChoices):
        YEAR = "year", _("Annuelle")
        SEMESTER = "semester", _("Semestrielle")
        QUARTER = "quarter", _("Trimestrielle")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    operation = models.ForeignKey(
        Operation, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("indicateur"), max_length=500)
    unit = models.CharField(_("unité"), max_length=50, blank=True)
    periodicity = models.CharField(
        _("périodicité"), max_length=10, choices=Periodicity.choices, default=Periodicity.YEAR
    )
    # A result indicator may start from a figure of the contract's diagnosis (its baseline).
    baseline = models.ForeignKey(
        "contracts.DiagnosisIndicator",
        verbose_name=_("situation de départ (diagnostic)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    measure_kind = models.CharField(
        _("mesure"), max_length=20, choices=Measure.choices, default=Measure.NUMBER
    )
    # The categories of a typology, or the levels of a satisfaction scale (lowest first); the
    # communes and QPV of a breakdown come from the contract's territory.
    categories = models.JSONField(_("catégories"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Issue 14: the coordination decides whose values the published version shows.
    is_public = models.BooleanField(_("valeurs publiées sur la page publique"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["kind", "position", "pk"]

    def __str__(self):
        return self.label


class FundingLine(models.Model):
    """A funder's line in an action's budget. Amounts are exact decimals in euros."""

    class Kind(models.TextChoices):
        ARS_CPOM = "ars_cpom", _("ARS via les CPOM des opérateurs")
        ARS_SPECIFIC = "ars_specific", _("ARS, projet spécifique")
        LOCAL_AUTHORITY = "local_authority", _("Collectivité via conventions")
        CITY_POLICY = "city_policy", _("Crédits politique de la ville")
        CALL_FOR_PROJECTS = "call_for_projects", _("Appel à projets / AMI")
        HEALTH_INSURANCE = "health_insurance", _("Assurance maladie")
        IN_KIND = "in_kind", _("Moyens humains (valorisation)")
        OTHER = "other", _("Autre")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="funding_lines")
    operation = models.ForeignKey(
        Operation, null=True, blank=True, on_delete=models.SET_NULL, related_name="funding_lines"
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("financeur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_lines",
    )
    kind = models.CharField(
        _("nature du financement"), max_length=30, choices=Kind.choices, default=Kind.OTHER
    )
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    planned_amount = models.DecimalField(
        _("montant prévu (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    granted_amount = models.DecimalField(
        _("montant accordé (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    spent_amount = models.DecimalField(
        _("montant dépensé (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne de financement")
        verbose_name_plural = _("lignes de financement")
        ordering = ["year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_amount__gte=0) | models.Q(planned_amount__isnull=True),
                name="funding_planned_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(granted_amount__gte=0) | models.Q(granted_amount__isnull=True),
                name="funding_granted_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(spent_amount__gte=0) | models.Q(spent_amount__isnull=True),
                name="funding_spent_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.funder or self.get_kind_display()} {self.year or ''}".strip()
