"""The comparison itself: one `_Differ` per file, its parts in the sibling modules."""

from dataclasses import asdict
from datetime import date

from opencls.accounts.models import normalise_name
from opencls.spreadsheets import layout
from opencls.spreadsheets.diff.children import ChildrenDiffer
from opencls.spreadsheets.diff.records import (
    ORDER,
    Diff,
    FieldChange,
    same_value,
    truncated_same,
)
from opencls.spreadsheets.diff.since import mark_since_export
from opencls.spreadsheets.diff.structure import StructureDiffer
from opencls.spreadsheets.diff.works import WorksDiffer
from opencls.spreadsheets.layout import (
    Column,
)
from opencls.spreadsheets.selectors import Snapshot
from opencls.spreadsheets.source import Problem, Source


class _Differ(StructureDiffer, WorksDiffer, ChildrenDiffer):
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
            if same_value(column, old, new):
                continue
            if key == "title" and self.source.source == "tet" and truncated_same(old or "", new):
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
    diff = _Differ(snapshot, source, today).run()
    mark_since_export(diff, source.exported_at)
    return diff
