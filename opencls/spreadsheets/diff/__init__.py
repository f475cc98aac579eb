"""Compare what a file says (`Source`) with the plan in the database (`Snapshot`).

The result lists, field by field, the records to add, change and remove, the axes and
objectives to create, the organisations to match or create, and every problem with its sheet,
row and column. It is computed again when the coordinator applies it, from the same file, so
what is written is exactly what was reviewed (or the apply is refused).

Records refer to their fiche action by ID or code (OpenCLS layout) or by their place in the
file (Territoires en Transitions, matched to existing fiches by code, then by title).
"""

from opencls.spreadsheets.diff.differ import compute_diff
from opencls.spreadsheets.diff.records import KIND_LABELS, Change, Diff, FieldChange

__all__ = ["KIND_LABELS", "Change", "Diff", "FieldChange", "compute_diff"]
