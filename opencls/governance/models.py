"""How a contract is governed and how it changes: bodies, meetings, signatures, amendments, termination."""

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, Indicator
from opencls.contracts.models import Contract, Signatory
from opencls.monitoring.models import Evaluation

# A document still waiting for its figures: "n°XXXXXX du XXXXXXXXXX 2025" (004, Willems).
PLACEHOLDER = re.compile(r"[Xx]{3,}|_{3,}|\.{4,}|…|\?\?")


def is_placeholder(text: str) -> bool:
    return bool(PLACEHOLDER.search(text or ""))


class GovernanceBody(models.Model):
    """An instance of the contract: COPIL, COTECH, a working group, or the joint CLS–CLSM meetings."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Comité de pilotage (COPIL)")
        TECHNICAL = "technical", _("Comité technique (COTECH)")
        WORKING_GROUP = "working_group", _("Groupe de travail")
        CLSM_JOINT = "clsm_joint", _("Rencontres CLS – CLSM / CISM")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="governance_bodies")
    kind = models.CharField(_("type d'instance"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("missions"), blank=True)
    min_meetings_per_year = models.PositiveSmallIntegerField(
        _("réunions minimales par année civile"),
        default=0,
        help_text=_("0 : pas de minimum. COPIL et COTECH : au moins 1 ; rencontres CLS – CLSM : au moins 2."),
    )
    requires_annual_evaluation = models.BooleanField(
        _("évaluation annuelle à l'ordre du jour chaque année"),
        default=False,
        help_text=_(
            "003 art. 9, 004 art. 7 : une réunion annuelle du COPIL examine l'évaluation du contrat."
        ),
    )
    rotating_co_chair = models.BooleanField(
        _("coprésidence tournante"),
        default=False,
        help_text=_("004 art. 4 : la commune coprésidente de l'année n est désignée en année n-1."),
    )
    linked_contract = models.ForeignKey(
        Contract,
        verbose_name=_("CLSM / CISM sur OpenCLS"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_governance_bodies",
        limit_choices_to={"kind": Contract.Kind.CLSM},
    )
    linked_council_name = models.CharField(
        _("CLSM / CISM lié"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple « Conseil local de santé mentale de Lens-Liévin »."),
    )
    shared_subjects = models.TextField(
        _("sujets communs"),
        blank=True,
        help_text=_("Par exemple : pathologies duelles, parentalité, échange de pratiques."),
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instance de gouvernance")
        verbose_name_plural = _("instances de gouvernance")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    @property
    def linked_council(self) -> str:
        return self.linked_contract.title if self.linked_contract_id else self.linked_council_name


class BodyMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Président·e")
        CO_CHAIR = "co_chair", _("Coprésident·e")
        MEMBER = "member", _("Membre")
        ASSOCIATE = "associate", _("Membre associé·e")
        GUEST = "guest", _("Invité·e")

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members")
    person_name = models.CharField(_("personne"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(
        _("qualité"), max_length=200, blank=True, help_text=_("Par exemple « élue santé ».")
    )
    email = models.EmailField(_("courriel"), blank=True)
    represents_linked_council = models.BooleanField(
        _("siège au titre du CLSM / CISM"),
        default=False,
        help_text=_("003 : participation mutuelle du CLS et du CLSM aux comités de pilotage et techniques."),
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membre d'une instance")
        verbose_name_plural = _("membres des instances")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person_name="") | models.Q(organisation__isnull=False),
                name="member_has_person_or_organisation",
            )
        ]

    def __str__(self):
        parts = [p for p in (self.person_name, str(self.organisation or "")) if p]
        return " — ".join(parts)


def minutes_path(instance, filename):
    suffix = Path(filename).suffix.lower()
    return f"contrats/{instance.contract_id}/gouvernance/comptes-rendus/{uuid.uuid4().hex}{suffix}"


class Meeting(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="meetings")
    body = models.ForeignKey(
        GovernanceBody, verbose_name=_("instance"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("intitulé"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    is_cancelled = models.BooleanField(_("annulée"), default=False)
    # Issue 14: announced on the contract's public page (from the next published version).
    is_public = models.BooleanField(
        _("réunion publique"),
        default=False,
        help_text=_("Annoncée aux habitants sur la page publique du contrat, à la prochaine publication."),
    )
    other_attendees = models.TextField(_("autres participants"), blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True)
    minutes_file = models.FileField(
        _("compte rendu (fichier)"), upload_to=minutes_path, max_length=300, blank=True
    )
    minutes_file_name = models.CharField(max_length=255, blank=True)
    # iCalendar SEQUENCE: calendars replace an invitation only by a higher sequence.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.body.name


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("Point")
        ACTION = "action", _("Fiche action")
        INDICATOR = "indicator", _("Indicateur")
        EVALUATION = "evaluation", _("Évaluation annuelle")
        AMENDMENT = "amendment", _("Avenant")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    kind = models.CharField(_("nature du point"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("intitulé"), max_length=500, blank=True)
    action = models.ForeignKey(
        Action,
        verbose_name=_("fiche action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicateur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("évaluation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    amendment = models.ForeignKey(
        "Amendment",
        verbose_name=_("avenant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    presenter = models.CharField(_("présenté par"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        target = self.action or self.indicator or self.evaluation or self.amendment
        if target is not None:
            return f"{self.get_kind_display()} : {target}"
        return str(self.get_kind_display())


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Présent·e")
        EXCUSED = "excused", _("Excusé·e")
        REPRESENTED = "represented", _("Représenté·e")
        ABSENT = "absent", _("Absent·e")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(BodyMember, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("présence"), max_length=20, choices=Status.choices)
    represented_by = models.CharField(_("représenté·e par"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self):
        return f"{self.member} — {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("point de l'ordre du jour"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    text = models.TextField(_("décision"))
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Deliberation(models.Model):
    """The council decision authorising a party to sign (number, date, deliberating body)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="deliberations")
    number = models.CharField(_("numéro"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    body = models.CharField(
        _("instance"), max_length=200, blank=True, help_text=_("Par exemple « conseil municipal ».")
    )
    stated_text = models.CharField(
        _("tel qu'écrit dans le document"),
        max_length=500,
        blank=True,
        help_text=_("Par exemple « n°XXXXXX du XXXXXXXXXX 2025 »."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("délibération")
        verbose_name_plural = _("délibérations")

    def __str__(self):
        if self.is_complete:
            return _("n°%(number)s du %(date)s") % {
                "number": self.number,
                "date": self.date.strftime("%d/%m/%Y"),
            }
        return self.stated_text or self.number or str(_("délibération incomplète"))

    @property
    def is_complete(self) -> bool:
        """A number and a date, neither still a placeholder."""
        return bool(self.number.strip()) and self.date is not None and not is_placeholder(self.number)


class SignatureFields(models.Model):
    """Who signed a document (the contract or an amendment), when, and on which deliberation."""

    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    signed_by = models.CharField(
        _("signé par"), max_length=200, blank=True, help_text=_("Par exemple « P/O Caroline Dupont ».")
    )
    deliberation_required = models.BooleanField(
        _("délibération requise"),
        default=False,
        help_text=_("Les collectivités signent sur délibération de leur conseil."),
    )
    deliberation = models.OneToOneField(
        Deliberation, null=True, blank=True, on_delete=models.SET_NULL, related_name="%(class)s"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    @property
    def deliberation_missing(self) -> bool:
        return self.deliberation_required and (self.deliberation is None or not self.deliberation.is_complete)


# Organisations that sign on a deliberation of their council.
DELIBERATING_KINDS = {Organisation.Kind.MUNICIPALITY, Organisation.Kind.EPCI, Organisation.Kind.DEPARTMENT}


class SignatureState(SignatureFields):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signature_states")
    signatory = models.OneToOneField(Signatory, on_delete=models.CASCADE, related_name="signature_state")
    joined_by_amendment = models.ForeignKey(
        "Amendment",
        verbose_name=_("entrée au contrat par l'avenant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature du contrat")
        verbose_name_plural = _("signatures du contrat")

    def __str__(self):
        return str(self.signatory)


class Amendment(models.Model):
    """Avenant: a proposed new version of the contract, in force once every party has signed it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposé")
        IN_FORCE = "in_force", _("En vigueur")
        ABANDONED = "abandoned", _("Abandonné")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("objet"), max_length=300)
    summary = models.TextField(_("exposé des motifs"), blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    copil_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("proposé par le COPIL du"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_amendments",
    )
    # The version in force when the amendment was prepared, and the version it proposes
    # (both in the vocabulary of docs/contract-schema.json).
    base_json = models.JSONField()
    proposed_json = models.JSONField()
    effective_on = models.DateField(_("en vigueur le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["base_json", "proposed_json"])

    class Meta:
        verbose_name = _("avenant")
        verbose_name_plural = _("avenants")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="unique_amendment_number"),
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(status="proposed"),
                name="one_open_amendment_per_contract",
            ),
        ]

    def __str__(self):
        return _("Avenant n°%(number)s : %(title)s") % {"number": self.number, "title": self.title}


class AmendmentSignature(SignatureFields):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature d'un avenant")
        verbose_name_plural = _("signatures des avenants")
        constraints = [
            models.UniqueConstraint(fields=["amendment", "organisation"], name="one_signature_per_party")
        ]

    def __str__(self):
        return f"{self.amendment} — {self.organisation}"


class ContractVersion(models.Model):
    """The contract as signed (initial version) or as an amendment left it, kept whole."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    amendment = models.OneToOneField(
        Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="resulting_version"
    )
    effective_on = models.DateField(_("en vigueur le"))
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version du contrat")
        verbose_name_plural = _("versions du contrat")
        ordering = ["effective_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"], condition=models.Q(amendment__isnull=True), name="one_initial_version"
            )
        ]

    def __str__(self):
        if self.amendment_id:
            return str(_("Version de l'avenant n°%(number)s") % {"number": self.amendment.number})
        return str(_("Version initiale"))


class Termination(models.Model):
    """Résiliation: a party's notice; it takes effect three months later (003 art. 11, 004 art. 9)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="terminations")
    signatory = models.ForeignKey(
        Signatory,
        verbose_name=_("partie qui résilie"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    party_name = models.CharField(_("partie qui résilie"), max_length=300)
    notified_on = models.DateField(_("notifiée le"))
    effective_on = models.DateField(_("prend effet le"))
    letter_reference = models.CharField(_("référence de la lettre recommandée"), max_length=200, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    previous_end_date = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(_("retirée le"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("résiliation")
        verbose_name_plural = _("résiliations")
        ordering = ["-notified_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="one_active_termination",
            )
        ]

    def __str__(self):
        return _("Résiliation notifiée par %(party)s") % {"party": self.party_name}


class TerminationNotice(models.Model):
    """Each other party must receive the registered letter."""

    termination = models.ForeignKey(Termination, on_delete=models.CASCADE, related_name="notices")
    signatory = models.ForeignKey(Signatory, null=True, on_delete=models.SET_NULL, related_name="+")
    party_name = models.CharField(_("partie"), max_length=300)
    notified_on = models.DateField(_("notifiée le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification de résiliation")
        verbose_name_plural = _("notifications de résiliation")
        ordering = ["pk"]

    def __str__(self):
        return self.party_name


class CoChairDesignation(models.Model):
    """004 art. 4: the commune co-chairing the COPIL in year n, designated in year n-1."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="co_chair_designations")
    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="co_chair_designations")
    year = models.PositiveSmallIntegerField(_("année de coprésidence"))
    organisation = models.ForeignKey(Organisation, verbose_name=_("commune"), on_delete=models.PROTECT)
    designated_on = models.DateField(_("désignée le"))
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("réunion qui l'a désignée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("désignation à la coprésidence")
        verbose_name_plural = _("désignations à la coprésidence")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="one_co_chair_per_year")]

    def __str__(self):
        return f"{self.year} — {self.organisation}"
