"""Writes of the governance app: bodies, meetings, signatures, termination, co-chair designations.

Amendments have their own module (amendments.py). Every failure a user can cause is a
GovernanceError with a French message; multi-step writes are all-or-nothing.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.contracts.io import contract_to_json
from opencls.contracts.models import Contract, Signatory
from opencls.governance.dates import prs_end_date, termination_effective_date
from opencls.governance.deliberations import match_key
from opencls.governance.models import (
    AgendaItem,
    Amendment,
    Attendance,
    BodyMember,
    CoChairDesignation,
    ContractVersion,
    Decision,
    Deliberation,
    GovernanceBody,
    Meeting,
    SignatureState,
    Termination,
    TerminationNotice,
)


class GovernanceError(Exception):
    """A rule of the contract prevents the write; the message is for the user, in French."""


def _clean_save(obj, **kwargs):
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        messages = []
        for name, errors in error.message_dict.items():
            label = "" if name == "__all__" else f"{obj._meta.get_field(name).verbose_name} : "
            messages.extend(f"{label}{message}" for message in errors)
        raise GovernanceError(" ".join(messages)) from error
    obj.save()
    return obj


# ---------------------------------------------------------------- bodies

DEFAULT_BODIES = [
    {
        "kind": GovernanceBody.Kind.STEERING,
        "name": gettext_lazy("Comité de pilotage"),
        "min_meetings_per_year": 1,
        "requires_annual_evaluation": True,
        "description": gettext_lazy(
            "Instance stratégique et décisionnelle : suit la mise en œuvre et l'évaluation du contrat, "
            "veille à la cohérence des interventions, propose et valide les avenants."
        ),
    },
    {
        "kind": GovernanceBody.Kind.TECHNICAL,
        "name": gettext_lazy("Comité technique"),
        "min_meetings_per_year": 1,
        "description": gettext_lazy(
            "Représentants techniques des signataires : prépare les comités de pilotage, suit les actions, "
            "participe à l'évaluation et mobilise les groupes de travail."
        ),
    },
]


def body_save(body: GovernanceBody) -> GovernanceBody:
    if body.linked_contract_id and body.linked_contract_id == body.contract_id:
        raise GovernanceError(_("Un contrat ne peut pas être lié à lui-même."))
    return _clean_save(body)


@transaction.atomic
def bodies_create_defaults(contract: Contract) -> list[GovernanceBody]:
    """The COPIL and COTECH both seed contracts set up, each meeting at least once a year."""
    existing = set(GovernanceBody.objects.filter(contract=contract).values_list("kind", flat=True))
    created = []
    for position, fields in enumerate(DEFAULT_BODIES):
        if fields["kind"] not in existing:
            texts = {name: str(fields[name]) for name in ("name", "description")}  # lazy translations
            created.append(
                GovernanceBody.objects.create(contract=contract, position=position, **{**fields, **texts})
            )
    return created


def body_delete(body: GovernanceBody) -> None:
    if body.meetings.exists():
        raise GovernanceError(
            _("L'instance « %(name)s » a des réunions enregistrées : elle ne peut pas être supprimée.")
            % {"name": body.name}
        )
    body.delete()


def member_save(member: BodyMember) -> BodyMember:
    if not member.person_name.strip() and member.organisation_id is None:
        raise GovernanceError(_("Indiquez la personne, son organisation, ou les deux."))
    return _clean_save(member)


# ---------------------------------------------------------------- meetings

# A change to one of these makes calendars update the invitation they already hold.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "place", "video_url", "title", "body_id")


def meeting_save(meeting: Meeting, *, previous: Meeting | None = None, user=None) -> Meeting:
    if meeting.body.contract_id != meeting.contract_id:
        raise GovernanceError(_("Cette instance n'appartient pas au contrat."))
    if meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise GovernanceError(_("La fin de la réunion doit suivre son début."))
    if previous is None:
        meeting.created_by = user
    elif any(getattr(previous, name) != getattr(meeting, name) for name in SCHEDULE_FIELDS):
        meeting.sequence = previous.sequence + 1
    return _clean_save(meeting)


def meeting_set_cancelled(meeting: Meeting, cancelled: bool) -> None:
    meeting.is_cancelled = cancelled
    meeting.sequence += 1
    meeting.save(update_fields=["is_cancelled", "sequence"])


def agenda_item_save(item: AgendaItem) -> AgendaItem:
    contract_id = item.meeting.contract_id
    if item.kind == AgendaItem.Kind.GENERAL:  # a point about an evaluation is an evaluation point, etc.
        for name, kind in (
            ("evaluation", AgendaItem.Kind.EVALUATION),
            ("amendment", AgendaItem.Kind.AMENDMENT),
            ("action", AgendaItem.Kind.ACTION),
            ("indicator", AgendaItem.Kind.INDICATOR),
        ):
            if getattr(item, f"{name}_id"):
                item.kind = kind
                break
    targets = {
        AgendaItem.Kind.ACTION: ("action", _("Choisissez la fiche action examinée.")),
        AgendaItem.Kind.INDICATOR: ("indicator", _("Choisissez l'indicateur examiné.")),
    }
    if item.kind in targets:
        name, message = targets[item.kind]
        if getattr(item, f"{name}_id") is None:
            raise GovernanceError(message)
    if not item.title.strip() and item.kind == AgendaItem.Kind.GENERAL:
        raise GovernanceError(_("Donnez un intitulé à ce point de l'ordre du jour."))
    linked = [
        (item.action, lambda o: o.contract_id),
        (item.indicator, lambda o: o.action.contract_id),
        (item.evaluation, lambda o: o.contract_id),
        (item.amendment, lambda o: o.contract_id),
    ]
    if any(obj is not None and owner(obj) != contract_id for obj, owner in linked):
        raise GovernanceError(_("Ce point renvoie à un élément d'un autre contrat."))
    if item.pk is None:
        item.position = item.meeting.agenda_items.count()
    return _clean_save(item)


@transaction.atomic
def attendance_record(meeting: Meeting, rows: list[tuple[BodyMember, str, str]]) -> None:
    """rows: (member, status or "" when unknown, represented_by). Replaces what was recorded."""
    for member, status, represented_by in rows:
        if member.body_id != meeting.body_id:
            raise GovernanceError(_("%(member)s n'est pas membre de cette instance.") % {"member": member})
        if status == Attendance.Status.REPRESENTED and not represented_by.strip():
            raise GovernanceError(_("Indiquez qui représente %(member)s.") % {"member": member})
        if not status:
            Attendance.objects.filter(meeting=meeting, member=member).delete()
            continue
        Attendance.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={
                "status": status,
                "represented_by": represented_by.strip() if status == Attendance.Status.REPRESENTED else "",
            },
        )


def decision_save(decision: Decision) -> Decision:
    if decision.agenda_item_id and decision.agenda_item.meeting_id != decision.meeting_id:
        raise GovernanceError(_("Ce point n'est pas à l'ordre du jour de cette réunion."))
    if decision.pk is None:
        decision.position = decision.meeting.decisions.count()
    return _clean_save(decision)


def minutes_update(meeting: Meeting, *, minutes: str, file=None, remove_file: bool = False) -> None:
    meeting.minutes = minutes
    if (file is not None or remove_file) and meeting.minutes_file:
        meeting.minutes_file.delete(save=False)
        meeting.minutes_file_name = ""
    if file is not None:
        meeting.minutes_file_name = file.name[:255]
        meeting.minutes_file.save(file.name, file, save=False)
    meeting.save(update_fields=["minutes", "minutes_file", "minutes_file_name"])


# ---------------------------------------------------------------- signatures of the contract


def _save_deliberation(owner, contract: Contract, values: dict) -> None:
    """Create, update or drop the deliberation attached to a signature (`owner`)."""
    filled = any(values.get(k) for k in ("number", "date", "body", "stated_text"))
    deliberation = owner.deliberation
    if not filled:
        owner.deliberation = None
        if deliberation is not None:
            deliberation.delete()
        return
    deliberation = deliberation or Deliberation(contract=contract)
    for name in ("number", "date", "body", "stated_text"):
        setattr(deliberation, name, values.get(name) or ("" if name != "date" else None))
    deliberation.save()
    owner.deliberation = deliberation


def check_signature(state, party: str) -> None:
    if state.signed_on and state.deliberation_missing:
        raise GovernanceError(
            _(
                "%(party)s signe sur délibération : enregistrez d'abord le numéro et la date de la "
                "délibération qui l'autorise à signer."
            )
            % {"party": party}
        )


def check_signature_date(contract: Contract, signed_on: date | None, party: str) -> None:
    """A signature is dated no later than today and no later than the contract's end."""
    if signed_on is None:
        return
    if contract.end_date and signed_on > contract.end_date:
        raise GovernanceError(
            _(
                "La date de signature de %(party)s (%(day)s) est postérieure à la fin du contrat "
                "(%(end)s) : vérifiez la date."
            )
            % {
                "party": party,
                "day": signed_on.strftime("%d/%m/%Y"),
                "end": contract.end_date.strftime("%d/%m/%Y"),
            }
        )
    if signed_on > timezone.localdate():
        raise GovernanceError(
            _("La date de signature de %(party)s ne peut pas être dans le futur.") % {"party": party}
        )


@transaction.atomic
def signature_state_update(
    signatory: Signatory,
    *,
    user,
    signed_on: date | None,
    signed_by: str = "",
    deliberation_required: bool,
    deliberation: dict,
) -> SignatureState:
    """Record a signatory's signature and deliberation; the contract is "signed" once all have signed."""
    contract = Contract.objects.select_for_update().get(pk=signatory.contract_id)
    state = SignatureState.objects.filter(signatory=signatory).select_related("deliberation").first()
    state = state or SignatureState(contract=contract, signatory=signatory)
    if (
        state.signed_on
        and not signed_on
        and contract.amendments.filter(status=Amendment.Status.IN_FORCE).exists()
    ):
        raise GovernanceError(
            _("Le contrat a déjà été modifié par avenant : sa signature ne peut plus être retirée.")
        )
    if state._state.adding and not signed_on and not deliberation_required and not any(deliberation.values()):
        return state  # an untouched form for a signatory with nothing recorded: nothing to write
    check_signature_date(contract, signed_on, str(signatory.organisation))
    state.signed_on = signed_on
    state.signed_by = signed_by.strip() if signed_on else ""
    state.deliberation_required = deliberation_required
    state.recorded_by = user
    _save_deliberation(state, contract, deliberation)
    check_signature(state, str(signatory.organisation))
    state.save()
    contract_refresh_signed_status(contract)
    return state


def contract_refresh_signed_status(contract: Contract) -> None:
    """ "Signé" exactly when every signatory has signed; the contract then starts on the last signature
    (003 art. 12) and, without an end date, runs to the end of the PRS it declines."""
    signatories = list(Signatory.objects.filter(contract=contract).select_related("signature_state"))
    dates = [getattr(getattr(s, "signature_state", None), "signed_on", None) for s in signatories]
    all_signed = bool(signatories) and all(dates)
    if all_signed and contract.status == Contract.Status.DRAFT:
        contract.status = Contract.Status.SIGNED
        contract.start_date = contract.start_date or max(dates)
        contract.end_date = contract.end_date or prs_end_date(contract.regional_health_plan)
        contract.save(update_fields=["status", "start_date", "end_date"])
        ContractVersion.objects.update_or_create(
            contract=contract,
            amendment=None,
            defaults={"effective_on": contract.start_date, "snapshot": contract_to_json(contract)},
        )
    elif not all_signed and contract.status == Contract.Status.SIGNED:
        contract.status = Contract.Status.DRAFT
        contract.save(update_fields=["status"])
        ContractVersion.objects.filter(contract=contract, amendment=None).delete()


def parsed_signatories(contract: Contract, parsed: list) -> list:
    """Each deliberation read from the text with the signatory it names (None when none)."""
    signatories = list(Signatory.objects.filter(contract=contract).select_related("organisation"))
    pairs = []
    for item in parsed:
        wanted = f" {match_key(item.party)} "
        pairs.append(
            (item, next((s for s in signatories if wanted in f" {match_key(s.organisation.name)} "), None))
        )
    return pairs


def deliberations_replaced(contract: Contract, parsed: list) -> list:
    """The deliberations already recorded that `deliberations_record_parsed` would overwrite."""
    from opencls.core.confirm import Replacement

    def shown(number, day, body, stated_text) -> str:
        parts = [f"n° {number}" if number else "", day.strftime("%d/%m/%Y") if day else "", body]
        return " — ".join(p for p in parts if p) or stated_text

    replaced = []
    for item, signatory in parsed_signatories(contract, parsed):
        state = SignatureState.objects.filter(signatory=signatory).select_related("deliberation").first()
        old = state.deliberation if state is not None else None
        if signatory is None or old is None:
            continue
        before = shown(old.number, old.date, old.body, old.stated_text)
        after = shown(item.number, item.date, item.body, item.stated_text)
        if (old.number, old.date, old.body, old.stated_text) != (
            item.number,
            item.date,
            item.body,
            item.stated_text,
        ):
            replaced.append(
                Replacement(_("Délibération de %(party)s") % {"party": signatory.organisation}, before, after)
            )
    return replaced


@transaction.atomic
def deliberations_record_parsed(contract: Contract, parsed: list, *, user) -> tuple[list[str], list[str]]:
    """Attach deliberations read from the contract's text to the matching signatories.
    Returns (names of the signatories updated, deliberations matching no signatory)."""
    updated, unmatched = [], []
    for item, signatory in parsed_signatories(contract, parsed):
        if signatory is None:
            unmatched.append(item.stated_text)
            continue
        state = SignatureState.objects.filter(signatory=signatory).select_related("deliberation").first()
        state = state or SignatureState(contract=contract, signatory=signatory)
        state.deliberation_required = True
        state.recorded_by = user
        _save_deliberation(
            state,
            contract,
            {"number": item.number, "date": item.date, "body": item.body, "stated_text": item.stated_text},
        )
        state.save()
        updated.append(str(signatory.organisation))
    return updated, unmatched


# ---------------------------------------------------------------- termination


@transaction.atomic
def termination_record(
    contract: Contract, *, signatory: Signatory, notified_on: date, letter_reference: str, reason: str, user
) -> Termination:
    """A party gives notice; the contract ends three months later and the other parties are to be notified."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if signatory.contract_id != contract.pk:
        raise GovernanceError(_("Cette partie n'est pas signataire du contrat."))
    if Termination.objects.filter(contract=contract, withdrawn_on__isnull=True).exists():
        raise GovernanceError(_("Une résiliation est déjà en cours pour ce contrat."))
    if contract.end_date and notified_on > contract.end_date:
        raise GovernanceError(
            _("Le contrat a pris fin le %(end)s : il ne peut plus être résilié.")
            % {"end": contract.end_date.strftime("%d/%m/%Y")}
        )
    effective_on = termination_effective_date(notified_on)
    termination = Termination.objects.create(
        contract=contract,
        signatory=signatory,
        party_name=str(signatory.organisation),
        notified_on=notified_on,
        effective_on=effective_on,
        letter_reference=letter_reference.strip(),
        reason=reason.strip(),
        previous_end_date=contract.end_date,
        recorded_by=user,
    )
    others = (
        Signatory.objects.filter(contract=contract).exclude(pk=signatory.pk).select_related("organisation")
    )
    for other in others:
        TerminationNotice.objects.create(
            termination=termination, signatory=other, party_name=str(other.organisation)
        )
    if contract.end_date is None or effective_on < contract.end_date:
        contract.end_date = effective_on
        contract.save(update_fields=["end_date"])
    return termination


def termination_notice_record(notice: TerminationNotice, notified_on: date | None) -> None:
    if notified_on and notified_on < notice.termination.notified_on:
        raise GovernanceError(
            _("Les autres parties ne peuvent pas être notifiées avant la résiliation elle-même.")
        )
    notice.notified_on = notified_on
    notice.save(update_fields=["notified_on"])


@transaction.atomic
def termination_withdraw(termination: Termination, withdrawn_on: date) -> None:
    """The notice is withdrawn: the contract keeps the end date it had before."""
    contract = Contract.objects.select_for_update().get(pk=termination.contract_id)
    termination.withdrawn_on = withdrawn_on
    termination.save(update_fields=["withdrawn_on"])
    if contract.end_date == termination.effective_on:
        contract.end_date = termination.previous_end_date
        contract.save(update_fields=["end_date"])


def contract_align_end_with_prs(contract: Contract) -> date:
    end = prs_end_date(contract.regional_health_plan)
    if end is None:
        raise GovernanceError(
            _(
                "Le PRS décliné ne donne pas d'année de fin : renseignez-le (par exemple « PRS Hauts-de-France 2018-2028 »)."
            )
        )
    contract.end_date = end
    contract.save(update_fields=["end_date"])
    return end


# ---------------------------------------------------------------- co-chair rotation


def co_chair_eligible_organisations(body: GovernanceBody):
    """004: a commune among the signatories other than the permanent co-chairs."""
    from opencls.accounts.models import Organisation

    permanent = body.members.filter(role=BodyMember.Role.CO_CHAIR).values("organisation")
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY,
            pk__in=Signatory.objects.filter(contract=body.contract_id).values("organisation"),
        )
        .exclude(pk__in=permanent.exclude(organisation__isnull=True))
        .order_by("name")
    )


def co_chair_designate(
    body: GovernanceBody, *, year: int, organisation, designated_on: date, meeting: Meeting | None
) -> CoChairDesignation:
    if not body.rotating_co_chair:
        raise GovernanceError(_("Cette instance n'a pas de coprésidence tournante."))
    if not co_chair_eligible_organisations(body).filter(pk=organisation.pk).exists():
        raise GovernanceError(
            _("%(org)s n'est pas une commune signataire pouvant assurer la coprésidence tournante.")
            % {"org": organisation}
        )
    if meeting is not None and meeting.body_id != body.pk:
        raise GovernanceError(_("Cette réunion n'est pas une réunion de l'instance."))
    designation, _created = CoChairDesignation.objects.update_or_create(
        body=body,
        year=year,
        defaults={
            "contract_id": body.contract_id,
            "organisation": organisation,
            "designated_on": designated_on,
            "meeting": meeting,
        },
    )
    return designation
