"""Plans laid out in tables other than the seeds' (issue 17), read through the label vocabulary:

- one big table with a row per fiche, its header naming the fields
  ("N° | Axe | Intitulé de l'action | Pilote | Statut | Priorité | Échéancier");
- one table per fiche that carries its own axis, number and title as label/value rows
  ("Axe stratégique | Axe 1 : …", "Intitulé de l'action | …", "Pilote | …"), with no heading before it.

Both give ActionVersions that merge.py merges with the other versions of the same fiche.
"""

import re

from opencls.imports.extraction.document import Doc
from opencls.imports.extraction.plan import (
    ActionVersion,
    AxisVersion,
    _Sheet,
    label_of,
    match_action,
    match_axis,
    roman_or_int,
)
from opencls.imports.extraction.text import clean_value
from opencls.imports.extraction.vocabulary import field_of, fold, label_index

NUMBERED_TITLE = re.compile(r"^(?P<num>\d{1,2}|[IVX]{1,4})\s*[.):\-–—]\s*(?P<title>\S.*)$")
NUMBERED_OBJECTIVE = re.compile(r"^(?P<code>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s*[:\-–—]?\s*(?P<title>\S.*)$")
CODE = re.compile(r"^(?:(?P<prefix>fiches?[\s\-]*actions?|fa|action)\s*)?(?:n[°o]\s*)?(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})$",
                  re.IGNORECASE)  # fmt: skip


def is_placeholder(text: str, column: str = "") -> bool:
    """A cell that only repeats a column's own name ("Sous-Sous Axe", "Axe (x)"): nothing was filled in."""
    key = fold(text)
    return bool(key) and (key == fold(column) or (key in label_index() and len(key.split()) <= 4))


class _Axes:
    """Axes met in table cells ("Axe 1 : Prévenir", "1. Addictions", or a bare title numbered in order)."""

    def __init__(self, axes: list[AxisVersion], where: str):
        self.axes, self.where = axes, where
        self.by_title: dict[str, AxisVersion] = {}

    def get(self, text: str) -> AxisVersion | None:
        text = " ".join(text.split())
        if not clean_value(text) or is_placeholder(text, "Axe"):
            return None
        if found := match_axis(text):
            key, title = found
        elif match := NUMBERED_TITLE.match(text):
            key, title = roman_or_int(match["num"]), match["title"].strip()
        elif fold(text) in self.by_title:
            return self.by_title[fold(text)]
        else:
            known = {a.key for a in self.axes}
            key = str(next(n for n in range(1, 100) if str(n) not in known))
            title = text
        version = next((a for a in self.axes if a.key == key), None)
        if version is None:
            version = AxisVersion(key=key, code=key, title=title, where=self.where)
            self.axes.append(version)
        self.by_title[fold(text)] = version
        return version

    @staticmethod
    def objective(axis: AxisVersion | None, text: str) -> str | None:
        """The objective a "Sous-axe" cell names, added to its axis; its reference for the action."""
        text = " ".join(text.split())
        if axis is None or not clean_value(text) or is_placeholder(text, "Sous-axe"):
            return None
        match = NUMBERED_OBJECTIVE.match(text)
        code, title = (match["code"], match["title"].strip()) if match else ("", text)
        for objective in axis.objectives:
            if (code and objective.get("code") == code) or objective["title"] == title:
                return objective.get("code") or objective["title"]
        axis.objectives.append({"code": code, "title": title, "children": []} if code else {"title": title})
        return code or title


def _code(text: str) -> tuple[str, str] | None:
    """(key, code) of a number cell: "1.1", "FA 1.1", "Fiche action n°3"."""
    match = CODE.match(" ".join(text.split()))
    if not match:
        return None
    key = match["num"]
    prefix = (match["prefix"] or "").lower()
    return key, f"FA {key}" if prefix.startswith(("fa", "fiche")) else key


def _row_fields(row: tuple[str, ...]) -> list[str | None] | None:
    """The fields a header row names, when it is the header of a table with a row per fiche."""
    fields = [field_of(cell) if cell.strip() else None for cell in row]
    named = [f for f in fields if f]
    if "title" not in named or "operations" in named or len(named) < 3:
        return None
    if len(named) < 0.6 * sum(1 for cell in row if cell.strip()):
        return None
    return fields


def _continuation(doc: Doc, start: int, width: int) -> list[int]:
    """The parts of a table cut by page breaks: the next tables of the same width, with at most one
    paragraph between them (a row the PDF split in two, kept aside as text)."""

    def same_width(j: int) -> bool:
        return (
            j < len(doc)
            and doc.is_table(j)
            and bool(doc.blocks[j].rows)
            and len(doc.blocks[j].rows[0]) == width
        )

    parts, j = [], start + 1
    while j < len(doc):
        if same_width(j):
            parts.append(j)
        elif not (doc.is_paragraph(j) and same_width(j + 1) and not doc.is_marker(j)):
            break
        j += 1
    return parts


def find_row_tables(doc: Doc, axes: list[AxisVersion]) -> list[ActionVersion]:
    versions = []
    for i, block in enumerate(doc.blocks):
        if block.kind != "table" or i in doc.consumed or not block.rows:
            continue
        fields = _row_fields(block.rows[0])
        if not fields:
            continue
        where = doc.section_at(i)
        cells_axes = _Axes(axes, where)
        header = block.rows[0]
        parts = [i, *_continuation(doc, i, len(header))]
        for part in parts:
            for row_number, row in enumerate(doc.blocks[part].rows):
                if _row_fields(row):  # the header, or the header repeated on a new page
                    continue
                cells = {name: row[c].strip() for c, name in enumerate(fields) if name and c < len(row)}
                version = _row_version(part, row_number, cells, where, cells_axes, header, fields)
                if version is None:
                    if any(clean_value(c) for c in row):
                        doc.keep_aside(where, " | ".join(row), part)
                    continue
                for column, name in enumerate(fields):  # columns the vocabulary does not know
                    if (
                        name is None
                        and column < len(row)
                        and clean_value(row[column])
                        and header[column].strip()
                    ):
                        doc.keep_aside(f"Fiche {version.code or version.title[:40]}",
                                       f"{header[column].strip()} : {row[column].strip()}", part)  # fmt: skip
                versions.append(version)
            doc.consume(part)
    return versions


def _row_version(index, number, cells, where, axes: _Axes, header, fields) -> ActionVersion | None:
    title = " ".join(cells.get("title", "").split())
    if not clean_value(title):
        return None
    key = code = ""
    if found := _code(cells.get("code", "")):
        key, code = found
    elif found := match_action(title, loose=True):
        key, code, title = found
    axis = axes.get(cells.get("axis", ""))
    objective_column = header[fields.index("objective")] if "objective" in fields else ""
    objective = axes.objective(axis, cells.get("objective", "")) if objective_column else None
    version = ActionVersion("table", where, index, key or f"~{index}_{number}", code, title,
                            axis.key if axis else None)  # fmt: skip
    for name, value in cells.items():
        if name not in {"title", "code", "axis", "objective"} and clean_value(value):
            version.add("process" if name == "indicators" else name, value)
    if objective:
        version.values["objective_ref"] = [objective]
    return version


# ---------------------------------------------------------------- a table per fiche


def _field_table(rows) -> bool:
    heads = [label_of(row[0], structural=True) for row in rows if len(row) >= 2 and row[0].strip()]
    found = [h.field for h in heads if h]
    return len(found) >= 3 and bool({"title", "code"} & set(found)) and len(found) >= 0.6 * len(heads)


def find_field_tables(doc: Doc, axes: list[AxisVersion]) -> list[ActionVersion]:
    versions = []
    for i, block in enumerate(doc.blocks):
        if block.kind != "table" or i in doc.consumed or not _field_table(block.rows):
            continue
        where = doc.section_at(i)
        cells_axes = _Axes(axes, where)
        version = ActionVersion("sheet", where, i, f"~{i}", "", "", None)
        sheet = _Sheet(doc, version)
        axis = None
        for row in block.rows:
            label = label_of(row[0], structural=True) if row[0].strip() else None
            value = " ".join(" ".join(row[1:]).split())
            if label is None or label.field not in {"title", "code", "axis", "objective"}:
                sheet.row(i, row)
                continue
            if label.field == "title":
                if found := match_action(value, loose=True):
                    version.key, version.code, value = found
                version.title = value
            elif label.field == "code" and (found := _code(value)):
                version.key, version.code = found
            elif label.field == "axis":
                axis = cells_axes.get(value)
                version.axis_key = axis.key if axis else None
            elif label.field == "objective" and (ref := cells_axes.objective(axis, value)):
                version.values["objective_ref"] = [ref]
        if version.title:
            sheet.where = f"Fiche {version.code or version.title[:40]}"
            versions.append(version)
            doc.consume(i)
    return versions
