"""A document whose contract is already in OpenCLS: find the twin, and update it as a reviewed diff.

The diff is the amendments' one (`governance.diff.amendment_changes`, applied by
`governance.amendments.contract_apply_changes`): contract fields, signatories, axes and fiches
actions, before → after. Nothing is removed: what the contract holds and the document does not is
kept and listed. Everything is applied in one transaction and each row written shows on the
contract's Historique page.
"""

import copy
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.accounts.models import normalise_name
from opencls.accounts.permissions import require
from opencls.contracts.io import contract_to_json, validate_contract_json
from opencls.contracts.models import Contract
from opencls.governance.amendments import contract_apply_changes
from opencls.governance.diff import (
    SECTIONS,
    FieldChange,
    ItemChange,
    action_key,
    amendment_changes,
    axis_key,
    section_items,
    signatory_key,
)

CONTRACT_FIELDS = {
    "title": gettext_lazy("intitulé"),
    "short_name": gettext_lazy("sigle"),
    "kind": gettext_lazy("type de contrat"),
    "start_date": gettext_lazy("date de début"),
    "end_date": gettext_lazy("date de fin"),
    "regional_health_plan": gettext_lazy("PRS décliné"),
    "summary": gettext_lazy("présentation"),
}


class UpdateRefused(Exception):
    """The update cannot be applied; the message is for the user, in French."""


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _overlap(start_a, end_a, start_b, end_b) -> bool:
    """Periods overlap; an unknown bound is open (a contract without dates may be the same one)."""
    return (start_a is None or end_b is None or start_a <= end_b) and (
        start_b is None or end_a is None or start_b <= end_a
    )


def find_twins(data: dict, contracts) -> list[Contract]:
    """The contracts among `contracts` that this document probably describes already: same title
    (ignoring case, accents and spacing), or same territory over an overlapping period."""
    c = data["contract"]
    title = normalise_name(c.get("title", ""))
    territory = normalise_name(c.get("territory", {}).get("name", ""))
    start, end = _day(c.get("start_date")), _day(c.get("end_date"))
    twins = []
    for contract in contracts.select_related("territory").order_by("pk"):
        same_title = title and normalise_name(contract.title) == title
        same_place = (
            territory
            and normalise_name(contract.territory.name) == territory
            and _overlap(start, end, contract.start_date, contract.end_date)
        )
        if same_title or same_place:
            twins.append(contract)
    return twins


def _without_removals(base: dict, document: dict) -> dict:
    """The document, plus whatever the contract holds that the document does not name (kept)."""
    proposed = copy.deepcopy(document)
    p, new = proposed["contract"], section_items(document)
    for signatory in base["contract"].get("signatories", []):
        if signatory_key(signatory) not in new["signatories"]:
            p.setdefault("signatories", []).append(copy.deepcopy(signatory))
    axes = {axis_key(axis): axis for axis in p.setdefault("axes", [])}
    for axis in base["contract"].get("axes", []):
        kept = [copy.deepcopy(a) for a in axis.get("actions", []) if action_key(a) not in new["actions"]]
        key = axis_key(axis)
        if key in axes:
            axes[key].setdefault("actions", []).extend(kept)
        else:
            axes[key] = {**copy.deepcopy(axis), "actions": kept}
            p["axes"].append(axes[key])
    organisations = {o["name"] for o in p.get("organisations", [])}
    p.setdefault("organisations", []).extend(
        o for o in base["contract"].get("organisations", []) if o["name"] not in organisations
    )
    return proposed


@dataclass
class UpdatePreview:
    contract: Contract
    fingerprint: str  # of the contract as it was when the diff was computed
    contract_changes: list[FieldChange]
    changes: list[ItemChange]
    kept: list[tuple[str, str]] = field(default_factory=list)  # (section title, label)
    proposed: dict = field(default_factory=dict, repr=False)

    @property
    def sections(self):
        return [
            (title, [c for c in self.changes if c.section == name]) for name, (title, _f) in SECTIONS.items()
        ]

    @property
    def change_count(self) -> int:
        return len(self.contract_changes) + len(self.changes)


def _fingerprint(base: dict) -> str:
    return hashlib.sha256(json.dumps(base, sort_keys=True, default=str).encode()).hexdigest()[:32]


def update_preview(contract: Contract, data: dict) -> UpdatePreview:
    """What updating `contract` from the document would change, before → after."""
    base = contract_to_json(contract)
    proposed = _without_removals(base, data)
    before, after = base["contract"], data["contract"]
    contract_changes = [
        FieldChange(name, label, str(before.get(name) or ""), str(after[name]))
        for name, label in CONTRACT_FIELDS.items()
        if after.get(name) not in (None, "") and after[name] != before.get(name)
    ]
    old, new = section_items(base), section_items(data)
    kept = [
        (str(SECTIONS[section][0]), key)
        for section in ("signatories", "axes", "actions")
        for key in old[section]
        if key not in new[section]
    ]
    changes = [c for c in amendment_changes(base, proposed) if c.kind != "removed"]
    return UpdatePreview(contract, _fingerprint(base), contract_changes, changes, kept, proposed)


def contract_update_from_document(*, contract: Contract, data: dict, user, fingerprint: str) -> UpdatePreview:
    """Apply the reviewed diff in one transaction; refused if the contract moved since it was shown."""
    if user is not None:
        require(user, "contract.change", contract)
    errors = validate_contract_json(data)
    if errors:
        raise UpdateRefused(" ".join(errors[:10]))
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.status != Contract.Status.DRAFT:
            raise UpdateRefused(
                _("Ce contrat n'est plus un brouillon : un contrat signé se modifie par avenant.")
            )
        preview = update_preview(contract, data)
        if preview.fingerprint != fingerprint:
            raise UpdateRefused(
                _("Le contrat a été modifié depuis l'affichage des différences : vérifiez-les de nouveau.")
            )
        for change in preview.contract_changes:
            value = data["contract"][change.name]
            setattr(contract, change.name, _day(value) if change.name.endswith("_date") else value)
        if preview.contract_changes:
            try:
                contract.full_clean(exclude=["territory"])
            except ValidationError as error:
                raise UpdateRefused(" ".join(error.messages)) from error
            contract.save()
        contract_apply_changes(contract, contract_to_json(contract), preview.proposed, amendment=None)
    return preview
