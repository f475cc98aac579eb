"""Inhabitants' participation (issue 14): conseils citoyens and other participation bodies, their
members with the minimum of personal data and a register of consent, their seats in the
contract's governance bodies, and the participation events that fed the contract.

Personal data (RGPD): a member is a name *or* a pseudonym and a quartier; contact details are
kept only while a consent to be contacted is active. Deleting a member on request erases these
fields and the historical copies django-simple-history kept of them (`services.participant_erase`),
leaving only « membre supprimé à sa demande le … ».
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.actions.models import Action
from opencls.contracts.models import Axis, Contract
from opencls.governance.models import GovernanceBody
from opencls.territories.models import PriorityNeighbourhood


class ParticipationBody(models.Model):
    class Kind(models.TextChoices):
        CITIZEN_COUNCIL = "citizen_council", _("Conseil citoyen d'un QPV")
        INHABITANTS_PANEL = "inhabitants_panel", _("Panel d'habitants")
        PARTICIPATION_LAB = "participation_lab", _("Labo de participation")
        OTHER = "other", _("Autre instance participative")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="participation_bodies")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    neighbourhood = models.ForeignKey(
        PriorityNeighbourhood,
        verbose_name=_("quartier prioritaire (QPV)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participation_bodies",
        help_text=_("Pour un conseil citoyen : le QPV dont il est le conseil."),
    )
    description = models.TextField(_("rôle et fonctionnement"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instance participative")
        verbose_name_plural = _("instances participatives")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "name"], name="unique_participation_body_name")
        ]

    def __str__(self):
        return self.name


class Participant(models.Model):
    """A member of a participation body. `name` is a name or a pseudonym, as the person wishes."""

    class College(models.TextChoices):
        INHABITANT = "inhabitant", _("Collège des habitants")
        LOCAL_ACTOR = "local_actor", _("Collège des acteurs locaux")

    body = models.ForeignKey(ParticipationBody, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(
        _("nom ou pseudonyme"),
        max_length=100,
        blank=True,
        help_text=_("Un prénom, des initiales ou un pseudonyme suffisent."),
    )
    college = models.CharField(_("collège"), max_length=20, choices=College.choices, blank=True)
    neighbourhood = models.ForeignKey(
        PriorityNeighbourhood,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
    )
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    joined_on = models.DateField(_("membre depuis"), null=True, blank=True)
    erased_on = models.DateField(_("supprimé à sa demande le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membre d'une instance participative")
        verbose_name_plural = _("membres des instances participatives")
        ordering = ["erased_on", "name", "pk"]

    def __str__(self):
        if self.erased_on:
            return _("membre supprimé à sa demande le %(date)s") % {
                "date": self.erased_on.strftime("%d/%m/%Y")
            }
        return self.name or _("membre sans nom")


class Consent(models.Model):
    """A line of the register of consent: what the member agreed to, when, and its withdrawal."""

    class Purpose(models.TextChoices):
        CONTACT = "contact", _("Être contacté·e par la coordination (courriel, téléphone)")
        NAME_IN_MINUTES = "name_in_minutes", _("Être nommé·e dans les comptes rendus")
        PHOTO = "photo", _("Photographies lors des temps de participation")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("finalité"), max_length=20, choices=Purpose.choices)
    given_on = models.DateField(_("donné le"))
    how = models.CharField(
        _("recueilli comment"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « formulaire papier signé »."),
    )
    withdrawn_on = models.DateField(_("retiré le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("registre des consentements")
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return self.get_purpose_display()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class Seat(models.Model):
    """Seats a participation body holds in a governance body of the contract (COPIL, COTECH,
    working group), and, when known, the member who holds one. The governance body and its own
    members stay in `opencls.governance`: this only links them."""

    body = models.ForeignKey(ParticipationBody, on_delete=models.CASCADE, related_name="seats")
    governance_body = models.ForeignKey(
        GovernanceBody, verbose_name=_("instance de gouvernance"), on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveSmallIntegerField(
        _("nombre de sièges"), default=1, validators=[MaxValueValidator(50)]
    )
    holder = models.ForeignKey(
        Participant,
        verbose_name=_("siège occupé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seats",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("siège en instance de gouvernance")
        verbose_name_plural = _("sièges en instance de gouvernance")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "governance_body"], name="unique_seat_per_governance_body"
            )
        ]

    def __str__(self):
        return f"{self.body} → {self.governance_body}"


class ParticipationEvent(models.Model):
    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        WORKSHOP = "workshop", _("Atelier")
        SURVEY = "survey", _("Enquête")
        EXPLORATORY_WALK = "exploratory_walk", _("Marche exploratoire")
        OTHER = "other", _("Autre")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="participation_events")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    date_text = models.CharField(
        _("date telle qu'écrite"), max_length=100, blank=True, help_text=_("Par exemple « juin 2024 ».")
    )
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    participant_count = models.PositiveIntegerField(_("nombre de participant·es"), null=True, blank=True)
    body = models.ForeignKey(
        ParticipationBody,
        verbose_name=_("instance participative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    about_diagnosis = models.BooleanField(_("a nourri le diagnostic"), default=False)
    axes = models.ManyToManyField(Axis, verbose_name=_("axes concernés"), blank=True, related_name="+")
    actions = models.ManyToManyField(
        Action, verbose_name=_("fiches actions concernées"), blank=True, related_name="participation_events"
    )
    what_was_said = models.TextField(_("ce qui a été dit"), blank=True)
    what_changed = models.TextField(_("ce que cela a changé dans le contrat"), blank=True)
    history = HistoricalRecords(m2m_fields=["axes", "actions"])

    class Meta:
        verbose_name = _("temps de participation")
        verbose_name_plural = _("temps de participation")
        ordering = ["-date", "pk"]

    def __str__(self):
        return self.title
