"""Amendments (avenants): propose a new version, have every party sign it, then apply it.

An amendment keeps the version in force when it was prepared (`base_json`) and the version it
proposes (`proposed_json`), both contract JSON documents. The editor changes `proposed_json`
one item at a time; every edit is checked against the contract schema. On the last signature,
the changes from base to proposed are applied to the live contract in the same transaction
(003 art. 11, 004 art. 9: "l'avenant devra être signé par l'ensemble des signataires").
"""

import copy
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from opencls.accounts.models import Organisation, normalise_name
from opencls.accounts.services import organisation_get_or_create
from opencls.actions.models import Action, ActionOrganisation, Involvement
from opencls.contracts.io import contract_to_json, validate_contract_json
from opencls.contracts.models import Axis, Contract, Objective, Signatory
from opencls.core.text import normalize_value
from opencls.governance.diff import (
    ACTION_FIELDS,
    action_key,
    amendment_changes,
    axis_key,
    section_items,
    signatory_key,
)
from opencls.governance.models import (
    Amendment,
    AmendmentSignature,
    ContractVersion,
    Meeting,
    SignatureState,
)
from opencls.governance.selectors import amendment_parties
from opencls.governance.services import (
    GovernanceError,
    _save_deliberation,
    check_signature,
    check_signature_date,
)

# ---------------------------------------------------------------- proposing


@transaction.atomic
def amendment_create(
    contract: Contract, *, title: str, summary: str = "", copil_meeting: Meeting | None = None, user=None
) -> Amendment:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.amendments.filter(status=Amendment.Status.PROPOSED).exists():
        raise GovernanceError(_("Un avenant est déjà en préparation : terminez-le ou abandonnez-le d'abord."))
    _check_meeting(contract, copil_meeting)
    snapshot = contract_to_json(contract)
    number = (contract.amendments.aggregate(last=Max("number"))["last"] or 0) + 1
    return Amendment.objects.create(
        contract=contract,
        number=number,
        title=title.strip(),
        summary=summary.strip(),
        copil_meeting=copil_meeting,
        base_json=snapshot,
        proposed_json=copy.deepcopy(snapshot),
        created_by=user,
    )


def _check_meeting(contract: Contract, meeting: Meeting | None) -> None:
    if meeting is not None and meeting.contract_id != contract.pk:
        raise GovernanceError(_("Cette réunion n'appartient pas au contrat."))


def _check_open(amendment: Amendment) -> None:
    if amendment.status != Amendment.Status.PROPOSED:
        raise GovernanceError(
            _("L'avenant est « %(status)s » : il ne peut plus être modifié.")
            % {"status": amendment.get_status_display()}
        )


def _check_editable(amendment: Amendment) -> None:
    _check_open(amendment)
    if amendment.signatures.filter(signed_on__isnull=False).exists():
        raise GovernanceError(_("Des parties ont déjà signé cet avenant : son contenu ne peut plus changer."))


def amendment_update(
    amendment: Amendment, *, title: str, summary: str, copil_meeting: Meeting | None
) -> None:
    _check_open(amendment)
    _check_meeting(amendment.contract, copil_meeting)
    amendment.title = title.strip()
    amendment.summary = summary.strip()
    amendment.copil_meeting = copil_meeting
    amendment.save(update_fields=["title", "summary", "copil_meeting"])


def amendment_abandon(amendment: Amendment) -> None:
    _check_open(amendment)
    amendment.status = Amendment.Status.ABANDONED
    amendment.save(update_fields=["status"])


@transaction.atomic
def _edit(amendment: Amendment, change) -> None:
    """Apply `change(contract_dict)` to a copy of the proposed version; keep it only if it stays valid."""
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    _check_editable(amendment)
    proposed = copy.deepcopy(amendment.proposed_json)
    change(proposed["contract"])
    proposed = normalize_value(proposed)
    errors = validate_contract_json(proposed)
    if errors:
        raise GovernanceError(" ".join(errors))
    amendment.proposed_json = proposed
    amendment.save(update_fields=["proposed_json"])


def _find(items: list[dict], key_of, key: str) -> dict:
    for item in items:
        if key_of(item) == key:
            return item
    raise GovernanceError(_("« %(key)s » ne figure pas dans la version proposée.") % {"key": key})


def _axis_of_action(contract: dict, key: str) -> dict:
    for axis in contract.get("axes", []):
        if any(action_key(a) == key for a in axis.get("actions", [])):
            return axis
    raise GovernanceError(
        _("La fiche action « %(key)s » ne figure pas dans la version proposée.") % {"key": key}
    )


def amendment_signatory_add(
    amendment: Amendment,
    *,
    organisation: str,
    kind: str,
    representative: str,
    representative_title: str,
    role: str,
) -> None:
    """A new party joins by amendment (003 art. 1, 004 art. 1)."""
    known = organisation_get_or_create(name=organisation.strip(), kind=kind)

    def change(contract):
        signatories = contract.setdefault("signatories", [])
        if any(signatory_key(s) == normalise_name(known.name) for s in signatories):
            raise GovernanceError(_("%(org)s est déjà signataire.") % {"org": known.name})
        signatories.append(
            {
                "organisation": known.name,
                "representative": representative.strip(),
                "representative_title": representative_title.strip(),
                "role": role.strip(),
            }
        )
        organisations = contract.setdefault("organisations", [])
        if not any(o["name"] == known.name for o in organisations):
            organisations.append({"name": known.name, "kind": known.kind, "siret": known.siret})
            organisations.sort(key=lambda o: o["name"])

    _edit(amendment, change)


def amendment_signatory_change(
    amendment: Amendment, key: str, *, representative: str, representative_title: str, role: str
) -> None:
    def change(contract):
        item = _find(contract.get("signatories", []), signatory_key, key)
        item.update(
            representative=representative.strip(),
            representative_title=representative_title.strip(),
            role=role.strip(),
        )

    _edit(amendment, change)


def amendment_signatory_remove(amendment: Amendment, key: str) -> None:
    def change(contract):
        item = _find(contract.get("signatories", []), signatory_key, key)
        contract["signatories"].remove(item)

    _edit(amendment, change)


def amendment_axis_add(amendment: Amendment, *, code: str, title: str, description: str) -> None:
    def change(contract):
        axes = contract.setdefault("axes", [])
        axis = {
            "code": code.strip(),
            "title": title.strip(),
            "description": description.strip(),
            "objectives": [],
            "actions": [],
        }
        if any(axis_key(a) == axis_key(axis) for a in axes):
            raise GovernanceError(_("Un axe « %(key)s » existe déjà.") % {"key": axis_key(axis)})
        axes.append(axis)

    _edit(amendment, change)


def amendment_axis_change(amendment: Amendment, key: str, *, title: str, description: str) -> None:
    def change(contract):
        axis = _find(contract.get("axes", []), axis_key, key)
        if not axis.get("code") and title.strip() != axis["title"]:
            raise GovernanceError(
                _("Cet axe n'a pas de numéro : son intitulé l'identifie et ne peut pas changer par avenant.")
            )
        axis.update(title=title.strip(), description=description.strip())

    _edit(amendment, change)


def amendment_axis_remove(amendment: Amendment, key: str) -> None:
    """The axis goes with its actions."""

    def change(contract):
        contract["axes"].remove(_find(contract.get("axes", []), axis_key, key))

    _edit(amendment, change)


def _action_fields(fields: dict) -> dict:
    text = {
        name: (fields.get(name) or "").strip()
        for name in ACTION_FIELDS
        if name not in ("axis", "leads", "partners")
    }
    text["objective"] = text["objective"] or None
    for name in ("leads", "partners"):
        text[name] = [n.strip() for n in fields.get(name, []) if n.strip()]
    return text


def _check_objective(axis: dict, objective: str | None) -> None:
    def refs(objectives):
        for o in objectives:
            yield o.get("code") or o["title"]
            yield from refs(o.get("children", []))

    if objective and objective not in set(refs(axis.get("objectives", []))):
        raise GovernanceError(
            _("L'objectif « %(objective)s » n'appartient pas à l'axe « %(axis)s ».")
            % {"objective": objective, "axis": axis["title"]}
        )


def amendment_action_add(amendment: Amendment, *, axis: str, fields: dict) -> None:
    def change(contract):
        target = _find(contract.get("axes", []), axis_key, axis)
        action = _action_fields(fields)
        if any(
            action_key(a) == action_key(action)
            for a in section_items({"contract": contract})["actions"].values()
        ):
            raise GovernanceError(
                _("Une fiche action « %(key)s » existe déjà.") % {"key": action_key(action)}
            )
        _check_objective(target, action["objective"])
        target.setdefault("actions", []).append(
            {**action, "operations": [], "deliverables": [], "indicators": [], "funding_lines": []}
        )

    _edit(amendment, change)


def amendment_action_change(amendment: Amendment, key: str, *, axis: str, fields: dict) -> None:
    def change(contract):
        source = _axis_of_action(contract, key)
        action = _find(source["actions"], action_key, key)
        values = _action_fields(fields)
        if values["code"] != (action.get("code") or "") or (
            not action.get("code") and values["title"] != action["title"]
        ):
            raise GovernanceError(
                _(
                    "Le code d'une fiche action l'identifie : pour le changer, retirez la fiche et ajoutez-en une autre."
                )
            )
        target = _find(contract["axes"], axis_key, axis)
        _check_objective(target, values["objective"])
        action.update(values)
        if target is not source:
            source["actions"].remove(action)
            target.setdefault("actions", []).append(action)

    _edit(amendment, change)


def amendment_action_remove(amendment: Amendment, key: str) -> None:
    def change(contract):
        source = _axis_of_action(contract, key)
        source["actions"].remove(_find(source["actions"], action_key, key))

    _edit(amendment, change)


# ---------------------------------------------------------------- signing and applying


@transaction.atomic
def amendment_signature_record(
    amendment: Amendment,
    organisation: Organisation,
    *,
    signed_on: date | None,
    signed_by: str,
    deliberation_required: bool,
    deliberation: dict,
    user,
) -> bool:
    """Record one party's signature. Returns True when it was the last one and the amendment took effect."""
    amendment = Amendment.objects.select_for_update().select_related("contract").get(pk=amendment.pk)
    _check_open(amendment)
    parties = {p.organisation.pk: p for p in amendment_parties(amendment) if p.organisation}
    if organisation.pk not in parties:
        raise GovernanceError(_("%(org)s n'est pas partie à cet avenant.") % {"org": organisation})
    signature = AmendmentSignature.objects.filter(amendment=amendment, organisation=organisation).first()
    signature = signature or AmendmentSignature(amendment=amendment, organisation=organisation)
    check_signature_date(amendment.contract, signed_on, str(organisation))
    signature.signed_on = signed_on
    signature.signed_by = signed_by.strip() if signed_on else ""
    signature.deliberation_required = deliberation_required
    signature.recorded_by = user
    _save_deliberation(signature, amendment.contract, deliberation)
    check_signature(signature, str(organisation))
    signature.save()
    signed = AmendmentSignature.objects.filter(amendment=amendment, signed_on__isnull=False)
    dates = dict(signed.values_list("organisation_id", "signed_on"))
    if not all(pk in dates for pk in parties):
        return False
    _amendment_apply(amendment, effective_on=max(dates.values()))
    return True


def _amendment_apply(amendment: Amendment, *, effective_on: date) -> None:
    contract = Contract.objects.select_for_update().get(pk=amendment.contract_id)
    contract_apply_changes(contract, amendment.base_json, amendment.proposed_json, amendment=amendment)
    amendment.status = Amendment.Status.IN_FORCE
    amendment.effective_on = effective_on
    amendment.save(update_fields=["status", "effective_on"])
    ContractVersion.objects.create(
        contract=contract, amendment=amendment, effective_on=effective_on, snapshot=contract_to_json(contract)
    )


def contract_apply_changes(
    contract: Contract, base: dict, proposed: dict, *, amendment: Amendment | None
) -> None:
    """Apply what changed from `base` to `proposed` onto the live contract, whatever else changed since.
    Without `amendment` (a draft updated from its document), an added signatory has not signed yet."""
    changes = amendment_changes(base, proposed)
    new = section_items(proposed)
    live = {
        "signatories": {
            normalise_name(s.organisation.name): s
            for s in contract.signatories.select_related("organisation")
        },
        "axes": {a.code or a.title: a for a in contract.axes.all()},
        "actions": {a.code or a.title: a for a in contract.actions.all()},
    }
    conflicts = [
        _("« %(label)s » a été retiré du contrat depuis la préparation de l'avenant.") % {"label": c.label}
        if c.kind != "added"
        else _("« %(label)s » a été ajouté au contrat depuis la préparation de l'avenant.")
        % {"label": c.label}
        for c in changes
        if (c.kind == "added") == (c.key in live[c.section])
    ]
    if conflicts:
        raise GovernanceError(" ".join(conflicts))
    by_kind = {(c.section, c.kind): [] for c in changes}
    for c in changes:
        by_kind[c.section, c.kind].append(c.key)
    organisations = {o["name"]: o for o in proposed["contract"].get("organisations", [])}

    def organisation(name: str) -> Organisation:
        return organisation_get_or_create(name=name, kind=organisations.get(name, {}).get("kind", ""))

    # Signatories
    signed = {
        s.organisation_id: s
        for s in AmendmentSignature.objects.filter(amendment=amendment).select_related("deliberation")
    }
    for key in by_kind.get(("signatories", "removed"), []):
        live["signatories"].pop(key).delete()
    for key in by_kind.get(("signatories", "changed"), []):
        signatory, item = live["signatories"][key], new["signatories"][key]
        for name in ("representative", "representative_title", "role"):
            setattr(signatory, name, item.get(name, ""))
        signatory.save()
    for key in by_kind.get(("signatories", "added"), []):
        item = new["signatories"][key]
        signatory = Signatory.objects.create(
            contract=contract,
            organisation=organisation(item["organisation"]),
            representative=item.get("representative", ""),
            representative_title=item.get("representative_title", ""),
            role=item.get("role", ""),
        )
        live["signatories"][key] = signatory
        if amendment is None:
            continue
        # A party joining by amendment has signed the contract by signing the amendment.
        joined = signed[signatory.organisation_id]
        SignatureState.objects.create(
            contract=contract,
            signatory=signatory,
            signed_on=joined.signed_on,
            signed_by=joined.signed_by,
            joined_by_amendment=amendment,
        )
        live["signatories"][key] = signatory
    # Axes (removed last: an action may move out of a removed axis)
    for key in by_kind.get(("axes", "changed"), []):
        axis, item = live["axes"][key], new["axes"][key]
        axis.title, axis.description = item["title"], item.get("description", "")
        axis.save()
    for key in by_kind.get(("axes", "added"), []):
        item = new["axes"][key]
        live["axes"][key] = Axis.objects.create(
            contract=contract,
            code=item.get("code", ""),
            title=item["title"],
            description=item.get("description", ""),
        )
    # Actions
    for key in by_kind.get(("actions", "changed"), []) + by_kind.get(("actions", "added"), []):
        item = new["actions"][key]
        action = live["actions"].get(key) or Action(contract=contract)
        action.axis = live["axes"][item["axis"]]
        action.objective = _objective(action.axis, item.get("objective"))
        for name in ("code", "title", "context", "description", "target_publics", "area", "schedule"):
            setattr(action, name, item.get(name) or "")
        action.save()
        _set_involvements(action, item, organisation)
        live["actions"][key] = action
    for key in by_kind.get(("actions", "removed"), []):
        live["actions"].pop(key).delete()
    for key in by_kind.get(("axes", "removed"), []):
        live["axes"].pop(key).delete()
    _follow_order(live, proposed["contract"])


def _objective(axis: Axis, ref: str | None) -> Objective | None:
    if not ref:
        return None
    return next((o for o in Objective.objects.filter(axis=axis) if (o.code or o.title) == ref), None)


def _set_involvements(action: Action, item: dict, organisation) -> None:
    """Leads then partners as listed; rows are left alone when nothing changed."""
    wanted: list[tuple[str, Organisation]] = []
    for involvement in (Involvement.LEAD, Involvement.PARTNER):
        for name in item.get(f"{involvement}s", []):
            org = organisation(name)
            if (involvement, org.pk) not in [
                (i, o.pk) for i, o in wanted
            ]:  # two spellings of one organisation
                wanted.append((involvement, org))
    current = sorted(
        action.involvements.all(), key=lambda i: (i.involvement != Involvement.LEAD, i.position, i.pk)
    )
    if [(i.involvement, i.organisation_id) for i in current] == [(i, o.pk) for i, o in wanted]:
        return
    action.involvements.all().delete()
    for involvement, org in wanted:
        position = sum(1 for i, _o in wanted[: wanted.index((involvement, org))] if i == involvement)
        ActionOrganisation.objects.create(
            action=action, organisation=org, involvement=involvement, position=position
        )


def _follow_order(live: dict, proposed: dict) -> None:
    """Positions as in the proposed version."""

    def place(obj, position):
        if obj.position != position:
            obj.position = position
            obj.save(update_fields=["position"])

    for position, item in enumerate(proposed.get("signatories", [])):
        place(live["signatories"][signatory_key(item)], position)
    for a_position, axis in enumerate(proposed.get("axes", [])):
        place(live["axes"][axis_key(axis)], a_position)
        for position, action in enumerate(axis.get("actions", [])):
            place(live["actions"][action_key(action)], position)
