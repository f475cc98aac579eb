"""What an amendment changes: signatories, axes and actions compared field by field.

Both sides are contract JSON documents (docs/contract-schema.json). Items are matched on a
key that an amendment does not edit: the organisation of a signatory, the code (or, without
a code, the title) of an axis or an action. The same keys and fields drive the amendment
editor (amendments.py), so whatever it can change is shown here, and applied.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from opencls.accounts.models import normalise_name
from opencls.core.text import normalize_value

SIGNATORY_FIELDS = {
    "organisation": _("organisation"),
    "representative": _("représentant·e"),
    "representative_title": _("qualité"),
    "role": _("rôle dans le contrat"),
}
AXIS_FIELDS = {"code": _("numéro"), "title": _("intitulé"), "description": _("description")}
ACTION_FIELDS = {
    "axis": _("axe"),
    "code": _("code"),
    "title": _("intitulé"),
    "objective": _("objectif"),
    "context": _("contexte et enjeux"),
    "description": _("descriptif"),
    "target_publics": _("publics cibles"),
    "area": _("secteur géographique"),
    "schedule": _("calendrier"),
    "leads": _("porteurs"),
    "partners": _("partenaires"),
}
SECTIONS = {
    "signatories": (_("Signataires"), SIGNATORY_FIELDS),
    "axes": (_("Axes stratégiques"), AXIS_FIELDS),
    "actions": (_("Fiches actions"), ACTION_FIELDS),
}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str | None  # None: the item did not exist on that side
    after: str | None


@dataclass
class ItemChange:
    section: str
    kind: str  # "added", "changed" or "removed"
    key: str
    label: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"added": _("Ajout"), "changed": _("Modification"), "removed": _("Retrait")}[self.kind]


def signatory_key(item: dict) -> str:
    return normalise_name(item["organisation"])


def axis_key(item: dict) -> str:
    return item.get("code") or item["title"]


def action_key(item: dict) -> str:
    return item.get("code") or item["title"]


def _label(section: str, item: dict) -> str:
    if section == "signatories":
        return item["organisation"]
    code = item.get("code")
    return f"{code} — {item['title']}" if code else item["title"]


def section_items(data: dict) -> dict[str, dict[str, dict]]:
    """{section: {key: item}} with actions flattened and given their axis's key."""
    contract = data["contract"]
    items = {"signatories": {}, "axes": {}, "actions": {}}
    for signatory in contract.get("signatories", []):
        items["signatories"][signatory_key(signatory)] = signatory
    for axis in contract.get("axes", []):
        key = axis_key(axis)
        items["axes"][key] = axis
        for action in axis.get("actions", []):
            items["actions"][action_key(action)] = {**action, "axis": key}
    return items


def _value(item: dict, name: str):
    """The value compared and shown: text normalised, so a line ending is never a change."""
    value = item.get(name)
    if value is None:
        return "" if name not in ("leads", "partners") else []
    return normalize_value(value)


def display(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    return "" if value is None else str(value)


def amendment_changes(before: dict, after: dict) -> list[ItemChange]:
    """Additions, changes and removals from `before` to `after`, section by section, in document order."""
    old, new = section_items(before), section_items(after)
    axis_labels = {key: _label("axes", axis) for side in (old, new) for key, axis in side["axes"].items()}

    def shown(name: str, item: dict | None) -> str | None:
        if item is None:
            return None
        value = _value(item, name)
        return axis_labels.get(value, value) if name == "axis" else display(value)

    changes = []
    for section, (_title, fields) in SECTIONS.items():
        for key, item in new[section].items():
            previous = old[section].get(key)
            if previous is None:
                changes.append(
                    ItemChange(
                        section,
                        "added",
                        key,
                        _label(section, item),
                        [
                            FieldChange(name, label, None, shown(name, item))
                            for name, label in fields.items()
                            if _value(item, name) not in ("", [])
                        ],
                    )
                )
                continue
            differing = [
                FieldChange(name, label, shown(name, previous), shown(name, item))
                for name, label in fields.items()
                if _value(previous, name) != _value(item, name)
            ]
            if differing:
                changes.append(ItemChange(section, "changed", key, _label(section, item), differing))
        for key, item in old[section].items():
            if key not in new[section]:
                changes.append(
                    ItemChange(
                        section,
                        "removed",
                        key,
                        _label(section, item),
                        [
                            FieldChange(name, label, shown(name, item), None)
                            for name, label in fields.items()
                            if _value(item, name) not in ("", [])
                        ],
                    )
                )
    return changes
