"""Compare what a file says (`Source`) with the plan in the database (`Snapshot`).

The result lists, field by field, the records to add, change and remove, the axes and
objectives to create, the organisations to match or create, and every problem with its sheet,
row and column. It is computed again when the coordinator applies it, from the same file, so
what is written is exactly what was reviewed (or the apply is refused).

Records refer to their fiche action by ID or code (OpenCLS layout) or by their place in the
file (Territoires en Transitions, matched to existing fiches by code, then by title).
"""

import difflib
import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from opencls.accounts.models import Organisation, normalise_name
from opencls.spreadsheets import layout
from opencls.spreadsheets.cells import fold
from opencls.spreadsheets.followup import period_check
from opencls.spreadsheets.layout import (
    FUNDING,
    INDICATORS,
    MUNICIPALITIES,
    OPERATIONS,
    PLAN,
    TERRITORY_FIELDS,
    Column,
    numbered,
    split_numbered,
    split_path,
    target_column,
    value_column,
)
from opencls.spreadsheets.selectors import Snapshot
from opencls.spreadsheets.source import Problem, Source
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

    def count(self, op: str) -> int:
        return sum(1 for c in self.changes if c.op == op)

    @property
    def is_empty(self) -> bool:
        return not (self.changes or self.new_axes or self.new_objectives)

    def to_json(self) -> dict:
        """What the review screen shows (values to write are recomputed when applying)."""
        data = asdict(self)
        for change in data["changes"]:
            del change["values"], change["links"]
        data["counts"] = {op: self.count(op) for op in ("add", "change", "remove")}
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


def _same(column: Column, old, new) -> bool:
    old = column.canonical(old)
    if column.kind == layout.NAMES:
        return [normalise_name(n) for n in old or []] == [normalise_name(n) for n in new or []]
    if column.key == "funder":
        return normalise_name(old or "") == normalise_name(new or "")
    return old == new


def _truncated_same(old: str, new: str) -> bool:
    """A title cut at TeT's limit (ending with « … », its code taken off) still names the same fiche."""
    return (
        len(old) >= len(new)
        and len(old) > TITLE_LIMIT - 40
        and new.endswith("…")
        and old.startswith(new[:-1])
    )


class _Differ:
    def __init__(self, snapshot: Snapshot, source: Source, today: date):
        self.snapshot, self.source, self.today = snapshot, source, today
        self.diff = Diff(
            source.source, warnings=list(source.warnings), not_imported=list(source.not_imported)
        )
        self.errors = [dict(e) for e in source.errors]
        self.records = snapshot.records
        self.new_axes: dict[str, dict] = {}
        self.new_objectives: dict[str, dict] = {}
        self.action_refs: list[str | None] = []  # per action record of the file
        self.action_codes: dict[str, str] = {}  # final code → action ref
        self.action_labels: dict[str, str] = {}
        self.removed_actions: set[int] = set()
        self.removed_operations: set[int] = set()
        self.operation_refs: list[str | None] = []
        self.operation_owner: dict[str, str] = {}  # operation ref → action ref
        self.operation_titles: dict[tuple[str, str], str] = {}  # (action ref, folded title) → operation ref
        self.names: dict[str, str] = {}  # normalised organisation name → name as written
        self.record_codes: list[tuple[str, dict, str]] = []  # (folded code, record, action ref)

    def unreadable(self, kind: str) -> set[int]:
        return set(self.source.unreadable.get(kind, []))

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.errors.append(asdict(Problem(sheet, row, column, message)))

    def run(self) -> Diff:
        self.territory()
        self.municipalities()
        self.actions()
        self.operations()
        self.indicators()
        self.funding()
        self.funding_totals()
        self.check_codes()
        self.organisations()
        diff = self.diff
        diff.new_axes = list(self.new_axes.values())
        diff.new_objectives = list(self.new_objectives.values())
        diff.errors = self.errors
        diff.changes.sort(key=lambda c: (ORDER.index(c.kind), {"add": 1, "change": 0, "remove": 2}[c.op]))
        return diff

    # ------------------------------------------------------------ generic comparison

    def compare(
        self, columns: dict[str, Column], current: dict, values: dict
    ) -> tuple[list[FieldChange], dict]:
        fields, changed = [], {}
        for key, new in values.items():
            column = columns.get(key)
            if column is None:
                continue
            if column.blank_unchanged and new in ("", None):
                continue
            old = current.get(key)
            if _same(column, old, new):
                continue
            if key == "title" and self.source.source == "tet" and _truncated_same(old or "", new):
                continue
            fields.append(
                FieldChange(key, column.header, column.display(column.canonical(old)), column.display(new))
            )
            changed[key] = new
        return fields, changed

    def added_fields(self, columns: dict[str, Column], values: dict) -> list[FieldChange]:
        return [
            FieldChange(key, columns[key].header, "", columns[key].display(value))
            for key, value in values.items()
            if key in columns and value not in ("", None, [], {})
        ]

    def note_names(self, values: dict) -> None:
        for key in ("leads", "partners"):
            for name in values.get(key, []):
                self.names.setdefault(normalise_name(name), name)
        if values.get("funder"):
            self.names.setdefault(normalise_name(values["funder"]), values["funder"])

    @staticmethod
    def where(record: dict) -> str:
        return f"Feuille {record['sheet']}, ligne {record['row']}"

    @staticmethod
    def new_ref(record: dict) -> str:
        return f"new:{record['sheet']}:{record['row']}"

    # ------------------------------------------------------------ territory and municipalities

    def territory(self):
        if not self.source.territory:
            return
        columns = {c.key: c for c in TERRITORY_FIELDS}
        fields, changed = self.compare(columns, self.snapshot.territory, self.source.territory)
        if fields:
            self.diff.changes.append(
                Change(
                    "territory",
                    "change",
                    "territory",
                    self.snapshot.contract.territory_id,
                    self.snapshot.territory["name"],
                    f"Feuille {layout.TERRITORY_SHEET}",
                    fields,
                    changed,
                )
            )

    def municipalities(self):
        columns = {c.key: c for c in MUNICIPALITIES.columns}
        current = self.records["municipality"]
        seen, names = set(), {}
        for record in self.source.records.get("municipality", []):
            pk, values = record["pk"], record["values"]
            name = fold(values.get("name") or (current.get(pk) or {}).get("name", ""))
            if name in names:
                self.error(
                    record["sheet"], record["row"], "Commune", f"la commune apparaît déjà ligne {names[name]}"
                )
                continue
            names[name] = record["row"]
            if pk is None:
                self.diff.changes.append(
                    Change(
                        "municipality",
                        "add",
                        self.new_ref(record),
                        None,
                        values["name"],
                        self.where(record),
                        self.added_fields(columns, values),
                        values,
                    )
                )
                continue
            if pk not in current:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID",
                    f"la commune n° {pk} n'est pas sur le territoire de ce contrat",
                )
                continue
            seen.add(pk)
            fields, changed = self.compare(columns, current[pk], values)
            if fields:
                self.diff.changes.append(
                    Change(
                        "municipality",
                        "change",
                        f"pk:{pk}",
                        pk,
                        current[pk]["name"],
                        self.where(record),
                        fields,
                        changed,
                    )
                )
        if "municipality" in self.source.complete:
            for pk, values in current.items():
                if pk not in seen and pk not in self.unreadable("municipality"):
                    self.diff.changes.append(
                        Change("municipality", "remove", f"pk:{pk}", pk, values["name"], "absente du fichier")
                    )

    # ------------------------------------------------------------ axes and objectives

    def axis_ref(self, label: str, record: dict) -> str | None:
        folded = fold(label)
        for axis in self.snapshot.axes:
            if fold(self.snapshot.axis_labels[axis.pk]) == folded:
                return f"pk:{axis.pk}"
        code, title = split_numbered(label)
        if not code:
            same_title = [a for a in self.snapshot.axes if fold(a.title) == folded]
            if len(same_title) == 1:
                return f"pk:{same_title[0].pk}"
        if len(code) > 20:
            code, title = "", label
        if len(title) > 500:
            self.error(record["sheet"], record["row"], "Axe", "l'intitulé de l'axe dépasse 500 caractères")
            return None
        ref = f"new:{folded}"
        self.new_axes.setdefault(ref, {"ref": ref, "code": code, "title": title, "label": label})
        return ref

    def objective_ref(self, axis_ref: str, text: str, record: dict) -> str | None:
        if not text:
            return None
        folded = fold(text)
        existing = []
        if axis_ref.startswith("pk:"):
            axis_pk = int(axis_ref[3:])
            existing = [o for o in self.snapshot.objectives if o.axis_id == axis_pk]
            paths = self.snapshot.objective_paths
            for objective in existing:
                if fold(paths[objective.pk]) == folded:
                    return f"pk:{objective.pk}"
            named = [
                o
                for o in existing
                if folded in (fold(numbered(o.code, o.title)), fold(o.title))
                or (o.code and folded == fold(o.code))
            ]
            if len(named) == 1:
                return f"pk:{named[0].pk}"
        parent_ref, parent_pk, walked = None, None, []
        for segment in split_path(text):
            walked.append(fold(segment))
            match = None
            if parent_ref is None or parent_ref.startswith("pk:"):
                match = next(
                    (
                        o
                        for o in existing
                        if o.parent_id == parent_pk
                        and fold(segment) in (fold(numbered(o.code, o.title)), fold(o.title))
                    ),
                    None,
                )
            if match is not None:
                parent_ref, parent_pk = f"pk:{match.pk}", match.pk
                continue
            code, title = split_numbered(segment)
            if len(code) > 30:
                code, title = "", segment
            if len(title) > 500:
                self.error(record["sheet"], record["row"], "Objectif", "un objectif dépasse 500 caractères")
                return None
            ref = f"new:{axis_ref}|{'|'.join(walked)}"
            self.new_objectives.setdefault(
                ref,
                {
                    "ref": ref,
                    "axis": axis_ref,
                    "parent": parent_ref,
                    "code": code,
                    "title": title,
                    "label": layout.PATH_SEPARATOR.join(split_path(text)[: len(walked)]),
                },
            )
            parent_ref, parent_pk = ref, None
        return parent_ref

    # ------------------------------------------------------------ actions

    def match_action(self, record: dict) -> int | None:
        """A TeT row's fiche: same code, else same title in the same axis, else the only one of
        that title."""
        values = record["values"]
        current = self.records["action"]
        if values.get("code"):
            for pk, action in current.items():
                if fold(action["code"]) == fold(values["code"]):
                    return pk
        title = values["title"]

        def titled(pk):
            old = current[pk]["title"]
            return fold(old) == fold(title) or _truncated_same(old, title)

        same_axis = [pk for pk in current if titled(pk) and fold(current[pk]["axis"]) == fold(values["axis"])]
        if len(same_axis) == 1:
            return same_axis[0]
        anywhere = [pk for pk in current if titled(pk)]
        return anywhere[0] if len(anywhere) == 1 else None

    def actions(self):
        columns = {c.key: c for c in PLAN.columns}
        current = self.records["action"]
        matched: dict[int, int] = {}
        for record in self.source.records.get("action", []):
            values = dict(record["values"])
            pk = self.match_action(record) if record.get("match") else record["pk"]
            self.action_refs.append(None)
            if pk is not None and pk not in current:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID",
                    f"la fiche action n° {pk} n'existe pas dans ce contrat (elle a été supprimée, ou la ligne vient "
                    "d'un autre fichier) : videz l'ID pour la créer",
                )
                continue
            if pk is not None and pk in matched:
                self.error(
                    record["sheet"],
                    record["row"],
                    "Titre de la fiche action",
                    f"cette ligne désigne la même fiche que la ligne {matched[pk]}",
                )
                continue
            ref = f"pk:{pk}" if pk else self.new_ref(record)
            old = current.get(pk, {})
            links = {}
            axis_label = values.pop("axis", None)
            objective_text = values.pop("objective", None)
            fields = []
            if axis_label is not None:
                links["axis"] = self.axis_ref(axis_label, record)
                if links["axis"] is None:
                    continue
            elif pk is None:
                self.error(
                    record["sheet"], record["row"], "Axe", "l'axe d'une nouvelle fiche est obligatoire"
                )
                continue
            else:
                links["axis"] = f"pk:{self.snapshot.action_axis[pk]}"
            if objective_text is not None:
                links["objective"] = self.objective_ref(links["axis"], objective_text, record)
            elif pk is not None and links["axis"] == f"pk:{self.snapshot.action_axis[pk]}":
                objective = self.snapshot.action_objective[pk]
                links["objective"] = f"pk:{objective}" if objective else None
            else:
                links["objective"] = None  # an objective belongs to the axis the fiche left
            if pk is not None:
                matched[pk] = record["row"]
                old_objective = self.snapshot.action_objective[pk]
                if links["axis"] != f"pk:{self.snapshot.action_axis[pk]}":
                    fields.append(FieldChange("axis", "Axe", old["axis"], axis_label))
                if links["objective"] != (f"pk:{old_objective}" if old_objective else None):
                    new_label = objective_text if objective_text is not None else ""
                    fields.append(FieldChange("objective", "Objectif", old["objective"], new_label))
                more, changed = self.compare(columns, old, values)
                fields += more
                if fields:
                    self.note_names(changed)
                    self.diff.changes.append(
                        Change(
                            "action",
                            "change",
                            ref,
                            pk,
                            self.snapshot.action_label(pk),
                            self.where(record),
                            fields,
                            changed,
                            links,
                        )
                    )
            else:
                values.setdefault("status", "")
                self.note_names(values)
                shown = self.added_fields(columns, values)
                shown.insert(0, FieldChange("axis", "Axe", "", axis_label))
                if objective_text:
                    shown.insert(1, FieldChange("objective", "Objectif", "", objective_text))
                label = f"{values.get('code')} — {values['title']}" if values.get("code") else values["title"]
                self.diff.changes.append(
                    Change("action", "add", ref, None, label, self.where(record), shown, values, links)
                )
            self.action_refs[-1] = ref
            code = values["code"] if "code" in values else old.get("code", "")
            self.action_labels[ref] = (
                f"{code} — {values.get('title') or old.get('title')}"
                if code
                else (values.get("title") or old.get("title"))
            )
            if code:
                self.action_codes.setdefault(fold(code), ref)
            self.record_codes.append((fold(code), record, ref))
        if "action" in self.source.complete:
            for pk in current:
                if pk not in matched and pk not in self.unreadable("action"):
                    self.removed_actions.add(pk)
                    self.diff.changes.append(
                        Change(
                            "action",
                            "remove",
                            f"pk:{pk}",
                            pk,
                            self.snapshot.action_label(pk),
                            "absente du fichier",
                            note=self.removal_note(pk),
                        )
                    )
        for pk, values in current.items():
            ref = f"pk:{pk}"
            if pk not in matched and pk not in self.removed_actions:
                self.action_labels[ref] = self.snapshot.action_label(pk)
                if values["code"]:
                    self.action_codes.setdefault(fold(values["code"]), ref)

    def removal_note(self, pk: int) -> str:
        counts = [
            (sum(1 for v in self.records[kind].values() if v["action_id"] == pk), singular, plural)
            for kind, singular, plural in (
                ("operation", "opération", "opérations"),
                ("indicator", "indicateur", "indicateurs"),
                ("funding", "ligne de financement", "lignes de financement"),
            )
        ]
        parts = [f"{n} {singular if n == 1 else plural}" for n, singular, plural in counts if n]
        return "avec " + ", ".join(parts) if parts else ""

    def check_codes(self):
        seen: dict[str, dict] = {}
        for code, record, ref in self.record_codes:
            if not code:
                continue
            if code in seen and seen[code]["ref"] != ref:
                self.error(
                    record["sheet"],
                    record["row"],
                    "Code",
                    f"le code est déjà celui de la fiche ligne {seen[code]['record']['row']}",
                )
                continue
            seen[code] = {"record": record, "ref": ref}
        in_file = {ref for _code, _record, ref in self.record_codes}
        for pk, values in self.records["action"].items():
            code = fold(values["code"])
            if code and f"pk:{pk}" not in in_file and pk not in self.removed_actions and code in seen:
                record = seen[code]["record"]
                self.error(
                    record["sheet"],
                    record["row"],
                    "Code",
                    f"le code « {values['code']} » est déjà celui de la fiche « {values['title'][:60]} »",
                )

    # ------------------------------------------------------------ references to a fiche

    def action_of(self, record: dict) -> str | None:
        ref = record.get("action") or {}
        if "record" in ref:
            return self.action_refs[ref["record"]]
        if "id" in ref:
            pk = ref["id"]
            if pk not in self.records["action"]:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID fiche action",
                    f"aucune fiche action n'a l'ID {pk} dans ce contrat",
                )
                return None
            if pk in self.removed_actions:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID fiche action",
                    f"la fiche action n° {pk} n'est plus dans la feuille Plan : cette ligne ne peut pas y rester rattachée",
                )
                return None
            return f"pk:{pk}"
        found = self.action_codes.get(fold(ref.get("code", "")))
        if found is None:
            self.error(
                record["sheet"],
                record["row"],
                "Code fiche action",
                f"aucune fiche action n'a le code « {ref.get('code', '')} »",
            )
        return found

    def operation_of(self, record: dict, action_ref: str) -> tuple[bool, str | None]:
        ref = record.get("operation") or {}
        if not ref:
            return True, None
        if "record" in ref:
            return True, self.operation_refs[ref["record"]]
        if "id" in ref:
            pk = ref["id"]
            found = f"pk:{pk}"
            owner = self.operation_owner.get(found)
            if pk in self.removed_operations:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID opération",
                    f"l'opération n° {pk} n'est plus dans la feuille Opérations : rattachez cette ligne à "
                    "la fiche (videz l'ID opération) ou supprimez-la",
                )
                return False, None
            if owner is None:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID opération",
                    f"aucune opération n'a l'ID {pk} dans ce contrat",
                )
                return False, None
            if owner != action_ref:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID opération",
                    f"l'opération n° {pk} n'appartient pas à la fiche action de cette ligne",
                )
                return False, None
            return True, found
        found = self.operation_titles.get((action_ref, fold(ref.get("title", ""))))
        if found is None:
            self.error(
                record["sheet"],
                record["row"],
                "Opération",
                f"la fiche action n'a pas d'opération « {ref.get('title', '')} »",
            )
            return False, None
        return True, found

    def link_change(self, old_ref: str, new_ref: str, column: Column, labels: dict) -> FieldChange | None:
        if old_ref == new_ref:
            return None
        return FieldChange(column.key, column.header, labels.get(old_ref, ""), labels.get(new_ref, ""))

    # ------------------------------------------------------------ operations

    def operations(self):
        columns = {c.key: c for c in OPERATIONS.columns}
        current = self.records["operation"]
        seen = set()
        for pk, values in current.items():
            if values["action_id"] not in self.removed_actions:
                owner = f"pk:{values['action_id']}"
                self.operation_owner[f"pk:{pk}"] = owner
                self.operation_titles.setdefault((owner, fold(values["title"])), f"pk:{pk}")
        for record in self.source.records.get("operation", []):
            self.operation_refs.append(None)
            values = dict(record["values"])
            action_ref = self.action_of(record)
            if action_ref is None:
                continue
            pk = record["pk"]
            if record.get("match") and action_ref.startswith("pk:"):
                found = self.operation_titles.get((action_ref, fold(values["title"])))
                pk = int(found[3:]) if found and found.startswith("pk:") else None
            if pk is not None and pk not in current:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID",
                    f"l'opération n° {pk} n'existe pas dans ce contrat : videz l'ID pour la créer",
                )
                continue
            if pk in seen:
                self.error(record["sheet"], record["row"], "ID", "cette opération figure déjà plus haut")
                continue
            ref = f"pk:{pk}" if pk else self.new_ref(record)
            if pk is not None:
                seen.add(pk)
                old = current[pk]
                fields, changed = self.compare(columns, old, values)
                moved = self.link_change(
                    f"pk:{old['action_id']}", action_ref, ACTION_LINK, self.action_labels
                )
                if moved:
                    fields.insert(0, moved)
                if fields:
                    self.note_names(changed)
                    self.diff.changes.append(
                        Change(
                            "operation",
                            "change",
                            ref,
                            pk,
                            old["title"],
                            self.where(record),
                            fields,
                            changed,
                            {"action": action_ref},
                        )
                    )
            else:
                values.setdefault("status", "")
                self.note_names(values)
                shown = [FieldChange("action", "Fiche action", "", self.action_labels.get(action_ref, ""))]
                shown += self.added_fields(columns, values)
                self.diff.changes.append(
                    Change(
                        "operation",
                        "add",
                        ref,
                        None,
                        values["title"],
                        self.where(record),
                        shown,
                        values,
                        {"action": action_ref},
                    )
                )
            self.operation_refs[-1] = ref
            self.operation_owner[ref] = action_ref
            self.operation_titles[(action_ref, fold(values.get("title") or current[pk]["title"]))] = ref
        if "operation" in self.source.complete:
            for pk, values in current.items():
                if pk in seen or pk in self.unreadable("operation"):
                    continue
                if values["action_id"] not in self.removed_actions:
                    self.operation_owner.pop(f"pk:{pk}", None)
                    self.removed_operations.add(pk)
                    self.diff.changes.append(
                        Change(
                            "operation",
                            "remove",
                            f"pk:{pk}",
                            pk,
                            values["title"],
                            "absente du fichier",
                            note=f"fiche {self.snapshot.action_label(values['action_id'])}",
                        )
                    )

    # ------------------------------------------------------------ indicators and funding

    def children(self, kind: str, table, compare_extra=None):
        """Indicators and funding lines: rattached to a fiche, optionally to one of its operations."""
        columns = {c.key: c for c in table.columns}
        current = self.records[kind]
        seen = set()
        operation_labels = {ref: title for (_owner, title), ref in self.operation_titles.items()}
        for record in self.source.records.get(kind, []):
            values = dict(record["values"])
            action_ref = self.action_of(record)
            if action_ref is None:
                continue
            ok, operation_ref = self.operation_of(record, action_ref)
            if not ok:
                continue
            pk = record["pk"]
            if pk is not None and pk not in current:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID",
                    f"la ligne n° {pk} n'existe pas dans ce contrat : videz l'ID pour la créer",
                )
                continue
            if (
                pk is not None
                and current[pk]["action_id"] in self.removed_actions
                and action_ref == f"pk:{current[pk]['action_id']}"
            ):
                continue
            links = {"action": action_ref, "operation": operation_ref}
            extra_fields, extra_values = (
                compare_extra(record, values, current.get(pk)) if compare_extra else ([], {})
            )
            if extra_fields is None:
                continue
            label = self.child_label(kind, values, current.get(pk))
            if pk is not None:
                seen.add(pk)
                old = current[pk]
                fields, changed = self.compare(columns, old, values)
                old_operation = f"pk:{old['operation_id']}" if old["operation_id"] else None
                for link in (
                    self.link_change(f"pk:{old['action_id']}", action_ref, ACTION_LINK, self.action_labels),
                    self.link_change(old_operation, operation_ref, OPERATION_LINK, operation_labels),
                ):
                    if link:
                        fields.insert(0, link)
                fields += extra_fields
                changed.update(extra_values)
                if fields:
                    self.note_names(changed)
                    self.diff.changes.append(
                        Change(
                            kind, "change", f"pk:{pk}", pk, label, self.where(record), fields, changed, links
                        )
                    )
            else:
                self.note_names(values)
                shown = [FieldChange("action", "Fiche action", "", self.action_labels.get(action_ref, ""))]
                if operation_ref:
                    shown.append(
                        FieldChange("operation", "Opération", "", operation_labels.get(operation_ref, ""))
                    )
                shown += self.added_fields(columns, values) + extra_fields
                values.update(extra_values)
                self.diff.changes.append(
                    Change(
                        kind,
                        "add",
                        self.new_ref(record),
                        None,
                        label,
                        self.where(record),
                        shown,
                        values,
                        links,
                    )
                )
        if kind in self.source.complete:
            for pk, values in current.items():
                if pk in seen or pk in self.unreadable(kind):
                    continue
                if values["action_id"] not in self.removed_actions:
                    self.diff.changes.append(
                        Change(
                            kind,
                            "remove",
                            f"pk:{pk}",
                            pk,
                            self.child_label(kind, values, None),
                            "absente du fichier",
                            note=f"fiche {self.snapshot.action_label(values['action_id'])}",
                        )
                    )

    def child_label(self, kind: str, values: dict, old: dict | None) -> str:
        merged = {**(old or {}), **values}
        if kind == "indicator":
            return merged.get("label", "")
        funder = merged.get("funder") or "Sans financeur"
        return f"{funder} {merged.get('year') or ''}".strip()

    def indicators(self):
        def figures(record, values, old):
            periodicity = values.get("periodicity") or (old or {}).get("periodicity") or "year"
            if old is None:
                values["periodicity"] = periodicity
            fields, changed, ok = [], {}, True
            for kind, column_of in (("targets", target_column), ("values", value_column)):
                wanted = values.pop(kind, {})
                existing = (old or {}).get(kind, {})
                updates = {}
                for period, value in wanted.items():
                    column = column_of(period)
                    try:
                        code = period_check(
                            periodicity,
                            period,
                            is_value=kind == "values" and value is not None,
                            today=self.today,
                        )
                    except ValueError as error:
                        if value is None and period not in existing:
                            continue  # an empty column of another periodicity
                        self.error(record["sheet"], record["row"], column.header, str(error))
                        ok = False
                        continue
                    if existing.get(code) != value:
                        updates[code] = value
                        fields.append(
                            FieldChange(
                                column.key,
                                column.header,
                                column.display(existing.get(code)),
                                column.display(value),
                            )
                        )
                if updates:
                    changed[kind] = updates
            return (fields, changed) if ok else (None, None)

        self.children("indicator", INDICATORS, figures)

    def funding(self):
        self.children("funding", FUNDING)

    def funding_totals(self):
        """TeT gives, per fiche (or sub-action), an amount per funder: compared with the sum of
        the planned amounts of that funder's lines."""
        current = self.records["funding"]
        column = FUNDING.column("planned_amount")
        for record in self.source.records.get("funding_total", []):
            action_ref = self.action_of(record)
            if action_ref is None:
                continue
            _ok, operation_ref = self.operation_of(record, action_ref)
            funder, amount = record["values"]["funder"], record["values"]["planned_amount"]
            lines = []
            if action_ref.startswith("pk:") and (operation_ref is None or operation_ref.startswith("pk:")):
                action_pk = int(action_ref[3:])
                operation_pk = int(operation_ref[3:]) if operation_ref else None
                lines = [
                    (pk, v)
                    for pk, v in current.items()
                    if v["action_id"] == action_pk
                    and v["operation_id"] == operation_pk
                    and normalise_name(v["funder"]) == normalise_name(funder)
                ]
            total = sum((Decimal(v["planned_amount"] or 0) for _pk, v in lines), Decimal(0))
            new = Decimal(amount or 0)
            links = {"action": action_ref, "operation": operation_ref}
            label = f"{funder or 'Sans financeur'} ({self.action_labels.get(action_ref, '')})"
            if (lines and total == new) or (not lines and new == 0 and not funder):
                continue
            if len(lines) > 1:
                self.diff.warnings.append(
                    f"Ligne {record['row']} : {funder or 'le budget non réparti'} a plusieurs lignes budgétaires sur "
                    "cette fiche ; le montant n'est pas modifié (faites-le dans la feuille Financements d'OpenCLS)."
                )
                continue
            if lines:
                pk, old = lines[0]
                self.diff.changes.append(
                    Change(
                        "funding",
                        "change",
                        f"pk:{pk}",
                        pk,
                        label,
                        self.where(record),
                        [
                            FieldChange(
                                "planned_amount",
                                column.header,
                                column.display(old["planned_amount"]),
                                column.display(amount),
                            )
                        ],
                        {"planned_amount": amount},
                        links,
                    )
                )
                continue
            values = {"funder": funder, "planned_amount": amount}
            self.note_names(values)
            self.diff.changes.append(
                Change(
                    "funding",
                    "add",
                    self.new_ref(record) + f":{funder}",
                    None,
                    label,
                    self.where(record),
                    [
                        FieldChange("funder", "Financeur", "", funder or "—"),
                        FieldChange("planned_amount", column.header, "", column.display(amount)),
                    ],
                    values,
                    links,
                )
            )

    # ------------------------------------------------------------ organisations

    def organisations(self):
        if not self.names:
            return
        known = {
            o.normalised_name: o
            for o in Organisation.objects.filter(normalised_name__in=list(self.names)).order_by("pk")
        }
        missing = [key for key in self.names if key not in known]
        everyone = []
        if missing:
            everyone = list(Organisation.objects.values_list("pk", "name", "normalised_name"))
        by_key = {key: (pk, name) for pk, name, key in everyone}
        for key, name in sorted(self.names.items(), key=lambda item: fold(item[1])):
            found = known.get(key)
            proposal = {"name": name, "key": key, "existing": None, "candidates": []}
            if found is not None:
                proposal["existing"] = {"pk": found.pk, "name": found.name}
            else:
                close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.75)
                proposal["candidates"] = [{"pk": by_key[c][0], "name": by_key[c][1]} for c in close]
            self.diff.organisations.append(proposal)


def compute_diff(snapshot: Snapshot, source: Source, *, today: date) -> Diff:
    if source.contract_id is not None and source.contract_id != snapshot.contract.pk:
        diff = Diff(source.source)
        diff.errors.append(
            asdict(
                Problem(
                    layout.META_SHEET,
                    None,
                    "",
                    f"ce fichier a été exporté du contrat n° {source.contract_id}, pas de celui-ci "
                    f"(n° {snapshot.contract.pk}) : exportez le plan de ce contrat et reportez-y vos modifications",
                )
            )
        )
        return diff
    return _Differ(snapshot, source, today).run()
