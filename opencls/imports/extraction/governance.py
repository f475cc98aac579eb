"""The governance article → the bodies it sets up (issue 17): COPIL, COTECH and working groups, with
their missions, their co-chairs and members where the text names them, and how often they meet.
The result is `extensions.governance.bodies` of the contract JSON (opencls/governance/io.py)."""

import re

from opencls.imports.extraction.document import Doc
from opencls.imports.extraction.organisations import Names
from opencls.imports.extraction.parties import organisation_kind
from opencls.imports.extraction.text import count_word, norm, strip_article
from opencls.imports.readers.blocks import HEADING

BODIES = [  # (kind, name, how the text names it, folded)
    ("steering", "Comité de pilotage", r"comite de pilotage|\bcopil\b"),
    ("technical", "Comité technique", r"comite technique|\bcotech\b"),
    ("working_group", "Groupes de travail", r"groupes? de travail"),
]
ARTICLE = re.compile(r"^(?:#+\s*)?\**\s*article\s+\d+")
CO_CHAIRS = re.compile(
    r"\b(?:co-?pr[ée]sid[ée]e?|co-?anim[ée]e?|co-?pilot[ée]e?)s?\s+(?:conjointement\s+)?par\s+(?P<list>[^.;]+)",
    re.IGNORECASE,
)
CHAIR = re.compile(r"\bpr[ée]sid[ée]e?\s+par\s+(?P<list>[^.;]+)", re.IGNORECASE)
MEETINGS = re.compile(r"au\s+(?:minimum|moins)\s+(?P<n>\w+)\s+fois\s+par\s+an", re.IGNORECASE)
ALL_SIGNATORIES = re.compile(
    r"(?:membres?\s+de\s+droit\s+l['’]ensemble\s+des\s+signataires|compos[ée]e?\s+des\s+(?:membres\s+)?signataires"
    r"|des\s+diff[ée]rents\s+signataires|l['’]ensemble\s+des\s+signataires)",
    re.IGNORECASE,
)
ANNUAL_EVALUATION = re.compile(
    r"(?:r[ée]union\s+annuelle\s+du\s+(?:copil|comit[ée]\s+de\s+pilotage)[^.]*[ée]valuation"
    r"|(?:copil|comit[ée]\s+de\s+pilotage)[^.]*[ée]valuation\s+annuelle)",
    re.IGNORECASE,
)
MAYOR = re.compile(r"^(?:le\s+ou\s+la\s+|la\s+|le\s+)?maire\s+d[e']\s*(?P<town>.+)$", re.IGNORECASE)


def _body_of(text: str) -> int | None:
    """Which body a heading or a paragraph's opening words name."""
    key = norm(text)[:120]
    for index, (_kind, _name, pattern) in enumerate(BODIES):
        if re.search(pattern, key):
            return index
    return None


def _section(doc: Doc) -> tuple[int, int] | None:
    """Blocks of the governance article: from its title to the next article."""
    best = None
    for i, block in enumerate(doc.blocks):
        if (
            block.kind == "table"
            or block.bullet
            or "gouvernance" not in doc.norms[i]
            or len(block.text) > 120
        ):
            continue
        titled = doc.is_marker(i) or (
            i and ARTICLE.match(doc.norms[i - 1]) and len(doc.blocks[i - 1].text) <= 30
        )
        if not titled:
            continue
        end = i + 1
        while end < len(doc):
            other = doc.blocks[end]
            if other.kind != "table" and ARTICLE.match(doc.norms[end]):
                break
            if block.kind == HEADING and other.kind == HEADING and other.level <= block.level:
                break
            end += 1
        found = {_body_of(doc.text(j)) for j in range(i + 1, end) if doc.is_paragraph(j) or doc.is_marker(j)}
        found.discard(None)
        if found and (best is None or len(found) > best[2]):
            best = (i, end, len(found))
    return (best[0], best[1]) if best else None


def _signatory_named(name: str, signatories: list[str], names: Names) -> str | None:
    resolved = names.resolve(name)
    if resolved in signatories:
        return resolved

    def key(text: str) -> str:
        return re.sub(r"[\s\-'’]+", "", norm(strip_article(text)))

    wanted = key(name)
    matching = [s for s in signatories if wanted and (wanted in key(s) or key(s) in wanted)]
    return matching[0] if len(matching) == 1 else None


def _people(text: str, signatories: list[str], names: Names, body: dict, role: str) -> list[dict]:
    members = []
    for item in re.split(r"\s*,\s*|\s+et\s+(?=(?:l['’]|le\b|la\b|les\b|un\b|une\b|[A-Z]))", text.strip()):
        item = item.strip(" .")
        if not item:
            continue
        if re.search(r"\bparmi\b|d[ée]sign[ée]", item, re.IGNORECASE):
            body["rotating_co_chair"] = True  # "un maire désigné parmi les sept autres communes"
            continue
        title = ""
        if mayor := MAYOR.match(item):
            title, item = "Maire", mayor["town"]
        organisation = _signatory_named(item, signatories, names)
        if organisation is None and not signatories:  # no preamble read: a name that says what it is
            candidate = strip_article(item)
            if organisation_kind(candidate) != "other" and len(candidate) > 3:
                organisation = candidate
        if organisation:
            members.append(
                {"organisation": organisation, "role": role, **({"title": title} if title else {})}
            )
    return members


def extract_governance(doc: Doc, signatories: list[str], names: Names) -> list[dict]:
    section = _section(doc)
    if section is None:
        return []
    start, end = section
    texts: dict[int, list[tuple[int, str]]] = {}
    current = None
    for j in range(start + 1, end):
        block = doc.blocks[j]
        if block.kind == "table":
            continue
        named = _body_of(block.text)
        if doc.is_marker(j):
            current = named
            if named is not None:
                doc.consume(j)
            continue
        if named is not None and re.match(
            r"^(?:le|la|les|l['’]|un|une|des)?\s*(?:\w+\s+){0,2}", norm(block.text)
        ):
            opening = norm(block.text)[:60]
            if re.match(rf"^(?:le |la |les |l')?(?:{BODIES[named][2]})", opening):
                current = named
        if current is not None:
            texts.setdefault(current, []).append((j, f"- {block.text}" if block.bullet else block.text))
    full_text = " ".join(b.text for b in doc.blocks if b.kind != "table")
    bodies = []
    for index in sorted(texts):
        kind, name, _pattern = BODIES[index]
        paragraphs = texts[index]
        description = "\n".join(text for _j, text in paragraphs)
        body = {"kind": kind, "name": name, "description": description}
        if meeting := MEETINGS.search(description):
            body["min_meetings_per_year"] = count_word(meeting["n"]) or 0
        if kind == "steering" and ANNUAL_EVALUATION.search(full_text):
            body["requires_annual_evaluation"] = True
        members = []
        if found := CO_CHAIRS.search(description):
            members += _people(found["list"], signatories, names, body, "co_chair")
        elif found := CHAIR.search(description):
            members += _people(found["list"], signatories, names, body, "chair")
        if ALL_SIGNATORIES.search(description):
            chairs = {m["organisation"] for m in members}
            members += [{"organisation": s, "role": "member"} for s in signatories if s not in chairs]
        if members:
            body["members"] = members
        bodies.append(body)
        doc.consume(*(j for j, _text in paragraphs))
    return bodies
