"""Merge the versions of each axis and action into the contract JSON, saying where they disagree.

Rules: the full sheet gives the fields and the operations (it is the detailed text); a synthesis
table gives the proper-case title (sheets are often in capitals) and fills what the sheet lacks.
Every disagreement becomes a warning naming both sources and what was kept.
"""

import re

from opencls.actions.measures import suggested_fields  # issue 13: « taux », « par commune »…
from opencls.actions.schedule import parse_schedule
from opencls.imports.extraction.document import Doc
from opencls.imports.extraction.organisations import Names
from opencls.imports.extraction.plan import LABELS, ActionVersion, AxisVersion, OpDraft
from opencls.imports.extraction.text import (
    first_sentences,
    is_caps,
    norm,
    same_meaning,
    similarity,
    split_items,
)
from opencls.imports.extraction.vocabulary import participation_of, priority_of, status_of

TEXT_FIELDS = ("description", "target_publics", "funding_text", "objective_text")
OP_FIELDS = (*TEXT_FIELDS, "leads", "partners", "deliverables", "process", "result", "schedule")
FUNDING_KINDS = [
    ("ars_cpom", r"\bcpom\b"),
    ("call_for_projects", r"appels? a projets|manifestation d'interet|\baap\b|\bami\b"),
    ("city_policy", r"politique de la ville"),
    ("local_authority", r"collectivite|\bcommunes?\b|\bville\b|departement|\bregion\b|\bepci\b"),
    ("health_insurance", r"assurance maladie|\bcpam\b"),
    ("ars_specific", r"\bars\b|agence regionale de sante"),
    ("in_kind", r"moyens humains|valorisation|temps de travail|mise a disposition"),
]
YEAR_PIECE = re.compile(r"\s*(.*?(?:19|20)\d\d)")


def _join(parts: list[str]) -> str:
    parts = list(dict.fromkeys(p.strip() for p in parts if p and p.strip()))
    if not parts:
        return ""
    text = parts[0]
    for part in parts[1:]:
        text += ("\n" if part.startswith("- ") else "\n\n") + part
    return text


def _source(version: ActionVersion) -> str:
    if version.source == "sheet":
        return "la fiche action"
    if version.source == "mention":
        return f"la liste « {first_sentences(version.where, 60)} »"
    return f"la synthèse « {first_sentences(version.where, 60)} »"


def _tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[\s'’\-(),./]+", norm(name)) if len(t) > 1}


GENERIC_NAMES = {
    "partenaires",
    "acteurs du territoire",
    "acteurs",
    "partenaires du territoire",
    "acteurs locaux",
}


def _compatible(a: list[str], b: list[str]) -> bool:
    """Two lists of porteurs naming the same organisations, one perhaps more precisely ('CSAPA Cédr'Agir');
    'les partenaires' names no one in particular and agrees with any list."""
    a = [x for x in a if not norm(x).startswith("coordination")]
    b = [x for x in b if not norm(x).startswith("coordination")]
    if any(norm(x) in GENERIC_NAMES for x in a + b):
        return True

    def covered(x, others):
        return any(_tokens(x) <= _tokens(y) or _tokens(y) <= _tokens(x) for y in others)

    return all(covered(x, b) for x in a) and all(covered(y, a) for y in b)


def _align(base: list[OpDraft], other: list[OpDraft]) -> list[tuple[int, int]]:
    if len(base) == len(other):
        return [(i, i) for i in range(len(base))]
    pairs, used = [], set()
    for i, op in enumerate(base):
        scores = [(similarity(op.title, o.title), j) for j, o in enumerate(other) if j not in used]
        score, j = max(scores, default=(0.0, None))
        if j is not None and score >= 0.6:
            pairs.append((i, j))
            used.add(j)
    return pairs


def _schedule_pieces(text: str, count: int) -> list[str] | None:
    """'Premier semestre 2026 Premier semestre 2027 Second semestre 2026' → one period per operation."""
    pieces = [p.strip() for p in YEAR_PIECE.findall(text)]
    if count < 2 or len(pieces) != count or "".join(pieces).replace(" ", "") != text.replace(" ", ""):
        return None
    return pieces if all(parse_schedule(p) != (None, None) for p in pieces) else None


def _funding_lines(text: str) -> list[dict]:
    lines = []
    for segment in split_items(text):
        key = norm(segment)
        kind = next((k for k, pattern in FUNDING_KINDS if re.search(pattern, key)), "other")
        lines.append({"kind": kind, "comment": segment[:500]})
    return lines


class _ActionMerger:
    def __init__(
        self, doc: Doc, names: Names, number: int, versions: list[ActionVersion], op_titles: dict, codes: dict
    ):
        self.doc, self.names, self.number, self.versions = doc, names, number, versions
        self.op_titles = op_titles  # action number → its operation titles, to spot a sheet copying another
        self.codes = codes
        sheets = [v for v in versions if v.source == "sheet"]
        tables = [v for v in versions if v.source == "table"]
        self.sheet = sheets[0] if sheets else None
        self.tables = tables
        self.code = codes[number]
        if len(sheets) > 1:
            doc.warn(
                f"{self.code} : la fiche action apparaît {len(sheets)} fois ; la première a été retenue."
            )
            for extra in sheets[1:]:
                doc.keep_aside(f"Fiche {self.code} (doublon)", extra.title, extra.index)

    def title(self) -> str:
        ordered = self.tables + ([self.sheet] if self.sheet else []) + [v for v in self.versions
                                                                          if v.source == "mention"]  # fmt: skip
        titles = [v for v in ordered if v.title]
        if not titles:
            self.doc.warn(f"{self.code} : intitulé de l'action non trouvé.")
            return f"Action {self.code}"
        chosen = next((v for v in titles if not is_caps(v.title)), titles[0])
        for other in titles:
            if other is not chosen and not same_meaning(other.title, chosen.title, 0.85):
                self.doc.warn(
                    f"{self.code} : l'intitulé diffère entre {_source(chosen)} (« {chosen.title} ») et "
                    f"{_source(other)} (« {other.title} ») ; le premier a été retenu."
                )
        return chosen.title

    def operations(self) -> list[OpDraft]:
        candidates = [v for v in ([self.sheet] if self.sheet else []) + self.tables if v.ops]
        if not candidates:
            return []
        first = candidates[0]
        base = [OpDraft(op.title, {k: list(v) for k, v in op.values.items()}) for op in first.ops]
        counts, titles, leads = [], {}, {}
        for other in candidates[1:]:
            if len(other.ops) != len(base):
                counts.append(f"{len(other.ops)} dans {_source(other)}")
            for i, j in _align(base, other.ops):
                self._reconcile(first, base[i], other, other.ops[j], titles.setdefault(i, []),
                                leads.setdefault(i, []))  # fmt: skip
        if counts:
            self.doc.warn(
                f"{self.code} : {len(base)} opération(s) dans {_source(first)}, {', '.join(counts)}."
            )
        for i, differences in titles.items():
            if differences:
                self.doc.warn(
                    f"{self.code}, opération {i + 1} : intitulé « {base[i].title} » dans {_source(first)}, "
                    + " ; ".join(f"« {title} » dans {source}" for source, title in differences)
                    + " ; le premier a été retenu."
                )
        for i, differences in leads.items():
            if differences:
                mine = [n for text in base[i].values.get("leads", []) for n in self.names.leads(text)]
                self.doc.warn(
                    f"{self.code}, opération {i + 1} (« {first_sentences(base[i].title, 60)} ») : porteurs "
                    f"différents — {_source(first)} : {', '.join(mine)} ; "
                    + " ; ".join(f"{source} : {', '.join(names)}" for source, names in differences)
                    + ". Ceux de la première ont été retenus."
                )
        return base

    def _copied(self, title: str) -> str | None:
        for other_key, titles in self.op_titles.items():
            if other_key != self.number and any(same_meaning(title, t, 0.97) for t in titles):
                return self.codes[other_key]
        return None

    def _reconcile(
        self, first, op: OpDraft, other: ActionVersion, other_op: OpDraft, titles: list, leads: list
    ):
        if not same_meaning(op.title, other_op.title, 0.8):
            copied = self._copied(op.title) if first.source == "sheet" else None
            if copied and not self._copied(other_op.title):
                self.doc.warn(
                    f"{self.code} : la fiche reprend l'intitulé d'une opération de {copied} (« {op.title} ») ; "
                    f"celui de {_source(other)} (« {other_op.title} ») a été retenu."
                )
                op.title = other_op.title
            else:
                titles.append((_source(other), other_op.title))
        mine = [n for text in op.values.get("leads", []) for n in self.names.leads(text)]
        theirs = [n for text in other_op.values.get("leads", []) for n in self.names.leads(text)]
        if not mine and theirs:
            op.values["leads"] = list(other_op.values["leads"])
        elif mine and theirs and not _compatible(mine, theirs):
            leads.append((_source(other), theirs))
        for name, values in other_op.values.items():
            if name != "leads" and not op.values.get(name):
                op.values[name] = list(values)

    def build(self) -> dict:
        title = self.title()
        ops = self.operations()
        values = {k: list(v) for k, v in self.sheet.values.items()} if self.sheet else {}
        for version in self.tables:
            for name, items in version.values.items():
                values.setdefault(name, list(items))
        if len(ops) == 1 and self.sheet and self.sheet.ops_from_table:
            for name in OP_FIELDS:  # a one-operation sheet: what follows its table is the operation's
                if name in values and name != "schedule":
                    ops[0].values.setdefault(name, []).extend(values.pop(name))
        self._schedules(values, ops)
        for op in ops:  # the area of a column goes to the action (operations have none)
            values.setdefault("area", []).extend(op.values.pop("area", []))
        action = {"code": self.code, "title": title}
        if values.get("objective_ref"):
            action["objective"] = values["objective_ref"][0]
        context = _join(values.get("context", []))
        if context:
            action["context"] = context
        area = _join(values.get("area", []))
        if area:
            action["area"] = area.replace("\n\n", " ; ")
        action.update(self._work(values))
        action["operations"] = [self._operation(op) for op in ops]
        action.update(self._lists(values))
        action.update(self._details(values, ops))
        return {k: v for k, v in action.items() if v not in ("", [], None) or k in {"operations"}}

    def _choice(self, values: dict, name: str, read) -> str:
        """A status, priority or participation level as written → its code; unread wording kept aside."""
        for text in values.get(name, []):
            code = read(text)
            if code:
                return code
            self.doc.warn(
                f"{self.code} : {LABELS[name][0].lower()} « {text} » non reconnu ; à saisir après l'import."
            )
            self.doc.keep_aside(f"Fiche {self.code}", f"{LABELS[name][0]} : {text}", self.versions[0].index)
        return ""

    def _details(self, values: dict, ops: list[OpDraft]) -> dict:
        """Per-fiche status, priority, participation and governance: carried to the contract JSON's
        extensions by extract_contract (key "details", removed from the action there)."""
        details = {
            "status": self._choice(values, "status", status_of),
            "priority": self._choice(values, "priority", priority_of),
            "participation": self._choice(values, "participation", participation_of),
            "governance_text": _join(values.get("governance_text", [])),
        }
        statuses = []
        for position, op in enumerate(ops):
            code = self._choice(op.values, "status", status_of)
            if code:
                statuses.append({"operation": position, "status": code})
        if statuses:
            details["operation_statuses"] = statuses
        details = {k: v for k, v in details.items() if v}
        return {"details": details} if details else {}

    def _schedules(self, values: dict, ops: list[OpDraft]) -> None:
        kept = []
        for text in values.get("schedule", []):
            pieces = _schedule_pieces(text, len(ops))
            if not pieces:
                kept.append(text)
                continue
            for op, piece in zip(ops, pieces, strict=True):
                current = op.values.get("schedule", [])
                if current and parse_schedule(current[0]) == (None, None):
                    self.doc.warn(
                        f"{self.code} : calendrier illisible « {current[0]} » remplacé par « {piece} », "
                        "lu plus loin dans la fiche."
                    )
                    op.values["schedule"] = [piece]
                elif not current:
                    op.values["schedule"] = [piece]
        values["schedule"] = kept
        if (
            kept
            and not values.get("area")
            and all(parse_schedule(t) == (None, None) and not re.search(r"(?:19|20)\d\d", t) for t in kept)
        ):
            self.doc.warn(
                f"{self.code} : « {kept[0]} » suit l'intitulé « Calendrier » mais décrit un lieu ; "
                "il a été rangé en secteur géographique."
            )
            values["area"], values["schedule"] = kept, []

    def _work(self, values: dict) -> dict:
        work = {}
        for name in TEXT_FIELDS:
            joined = _join(values.get(name, []))
            if joined:
                work[name] = joined
        schedules = values.get("schedule", [])
        readable = [s for s in schedules if parse_schedule(s) != (None, None)]
        if schedules:
            if readable and readable[0] != schedules[0]:
                self.doc.warn(
                    f"{self.code} : calendrier illisible « {schedules[0]} » remplacé par « {readable[0]} »."
                )
            work["schedule"] = (readable or schedules)[0][:300]
            start, end = parse_schedule(work["schedule"])
            if start:
                work["start_date"] = start.isoformat()
            if end:
                work["end_date"] = end.isoformat()
        for name, side in (("start_date", 0), ("end_date", 1)):
            for text in values.get(name, []):  # "Date de début : 01/03/2026", TeT's columns
                found = parse_schedule(text)[side] or parse_schedule(text)[1 - side]
                if found and not (schedules and name in work):
                    work[name] = found.isoformat()
                    break
        if "schedule" not in work and ("start_date" in work or "end_date" in work):
            shown = [values[n][0] for n in ("start_date", "end_date") if values.get(n)]
            work["schedule"] = " – ".join(shown)[:300]
        leads = [n for text in values.get("leads", []) for n in self.names.leads(text)]
        partners = [n for text in values.get("partners", []) for n in self.names.partners(text)]
        if leads:
            work["leads"] = list(dict.fromkeys(leads))
        if partners:
            work["partners"] = list(dict.fromkeys(partners))
        return work

    @staticmethod
    def _lists(values: dict) -> dict:
        deliverables = [
            {"text": t} for t in dict.fromkeys(split_items(_join(values.get("deliverables", []))))
        ]
        indicators = [
            {"label": label[:500], "kind": kind, **suggested_fields(label)}
            for kind in ("process", "result")
            for label in dict.fromkeys(split_items("\n".join(values.get(kind, []))))
        ]
        funding = _funding_lines(_join(values.get("funding_text", [])))
        return {"deliverables": deliverables, "indicators": indicators, "funding_lines": funding}

    def _operation(self, op: OpDraft) -> dict:
        data = {"title": op.title}
        data.update(self._work(op.values))
        data.update(self._lists(op.values))
        return {k: v for k, v in data.items() if v not in ("", [], None)}


def _sort_key(key: str) -> tuple:
    if key.startswith("~"):  # a fiche without a number: after the numbered ones, in document order
        return (999,)
    return tuple(int(p) if p.isdigit() else 0 for p in key.split("."))


def _duplicate_contents(doc: Doc, actions: list[dict]) -> None:
    """004 copied an operation's whole column from another sheet: same publics, porteurs, indicators…"""
    seen: dict[tuple, str] = {}
    for action in actions:
        for position, op in enumerate(action.get("operations", []), start=1):
            fields = ("target_publics", "leads", "partners", "funding_text", "indicators")
            signature = tuple(str(op.get(f, "")) for f in fields)
            if sum(1 for s in signature if s not in ("", "[]")) < 3:
                continue
            label = f"{action['code']}, opération {position}"
            if signature in seen and not seen[signature].startswith(action["code"] + ","):
                doc.warn(
                    f"{label} : publics, porteurs, partenaires, financement et indicateurs identiques à "
                    f"{seen[signature]} (copier-coller dans le document ?)."
                )
            seen.setdefault(signature, label)


def _groups(versions: list[ActionVersion]) -> list[list[ActionVersion]]:
    """The versions of each action: same code; an undotted code ('Action 1') restarts in each axis, and a
    synthesis row without axis joins the version with the same title."""
    groups: list[list[ActionVersion]] = []

    def home(version: ActionVersion, *, by_axis: bool) -> list[ActionVersion] | None:
        same = [g for g in groups if g[0].key == version.key]
        if "." in version.key or not same:
            return same[0] if same else None
        if by_axis:
            return next((g for g in same if g[0].axis_key == version.axis_key), None)
        titled = (g for g in same if any(v.title and same_meaning(v.title, version.title, 0.85) for v in g))
        return next(titled, same[0])

    placed_first = [v for v in versions if "." in v.key or v.axis_key]
    for version in placed_first + [v for v in versions if v not in placed_first]:
        group = home(version, by_axis=version in placed_first)
        if group is None:
            groups.append([version])
        else:
            group.append(version)
    for group in groups:
        group.sort(key=lambda v: v.index)
    return sorted(groups, key=lambda g: g[0].index)


def merge_plan(
    doc: Doc, names: Names, axis_versions: list[AxisVersion], versions: list[ActionVersion]
) -> list:
    axes: dict[str, dict] = {}
    for key in dict.fromkeys(v.key for v in axis_versions):
        group = [v for v in axis_versions if v.key == key]
        chosen = next((v for v in group if not is_caps(v.title)), group[0])
        others = [v for v in group if v is not chosen and not same_meaning(v.title, chosen.title, 0.9)]
        if others:
            doc.warn(
                f"Axe {key} : intitulés différents — « {chosen.title} » ({first_sentences(chosen.where, 60)}) ; "
                + " ; ".join(f"« {v.title} » ({first_sentences(v.where, 60)})" for v in others)
                + " ; le premier a été retenu."
            )
        axis = {"code": chosen.code, "title": chosen.title}
        description = next((v.description for v in group if v.description), "")
        objectives = next((v.objectives for v in group if v.objectives), [])
        for other in group:  # objectives read in a table's "Sous-axe" cells join the axis's list
            for objective in other.objectives:
                if objective not in objectives:
                    objectives.append(objective)
        if description:
            axis["description"] = description
        if objectives:
            axis["objectives"] = objectives
        axis["actions"] = []
        axes[key] = axis

    groups = _groups(versions)
    op_titles: dict[int, list[str]] = {}
    codes: dict[int, str] = {}
    for number, group in enumerate(groups):
        op_titles[number] = [op.title for version in group for op in version.ops]
        codes[number] = next((v.code for v in group if v.code.startswith("FA")), group[0].code)
    placed = []
    for number, group in enumerate(groups):
        key = group[0].key
        action = _ActionMerger(doc, names, number, group, op_titles, codes).build()
        axis_key = next((v.axis_key for v in group if v.axis_key), None)
        if "." in key and not key.startswith("~"):
            axis_key = key.split(".")[0]
        if axis_key is None:
            axis_key = next(iter(axes), "")
        if axis_key not in axes:
            label = f"Axe {axis_key}" if axis_key else "Plan d'actions"
            doc.warn(
                f"{action['code']} : son axe n'est pas décrit dans le document ; « {label} » a été créé."
            )
            axes[axis_key] = {"code": axis_key, "title": label, "actions": []}
        placed.append((axis_key, key, action))
    for axis_key, _key, action in sorted(placed, key=lambda p: _sort_key(p[1])):
        axes[axis_key]["actions"].append(action)
    seen: set[str] = set()
    for axis in axes.values():
        for action in axis["actions"]:
            if not action.get("code"):
                continue
            if action["code"] in seen:  # "Action 1" in each axis: a contract's codes must differ
                doc.warn(
                    f"Deux fiches actions portent le code « {action['code']} » ; celui de « {action['title']} » "
                    "a été laissé vide (numérotez-la dans le contrat)."
                )
                action.pop("code")
            else:
                seen.add(action["code"])
    _duplicate_contents(doc, [a for axis in axes.values() for a in axis["actions"]])
    return sorted(axes.values(), key=lambda a: _sort_key(a["code"]) if a["code"] else (999,))
