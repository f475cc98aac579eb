"""What a spreadsheet diff is made of: changes field by field, and how two cell values compare."""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from opencls.accounts.models import normalise_name
from opencls.spreadsheets import layout
from opencls.spreadsheets.layout import (
    PLAN,
    Column,
)
from opencls.spreadsheets.tet import TITLE_LIMIT

KIND_LABELS = {
    "territory": "Territoire",
    "municipality": "Commune",
    "action": "Fiche action",
    "operation": "Opération",
    "indicator": "Indicateur",
    "funding": "Ligne de financement",
}
ORDER = list(KIND_LABELS)
AXIS_COLUMN = PLAN.column("axis")
ACTION_LINK = Column("action", "Fiche action")
OPERATION_LINK = Column("operation", "Opération")


@dataclass
class FieldChange:
    key: str
    label: str
    old: str  # as shown
    new: str


@dataclass
class Change:
    kind: str
    op: str  # "add", "change" or "remove"
    ref: str  # "pk:12" or "new:<sheet>:<row>"
    pk: int | None
    label: str
    where: str
    fields: list[FieldChange] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # all values (add) or the changed ones (change)
    links: dict = field(default_factory=dict)  # resolved refs: axis, objective, action, operation
    note: str = ""
    # Removal of a row created in OpenCLS after the file was exported: only if ticked.
    optional: bool = False
    since_export: list[str] = field(default_factory=list)  # what OpenCLS recorded on it since


@dataclass
class Diff:
    source: str
    changes: list[Change] = field(default_factory=list)
    new_axes: list[dict] = field(default_factory=list)
    new_objectives: list[dict] = field(default_factory=list)
    organisations: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_imported: list[dict] = field(default_factory=list)
    exported_at: str | None = None  # the version the file carries (ISO 8601)

    def count(self, op: str) -> int:
        """Changes of `op` applied as they are (removals to tick one by one left out)."""
        return sum(1 for c in self.changes if c.op == op and not c.optional)

    def without_unticked(self, ticked: set[str]) -> None:
        """Drop the optional removals the reviewer did not tick: those rows are kept."""
        self.changes = [c for c in self.changes if not c.optional or c.ref in ticked]

    @property
    def is_empty(self) -> bool:
        return not (self.changes or self.new_axes or self.new_objectives)

    def to_json(self) -> dict:
        """What the review screen shows (values to write are recomputed when applying)."""
        data = asdict(self)
        for change in data["changes"]:
            del change["values"], change["links"]
        data["counts"] = {op: self.count(op) for op in ("add", "change", "remove")}
        data["counts"]["optional"] = sum(1 for c in self.changes if c.optional)
        data["counts"]["since_export"] = sum(1 for c in self.changes if c.since_export)
        return data

    @property
    def digest(self) -> str:
        """What the reviewer saw: changed fields, creations, organisations (not wording)."""
        payload = {
            "changes": [
                (c.kind, c.op, c.ref, [(f.key, f.old, f.new) for f in c.fields]) for c in self.changes
            ],
            "axes": self.new_axes,
            "objectives": self.new_objectives,
            "organisations": [(o["name"], (o["existing"] or {}).get("pk")) for o in self.organisations],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def same_value(column: Column, old, new) -> bool:
    old = column.canonical(old)
    if column.kind == layout.NAMES:
        return [normalise_name(n) for n in old or []] == [normalise_name(n) for n in new or []]
    if column.key == "funder":
        return normalise_name(old or "") == normalise_name(new or "")
    return old == new


def truncated_same(old: str, new: str) -> bool:
    """A title cut at TeT's limit (ending with « … », its code taken off) still names the same fiche."""
    return (
        len(old) >= len(new)
        and len(old) > TITLE_LIMIT - 40
        and new.endswith("…")
        and old.startswith(new[:-1])
    )
