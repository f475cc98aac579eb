"""Find every version of the plan the document gives: lists of axes, synthesis tables
(action / operations / porteurs), and full action sheets (003's 'Action 1.1' sections with their
'opérations identifiées'; 004's sheets whose table has one column per operation). merge.py then
merges the versions of each action."""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from opencls.imports.extraction.document import Doc
from opencls.imports.extraction.text import (
    clean_value,
    is_caps,
    is_empty_value,
    norm,
    roman_or_int,
    similarity,
    split_items,
)
from opencls.imports.extraction.vocabulary import STRUCTURAL, fold, label_index, labels
from opencls.imports.readers.blocks import HEADING

AXIS = re.compile(
    r"^(?:l['’]\s*)?(?:axe|orientation)s?(?:\s+strat[ée]gique)?\s*(?:n[°o]\s*)?(?P<num>\d{1,2}|[IVX]{1,4})"
    r"\s*(?:[:.\-–—)]|\s-)\s*(?P<title>\S.*)$",
    re.IGNORECASE,
)
ACTION = re.compile(
    r"^(?P<prefix>fiches?[\s\-]*actions?|fa|action)\s*(?:n[°o]\s*)?"
    r"(?P<num>\d{1,2}(?:\s*[.,]\s*\d{1,2}){0,3})(?![\d])\s*(?P<sep>[:.\-–—)]?)\s*(?P<title>.*)$",
    re.IGNORECASE,
)
OBJECTIVE = re.compile(
    r"^objectifs?(?:\s+(?:strat[ée]giques?|op[ée]rationnels?|g[ée]n[ée]ral|sp[ée]cifiques?))?\s*(?:n[°o]\s*)?"
    r"(?P<code>\d{1,2}(?:\.\d{1,2}){1,4})\s*[:.\-–]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
BARE_OBJECTIVE = re.compile(r"^(?P<code>\d{1,2}(?:\.\d{1,2}){1,4})\.?\s+(?P<title>\S.*)$")
STOP = re.compile(r"^(?:article\s+\d|fait a\b|glossaire|annexes?\b|sommaire\b|signatures?\b)")
INFINITIVE_ENDINGS = ("er", "ir", "re", "oir")

# Field labels of action sheets: the vocabulary (vocabulary.json), compared folded.
LABELS = labels()
LABEL_OF = label_index()
TEXT_LABEL_OF = {label: name for label, name in LABEL_OF.items() if name not in STRUCTURAL}
SHORT_FIELDS = {"area", "schedule", "status", "priority", "start_date", "end_date", "participation"}
LIST_FIELDS = {"operations", "deliverables", "process", "result", "indicators", "partners", "leads"}


@dataclass
class OpDraft:
    title: str
    values: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        value = clean_value(value)
        if value:
            self.values.setdefault(name, []).append(value)


@dataclass
class ActionVersion:
    source: str  # "table", "sheet" or "mention"
    where: str  # the section it was read in, for the reader
    index: int
    key: str
    code: str
    title: str
    axis_key: str | None
    values: dict[str, list[str]] = field(default_factory=dict)
    ops: list[OpDraft] = field(default_factory=list)
    ops_from_table: bool = False

    def add(self, name: str, value: str) -> None:
        value = clean_value(value)
        if value:
            self.values.setdefault(name, []).append(value)


@dataclass
class AxisVersion:
    key: str
    code: str
    title: str
    where: str
    description: str = ""
    objectives: list[dict] = field(default_factory=list)


@dataclass
class Label:
    field: str
    rest: str = ""
    read_as: str = ""  # the label as printed, when it was recognised despite a typo


def match_axis(text: str) -> tuple[str, str] | None:
    match = AXIS.match(text.strip())
    if not match:
        return None
    title = match["title"].strip(" ;.,")
    return (roman_or_int(match["num"]), title) if len(title) >= 3 else None


def match_action(text: str, *, loose: bool) -> tuple[str, str, str] | None:
    """(key, code as printed, title). `loose`: a heading or a table cell, where no separator is needed."""
    match = ACTION.match(text.strip())
    if not match or (not loose and not match["sep"]):
        return None
    key = re.sub(r"\s+", "", match["num"]).replace(",", ".")
    prefix = norm(match["prefix"])
    code = f"FA {key}" if prefix.startswith(("fa", "fiche")) else key
    return key, code, match["title"].strip(" :;")


@cache
def _by_length(structural: bool) -> tuple[tuple[str, int], ...]:
    index = LABEL_OF if structural else TEXT_LABEL_OF
    return tuple((label, len(label.split())) for label in sorted(index, key=len, reverse=True))


def label_of(text: str, *, fuzzy: bool = False, structural: bool = False) -> Label | None:
    """The field a label names ('Structure pilote :' → leads), with what follows it on the line.
    `structural`: also the labels that place a fiche (title, number, axis), read in tables only."""
    index = LABEL_OF if structural else TEXT_LABEL_OF
    key = fold(text)
    if key in index:
        return Label(index[key])
    if ":" in text:
        head, rest = text.split(":", 1)
        head_key = fold(head)
        if head_key in index and len(head) <= 60:
            return Label(index[head_key], rest.strip())
    words = text.split()
    prefixes: dict[int, tuple[str, bool]] = {}
    for label, size in _by_length(structural):  # 'CALENDRIER Second semestre 2026'
        if len(words) <= size:
            continue
        if size not in prefixes:
            prefix = " ".join(words[:size])
            prefixes[size] = (fold(prefix), is_caps(prefix))
        if prefixes[size] == (label, True):
            return Label(index[label], " ".join(words[size:]))
    if fuzzy and len(key) <= 60 and is_caps(text):
        candidates = [label for label in index if len(label) >= 6]
        best = max(candidates, key=lambda label: similarity(label, key))
        if similarity(best, key) >= 0.8:
            return Label(index[best], read_as=text.strip())
    return None


def _header_fields(row: tuple[str, ...]) -> list[str | None] | None:
    """'Opérations | Porteur | Calendrier': a table with one operation per row."""
    fields = [TEXT_LABEL_OF.get(fold(cell)) if cell.strip() else None for cell in row]
    named = [f for f in fields if f]
    if "operations" in named and len(named) >= 2 and len(named) == sum(1 for c in row if c.strip()):
        return fields
    return None


def _flat(text: str) -> str:
    """Lower case without accents, keeping every character's position (unlike norm())."""
    return "".join(unicodedata.normalize("NFKD", c)[:1] for c in text).lower().replace("’", "'")


LABEL_START = re.compile(
    r"(?:^|(?<=\s))(?:"
    + "|".join(re.escape(label) for label in sorted(TEXT_LABEL_OF, key=len, reverse=True) if len(label) >= 5)
    + r")\s*:"
)


# A label the vocabulary does not know, run into the previous line: " Thèmes : …", " Lien avec le PRS : …".
OTHER_LABEL_START = re.compile(
    r"(?<=[^\s:])\s+(?=[A-ZÀ-Ý][\w'’()\-]*(?:\s+[\w'’()\-]+){0,4}(?P<colon>\s:\s))"
)


def _labelled_pieces(text: str) -> list[str]:
    """Split 'Porteur : A Partenaires : B' where each label starts; only when the text starts with a known one."""
    starts = [m.start() for m in LABEL_START.finditer(_flat(text))]
    if not starts or starts[0] != 0:
        return [text]
    others = [m.end() for m in OTHER_LABEL_START.finditer(text)
              if not any(m.end() < known <= m.start("colon") for known in starts)]  # fmt: skip
    starts = sorted({*starts, *others})
    if len(starts) < 2:
        return [text]
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


# ---------------------------------------------------------------- axes and objectives


def _axis_details(doc: Doc, start: int, version: AxisVersion) -> None:
    """After 004's 'Axe 4 : …': 'Le CISM pilote ce quatrième axe à travers les orientations suivantes :'
    and a list — the axis's description and objectives."""
    j = start + 1
    if j < len(doc) and doc.is_paragraph(j) and not doc.blocks[j].bullet and doc.text(j).endswith(":"):
        if not (match_axis(doc.text(j)) or match_action(doc.text(j), loose=False)):
            intro = j
            j += 1
        else:
            return
    else:
        intro = None
    items = []
    while j < len(doc) and doc.is_paragraph(j) and doc.blocks[j].bullet:
        if match_axis(doc.text(j)) or match_action(doc.text(j), loose=True):
            return
        items.append(j)
        j += 1
    if len(items) >= 2:
        if intro is not None:
            version.description = doc.text(intro)
            doc.consume(intro)
        version.objectives = [{"title": doc.text(i).strip(" ;.")} for i in items]
        doc.consume(*items)


def find_axes(doc: Doc) -> list[AxisVersion]:
    versions = []
    for i, block in enumerate(doc.blocks):
        if block.kind == "table" or len(block.text) > 400:
            continue
        if found := match_axis(block.text):
            key, title = found
            version = AxisVersion(key=key, code=key, title=title, where=doc.section_at(i))
            versions.append(version)
            doc.consume(i)
            if not block.bullet:
                _axis_details(doc, i, version)
    return versions


def find_objectives(doc: Doc, axes: list[AxisVersion]) -> None:
    """Numbered objectives (002: 'Objectif 2.1 :', '2.1.1 …', '2.1.1.1 …'), nested by their codes,
    attached to the axis their first number designates."""
    by_key = {}
    for axis in axes:
        by_key.setdefault(axis.key, axis)
    i, in_zone = 0, False
    while i < len(doc):
        block = doc.blocks[i]
        match = None
        if block.kind != "table":
            match = OBJECTIVE.match(block.text) or (in_zone and BARE_OBJECTIVE.match(block.text))
        if not match:
            in_zone = in_zone and block.kind != "table" and not doc.is_marker(i)
            i += 1
            continue
        code, title, used = match["code"], match["title"].strip(), [i]
        j = i + 1
        while (
            j < len(doc)
            and doc.is_paragraph(j)
            and not OBJECTIVE.match(doc.text(j))
            and not (BARE_OBJECTIVE.match(doc.text(j)))
        ):
            following = doc.text(j)
            if not (not title or title.endswith(":") or following[:1].islower()) or len(following) > 300:
                break
            title = f"{title} {following}".strip()
            used.append(j)
            j += 1
        axis = by_key.get(code.split(".")[0])
        title = title.strip(" :")
        if axis and title:
            _place_objective(axis.objectives, {"code": code, "title": title, "children": []})
            doc.consume(*used)
            in_zone = True
        i = j


def _all_objectives(objectives: list[dict]):
    for objective in objectives:
        yield objective
        yield from _all_objectives(objective.get("children", []))


def _place_objective(objectives: list[dict], objective: dict) -> None:
    parent_code = objective["code"].rsplit(".", 1)[0]
    stack = list(objectives)
    while stack:
        candidate = stack.pop()
        if candidate.get("code") == parent_code:
            candidate["children"].append(objective)
            return
        stack.extend(candidate.get("children", []))
    objectives.append(objective)


# ---------------------------------------------------------------- synthesis tables


def _plan_roles(row: tuple[str, ...]) -> dict[str, int] | None:
    """Columns of a synthesis table's header row ('Intitulé de l'action | … opérations | Porteur(s)')."""
    roles: dict[str, int] = {}
    for column, cell in enumerate(row):
        key = norm(cell)
        if not key:
            continue
        if len(key) > 40:
            return None
        if "operation" in key:
            role = "operation"
        elif "action" in key or key.startswith("fiche"):
            role = "action"
        elif "porteur" in key or "pilote" in key:
            role = "leads"
        elif "orientation" in key or key.startswith("axe"):
            role = "axis"
        elif "partenaire" in key:
            role = "partners"
        elif "calendrier" in key or "echeance" in key:
            role = "schedule"
        elif "public" in key:
            role = "target_publics"
        else:
            return None  # a header row names its columns, nothing else
        roles.setdefault(role, column)
    return roles if "action" in roles and ({"operation", "leads"} & roles.keys()) else None


def _glued_operations(text: str) -> list[str]:
    """004's article 3 put two operations in one cell; split only where each piece starts with a verb."""
    pieces = split_items(text, min_words=4)
    if len(pieces) > 1 and all(norm(p.split()[0]).endswith(INFINITIVE_ENDINGS) for p in pieces):
        return pieces
    return [text]


def _glued_leads(text: str, count: int) -> list[str]:
    first = text.split()[0]
    pieces = re.split(rf"(?<=\S)\s+(?={re.escape(first)}\b)", text)
    return pieces if len(pieces) == count else [text] * count


DANGLING_END = re.compile(r"\s(?:de|du|des|la|le|les|l'|et|avec|en|à|au|aux)$", re.IGNORECASE)


class _PlanTable:
    """Rows of a synthesis table. Cells span rows: an action's title may be centred on its second row,
    a porteur cut where the row ended, an operation written on one row only."""

    def __init__(self, doc: Doc, roles: dict[str, int], where: str, axes: list[AxisVersion]):
        self.doc, self.roles, self.where, self.axes = doc, roles, where, axes
        self.actions: list[ActionVersion] = []
        self.action: ActionVersion | None = None
        self.pending: list[OpDraft] = []  # operations met before their action's title (a centred cell)
        self.op: OpDraft | None = None
        self.axis: AxisVersion | None = None
        self.previous: tuple[str, ...] = ()

    def cell(self, row, role: str) -> str:
        column = self.roles.get(role)
        if column is None or column >= len(row):
            return ""
        value = row[column].strip()
        return "" if is_empty_value(value) else value

    def repeated(self, row, role: str) -> bool:
        """A vertically merged cell: Word repeats its text on every row it spans."""
        return bool(self.previous) and self.cell(row, role) == self.cell(self.previous, role)

    def header(self) -> None:
        """The header again: a new page or part of the table, whose first rows may precede a title."""
        self.action, self.op, self.previous = None, None, ()

    @property
    def ops(self) -> list[OpDraft]:
        return self.action.ops if self.action else self.pending

    def row(self, index: int, row: tuple[str, ...]) -> None:
        axis_text = self.cell(row, "axis")
        if axis_text and not self.repeated(row, "axis"):
            if found := match_axis(axis_text):
                self.axis = AxisVersion(key=found[0], code=found[0], title=found[1], where=self.where)
                self.axes.append(self.axis)
            elif self.axis:
                self.axis.title = f"{self.axis.title} {axis_text}".strip(" .;")
        action_text = self.cell(row, "action")
        if action_text and not self.repeated(row, "action"):
            if found := match_action(action_text, loose=True):
                key, code, title = found
                self.action = ActionVersion("table", self.where, index, key, code, title,
                                            self.axis.key if self.axis else None)  # fmt: skip
                self.action.ops.extend(self.pending)
                self.pending = []
                self.actions.append(self.action)
            elif self.action:
                self.action.title = f"{self.action.title} {action_text}".strip()
            else:
                self.doc.keep_aside(self.where, " | ".join(row), index)
        new_ops: list[OpDraft] = []
        op_text = self.cell(row, "operation")
        if op_text and not self.repeated(row, "operation"):
            if op_text[:1].islower() and self.op:
                self.op.title = f"{self.op.title} {op_text}"
            else:
                for title in _glued_operations(op_text):
                    self.op = OpDraft(title=title)
                    self.ops.append(self.op)
                    new_ops.append(self.op)
        self._leads(row, new_ops)
        for role in ("partners", "schedule", "target_publics"):
            if value := self.cell(row, role):
                if self.op:
                    self.op.add(role, value)
                elif self.action:
                    self.action.add(role, value)
        self.previous = row

    def _leads(self, row, new_ops: list[OpDraft]) -> None:
        text = self.cell(row, "leads")
        if not text or (self.repeated(row, "leads") and not new_ops):
            return
        if len(new_ops) > 1:
            for op, piece in zip(new_ops, _glued_leads(text, len(new_ops)), strict=True):
                op.values["leads"] = [piece]
            return
        ops = self.ops
        if new_ops:
            before = ops[-2] if len(ops) > 1 else None
            cut = before and before.values.get("leads") and DANGLING_END.search(before.values["leads"][-1])
            if cut:  # one merged cell spanning two rows, cut where the row ended
                joined = f"{before.values['leads'][-1]} {text}"
                before.values["leads"][-1] = joined
                new_ops[0].values["leads"] = [joined]
            else:
                new_ops[0].values["leads"] = [text]
        elif self.op:
            leads = self.op.values.setdefault("leads", [])
            if leads:
                leads[-1] = f"{leads[-1]} {text}"
            else:
                leads.append(text)
        elif self.action:
            self.action.add("leads", text)

    def finish(self, index: int) -> None:
        for op in self.pending:
            self.doc.keep_aside(self.where, f"{op.title} | {' '.join(op.values.get('leads', []))}", index)
        for action in self.actions:
            action.ops_from_table = True
            ops = action.ops
            for position, op in enumerate(ops):  # a merged porteur cell shows on one row only
                if not op.values.get("leads") and len(ops) > 1:
                    around = ops[position - 1 :: -1] + ops[position + 1 :] if position else ops[1:]
                    neighbour = next((o for o in around if o.values.get("leads")), None)
                    if neighbour:
                        op.values["leads"] = list(neighbour.values["leads"])
                if op.values.get("leads"):
                    op.values["leads"] = [DANGLING_END.sub("", v).strip() for v in op.values["leads"]]


def find_plan_tables(doc: Doc, axes: list[AxisVersion]) -> list[ActionVersion]:
    versions = []
    i = 0
    while i < len(doc):
        block = doc.blocks[i]
        roles = None
        header = 0
        if block.kind == "table":
            found = [(h, _plan_roles(row)) for h, row in enumerate(block.rows[:2])]
            header, roles = next(((h, r) for h, r in found if r), (0, None))
        if not roles:
            i += 1
            continue
        table = _PlanTable(doc, roles, doc.section_at(i), axes)
        width = len(block.rows[header])
        j = i
        while j < len(doc) and doc.is_table(j):
            rows = doc.blocks[j].rows
            if j > i and (len(rows[0]) != width and not _plan_roles(rows[0])):
                break
            for row in rows[header + 1 if j == i else 0 :]:
                if _plan_roles(row):
                    table.header()
                    continue
                table.row(j, row)
            doc.consume(j)
            j += 1
        table.finish(i)
        versions.extend(table.actions)
        i = j
    return versions


# ---------------------------------------------------------------- action sheets


class _Sheet:
    def __init__(self, doc: Doc, version: ActionVersion):
        self.doc, self.version = doc, version
        self.mode = "context"
        self.pending: str | None = None
        self.pending_filled = False
        self.columns: list[int | None] | None = None
        self.last_field: str | None = None
        self.where = f"Fiche {version.code}"

    def _set(self, name: str, value: str) -> None:
        if name == "operations":
            for title in [v for v in re.split(r"\s*\n\s*|\s*;\s+", value) if clean_value(v)]:
                self.version.ops.append(OpDraft(title=title.strip(" ;.")))
            return
        self.version.add("process" if name == "indicators" else name, value)

    def paragraph(self, index: int) -> bool:
        block = self.doc.blocks[index]
        pieces = _labelled_pieces(block.text)
        if len(pieces) > 1:  # "Porteur : CCAS Calendrier : 2026" — lines a word processor ran together
            for piece in pieces:
                if not self._piece(piece, block):
                    self.doc.keep_aside(self.where, piece, index)
            return True
        return self._piece(block.text, block)

    def _piece(self, text: str, block) -> bool:
        label = label_of(text, fuzzy=len(text) <= 60)
        if label:
            if label.read_as:
                self.doc.warn(f"{self.version.code} : intitulé « {label.read_as} » lu comme "
                              f"« {LABELS[label.field][0].lower()} » (faute de frappe ou d'OCR).")  # fmt: skip
            self.mode = "fields"
            if label.rest:
                self._set(label.field, label.rest)
                self.pending = None
            else:
                self.pending, self.pending_filled = label.field, False
            return True
        if self.pending:
            if self.pending in LIST_FIELDS:
                # A list goes on while its items do; a plain paragraph after them is something else.
                if self.pending_filled and not block.bullet:
                    self.pending = None
                    return False
            elif self.pending in SHORT_FIELDS and self.pending_filled:
                self.pending = None
                return False
            self._set(self.pending, f"- {text}" if block.bullet and self.pending == "context" else text)
            self.pending_filled = True
            return True
        if self.mode == "context":
            self._set("context", f"- {text}" if block.bullet else text)
            return True
        return False

    def table(self, index: int) -> None:
        self.mode, self.pending = "fields", None
        rows = self.doc.blocks[index].rows
        columns = _header_fields(rows[0])
        if columns and len(rows) > 1:  # one operation per row, one field per column
            for row in rows[1:]:
                cells = dict(zip(columns, row, strict=False))
                if not clean_value(cells.get("operations", "")):
                    self.doc.keep_aside(self.where, " | ".join(row), index)
                    continue
                op = OpDraft(title=cells.pop("operations").strip())
                for name, value in cells.items():
                    if name:
                        op.add("process" if name == "indicators" else name, value)
                self.version.ops.append(op)
            self.version.ops_from_table = True
            return
        for row in rows:
            self.row(index, row)

    def row(self, index: int, row: tuple[str, ...]) -> None:
        head, values = row[0].strip(), list(row[1:])
        ops = self.version.ops
        if not head:
            if self.last_field == "operations" and self.columns:
                self._spread("objective_text", values)
            elif self.last_field and any(clean_value(v) for v in values):
                self._spread(self.last_field, values)
            elif any(v.strip() for v in values):
                self.doc.keep_aside(self.where, " | ".join(row), index)
            return
        label = label_of(head, fuzzy=True)
        if label is None:
            if any(v.strip() for v in values) or len(head) > 3:
                self.doc.keep_aside(self.where, " | ".join(row), index)
            self.last_field = None
            return
        if label.read_as:
            self.doc.warn(f"{self.version.code} : intitulé « {label.read_as} » lu comme "
                          f"« {LABELS[label.field][0].lower()} » (faute de frappe ou d'OCR).")  # fmt: skip
        if label.rest:
            values = [label.rest, *values]
        if label.field == "operations":
            self.columns = []
            for value in values:
                value = clean_value(value)
                if value:
                    ops.append(OpDraft(title=value))
                    self.columns.append(len(ops) - 1)
                else:  # a column without its own operation continues the previous one
                    self.columns.append(self.columns[-1] if self.columns else None)
            self.version.ops_from_table = True
        else:
            self._spread(label.field, values)
        self.last_field = label.field

    def _spread(self, name: str, values: list[str]) -> None:
        name = "process" if name == "indicators" else name
        ops = self.version.ops
        filled = [v for v in values if clean_value(v)]
        if not self.columns or not ops:
            if filled:
                self._set(name, "\n".join(filled))
            return
        if len(values) == 1 and len(ops) > 1 and filled:  # one cell spanning every operation
            for op in ops:
                op.add(name, values[0])
            return
        for column, value in enumerate(values):
            target = self.columns[column] if column < len(self.columns) else self.columns[-1]
            if target is not None and clean_value(value):
                ops[target].add(name, value)


NUMBERED_HEADING = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.):\-–—]?\s+(?P<title>[A-ZÀ-Ý].{2,})$")


def _numbered_fiche(doc: Doc, index: int) -> tuple[str, str, str] | None:
    """'3. Accueillir des internes' as a heading followed by 'Pilote : …': a fiche numbered without
    'Fiche action' (issue 17). Without a label right after, a numbered heading stays what it was."""
    block = doc.blocks[index]
    if block.bullet or not (block.kind == HEADING or block.bold) or OBJECTIVE.match(block.text):
        return None
    match = NUMBERED_HEADING.match(block.text.strip())
    following = next((j for j in range(index + 1, min(index + 3, len(doc))) if doc.text(j).strip()
                      or doc.is_table(j)), None)  # fmt: skip
    if not match or following is None:
        return None
    if doc.is_table(following):
        rows = doc.blocks[following].rows
        labelled = sum(1 for row in rows if row and label_of(row[0]))
        if labelled < 2:
            return None
    elif not label_of(_labelled_pieces(doc.text(following))[0]):
        return None
    return match["num"], match["num"], match["title"].strip(" :")


def _is_stop(doc: Doc, index: int, start_block) -> bool:
    block = doc.blocks[index]
    if block.kind == "table":
        return bool(_plan_roles(block.rows[0]) or (len(block.rows) > 1 and _plan_roles(block.rows[1])))
    text = block.text
    if match_action(text, loose=block.kind == HEADING or block.bold) and not block.bullet:
        return True
    if match_axis(text) and not block.bullet:
        return True
    if block.kind == HEADING and (start_block.kind != HEADING or block.level <= start_block.level):
        return True
    return bool(STOP.match(doc.norms[index]) and len(text) <= 120)


def find_sheets(doc: Doc, axes: list[AxisVersion]) -> list[ActionVersion]:
    versions = []
    axis_key = objective = None
    placed = {o.get("code") for axis in axes for o in _all_objectives(axis.objectives)}
    for i, block in enumerate(doc.blocks):
        if block.kind == "table" or len(block.text) > 600:
            continue
        if (found_axis := match_axis(block.text)) and not block.bullet:
            axis_key, objective = found_axis[0], None
            continue
        if (found_objective := OBJECTIVE.match(block.text)) and doc.is_marker(i) and not block.bullet:
            objective = found_objective["code"] if found_objective["code"] in placed else None
            continue
        found = match_action(block.text, loose=block.kind == HEADING or block.bold or is_caps(block.text))
        found = found or _numbered_fiche(doc, i)
        if not found:
            continue
        key, code, title = found
        if block.bullet:
            versions.append(ActionVersion("mention", doc.section_at(i), i, key, code, title, axis_key))
            doc.consume(i)
            continue
        version = ActionVersion("sheet", doc.section_at(i), i, key, code, title, axis_key)
        if objective and objective.split(".")[0] == (axis_key or key.split(".")[0]):
            version.values["objective_ref"] = [objective]  # the fiche sits under its objective's heading
        sheet = _Sheet(doc, version)
        doc.consume(i)
        j = i + 1
        while j < len(doc) and not _is_stop(doc, j, block):
            if doc.is_table(j) and j in doc.consumed:  # read already, as a table with a row per fiche
                pass
            elif doc.is_table(j):
                sheet.table(j)
                doc.consume(j)
            elif sheet.paragraph(j):
                doc.consume(j)
            else:
                doc.keep_aside(sheet.where, doc.blocks[j].as_text(), j)
                doc.consume(j)
            j += 1
        versions.append(version)
    return versions
