"""A corpus of plans in other layouts than the seeds' (issue 17), built in code so that each document
comes with the structure it must give.

Most documents are generated from the seeds' own fiches (the hand-verified fixtures
expected_003.json and expected_004.json: axes, codes, titles, porteurs, partners, publics) written
out in a layout other coordinators use, with the labels they use; statuses, priorities and dates
are added per fiche. Two are written by hand. Every territory is one of the seeds'.

    for document in CORPUS: document.build() → bytes, document.filename, document.expected
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Wordings per status / priority code, taken in turn, so the corpus covers the vocabulary.
STATUSES = [
    ("En cours", "in_progress"), ("Terminée", "done"), ("À venir", "not_started"), ("Reportée", "postponed"),
    ("Non démarrée", "not_started"), ("Réalisé", "done"), ("En retard", "in_progress"), ("Abandonnée", "abandoned"),
]  # fmt: skip
PRIORITIES = [
    ("Haute", "high"),
    ("Moyenne", "medium"),
    ("Basse", "low"),
    ("Prioritaire", "high"),
    ("Faible", "low"),
]
PERIODS = [
    ("du 1er mars 2026 au 30 juin 2027", "2026-03-01", "2027-06-30"),
    ("du 01/09/2025 au 31/12/2026", "2025-09-01", "2026-12-31"),
    ("Du 15 janvier 2026 au 31 décembre 2028", "2026-01-15", "2028-12-31"),
    ("de septembre 2026 à juin 2027", "2026-09-01", "2027-06-30"),
    ("2025-2028", "2025-01-01", "2028-12-31"),
]
# 003's fiches name no porteur: organisations its text names are used in turn.
LENS_LEADS = [
    ["Communauté d'Agglomération de Lens-Liévin"], ["Centre Hospitalier de Lens"],
    ["Conseil Départemental du Pas-de-Calais"], ["CPAM Artois", "Communauté d'Agglomération de Lens-Liévin"],
]  # fmt: skip
LENS_PARTNERS = [["Education Nationale", "CPAM Artois"], ["Centre Hospitalier de Lens"], []]
LENS_PUBLICS = ["Habitants de l'agglomération", "Jeunes de 12 à 25 ans", "Professionnels de santé", ""]


@dataclass
class Fiche:
    axis: str  # axis code
    axis_title: str
    code: str  # as printed in the document ("FA 1.1", "1.1")
    title: str
    leads: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    publics: str = ""
    status: tuple[str, str] | None = None  # (as written, code)
    priority: tuple[str, str] | None = None
    period: tuple[str, str, str] | None = None  # (as written, start, end)

    def expected(self, *, axis: bool = True, code: str | None = None) -> dict:
        """What the importer must give for this fiche (a field absent here is not scored)."""
        data = {"code": self.code if code is None else code, "title": self.title}
        if axis:
            data["axis"] = self.axis
        if self.leads:
            data["leads"] = self.leads
        if self.partners:
            data["partners"] = self.partners
        if self.publics:
            data["target_publics"] = self.publics
        if self.status:
            data["status"] = self.status[1]
        if self.priority:
            data["priority"] = self.priority[1]
        if self.period:
            data["start_date"], data["end_date"] = self.period[1], self.period[2]
        return {k: v for k, v in data.items() if v is not None}


@cache
def seed_fiches(seed: str) -> tuple[Fiche, ...]:
    data = json.loads((FIXTURES / f"expected_{seed}.json").read_text(encoding="utf-8"))
    fiches = []
    for axis in data["contract"]["axes"]:
        for action in axis["actions"]:
            n = len(fiches)
            operations = action.get("operations") or []
            if seed == "004":
                leads = list(dict.fromkeys(name for op in operations[:1] for name in op.get("leads") or []))
                partners = list(
                    dict.fromkeys(name for op in operations[:1] for name in op.get("partners") or [])
                )
                publics = next((op["target_publics"] for op in operations if op.get("target_publics")), "")
            else:
                leads, partners, publics = LENS_LEADS[n % 4], LENS_PARTNERS[n % 3], LENS_PUBLICS[n % 4]
            fiches.append(
                Fiche(
                    axis=axis["code"],
                    axis_title=axis["title"],
                    code=action["code"],
                    title=action["title"],
                    leads=leads,
                    partners=partners,
                    publics=publics,
                    status=STATUSES[n % len(STATUSES)],
                    priority=PRIORITIES[n % len(PRIORITIES)],
                    period=PERIODS[n % len(PERIODS)],
                )  # fmt: skip
            )
    return tuple(fiches)


# ---------------------------------------------------------------- a document as elements

# ("h", level, text) heading, ("p", text) paragraph, ("b", text) bullet, ("t", rows) table whose
# first row is its header in Markdown and HTML.

LENS_COVER = [
    ("h", 1, "Contrat local de santé de la Communauté d'Agglomération de Lens-Liévin"),
    ("p", "2025 - 2028"),
    ("p", "Entre la Communauté d'Agglomération de Lens-Liévin, représentée par son Président, et l'Agence "
          "Régionale de Santé Hauts-de-France, représentée par son Directeur général."),
]  # fmt: skip
MELANTOIS_COVER = [
    ("h", 1, "Contrat local de santé intercommunal de la Marque et du Mélantois"),
    ("p", "2025 - 2028"),
    ("p", "Le territoire compte huit communes : Baisieux, Bouvines, Forest-sur-Marque, Gruson, "
          "Péronne-en-Mélantois, Sainghin-en-Mélantois, Villeneuve d'Ascq et Willems."),
]  # fmt: skip


def _names(names: list[str]) -> str:
    return ", ".join(names)


def label_tables(fiches, labels: dict[str, str]) -> list:
    """One heading per axis, one 'Fiche action' heading per fiche and a two-column label/value table."""
    elements, axis = [], None
    for fiche in fiches:
        if fiche.axis != axis:
            axis = fiche.axis
            elements.append(("h", 2, f"Axe {fiche.axis} : {fiche.axis_title}"))
        elements.append(("h", 3, f"Fiche action {fiche.code.removeprefix('FA ')} : {fiche.title}"))
        elements.append(("t", _field_rows(fiche, labels)))
    return elements


def _field_rows(fiche: Fiche, labels: dict[str, str]) -> list[list[str]]:
    values = {
        "leads": _names(fiche.leads), "partners": _names(fiche.partners), "publics": fiche.publics,
        "status": fiche.status[0] if fiche.status else "", "priority": fiche.priority[0] if fiche.priority else "",
        "period": fiche.period[0] if fiche.period else "",
    }  # fmt: skip
    return [[label, values[key]] for key, label in labels.items() if values.get(key)]


def label_paragraphs(
    fiches, labels: dict[str, str], *, heading: str, bullets: bool = False, axes: bool = True
):
    """Axis headings, a heading per fiche (`heading` formats it), then 'Label : value' lines."""
    elements, axis = [], None
    for number, fiche in enumerate(fiches, start=1):
        if axes and fiche.axis != axis:
            axis = fiche.axis
            elements.append(("h", 2, f"Orientation stratégique {fiche.axis} : {fiche.axis_title}"))
        code = fiche.code.removeprefix("FA ")
        elements.append(("h", 3, heading.format(code=code, number=number, title=fiche.title)))
        for label, value in _field_rows(fiche, labels):
            elements.append(("b" if bullets else "p", f"{label} : {value}"))
    return elements


def big_table(fiches, columns: dict[str, str]) -> list:
    """One table, a row per fiche, the header naming the fields."""
    rows = [list(columns.values())]
    for fiche in fiches:
        values = {
            "code": fiche.code.removeprefix("FA "), "axis": f"Axe {fiche.axis} : {fiche.axis_title}",
            "title": fiche.title, "leads": _names(fiche.leads), "partners": _names(fiche.partners),
            "publics": fiche.publics, "status": fiche.status[0] if fiche.status else "",
            "priority": fiche.priority[0] if fiche.priority else "", "period": fiche.period[0] if fiche.period else "",
            "start": fiche.period[1][8:] + "/" + fiche.period[1][5:7] + "/" + fiche.period[1][:4] if fiche.period else "",
            "end": fiche.period[2][8:] + "/" + fiche.period[2][5:7] + "/" + fiche.period[2][:4] if fiche.period else "",
        }  # fmt: skip
        rows.append([values[key] for key in columns])
    return [("h", 2, "Plan d'actions"), ("t", rows)]


def standalone_tables(fiches, labels: dict[str, str]) -> list:
    """No heading at all: each fiche is a table whose first rows give its axis, number and title."""
    elements = [("h", 2, "Les fiches actions")]
    for fiche in fiches:
        rows = [
            ["Axe stratégique", f"Axe {fiche.axis} : {fiche.axis_title}"],
            ["N° de fiche", fiche.code.removeprefix("FA ")],
            ["Intitulé de l'action", fiche.title],
            *_field_rows(fiche, labels),
        ]
        elements.append(("t", rows))
        elements.append(("p", ""))
    return elements


# ---------------------------------------------------------------- writers


def to_markdown(elements) -> bytes:
    lines = []
    for element in elements:
        if element[0] == "h":
            lines += ["#" * element[1] + " " + element[2], ""]
        elif element[0] == "p":
            lines += [element[1], ""] if element[1] else []
        elif element[0] == "b":
            lines.append(f"- {element[1]}")
        else:
            rows = element[1]
            lines.append("| " + " | ".join(rows[0]) + " |")
            lines.append("|" + "---|" * len(rows[0]))
            lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows[1:]]
            lines.append("")
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_docx(elements) -> bytes:
    import io

    import docx

    document = docx.Document()
    for element in elements:
        if element[0] == "h":
            document.add_heading(element[2], level=element[1])
        elif element[0] == "p":
            document.add_paragraph(element[1])
        elif element[0] == "b":
            document.add_paragraph(element[1], style="List Bullet")
        else:
            rows = element[1]
            table = document.add_table(rows=0, cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for row in rows:
                cells = table.add_row().cells
                for index, value in enumerate(row):
                    cells[index].text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_html(elements) -> str:
    from html import escape

    parts = ["<html><head><meta charset='utf-8'><style>body{font-family:sans-serif;font-size:10pt}"
             "h1{font-size:18pt}h2{font-size:15pt}h3{font-size:13pt}table{border-collapse:collapse;width:100%}"
             "td,th{border:1px solid #000;padding:3px;vertical-align:top;text-align:left;font-weight:normal}"
             "</style></head><body>"]  # fmt: skip
    in_list = False
    for element in elements:
        if element[0] == "b" and not in_list:
            parts.append("<ul>")
            in_list = True
        elif element[0] != "b" and in_list:
            parts.append("</ul>")
            in_list = False
        if element[0] == "h":
            parts.append(f"<h{element[1]}>{escape(element[2])}</h{element[1]}>")
        elif element[0] == "p":
            parts.append(f"<p>{escape(element[1])}</p>" if element[1] else "")
        elif element[0] == "b":
            parts.append(f"<li>{escape(element[1])}</li>")
        else:
            parts.append("<table>")
            for row in element[1]:
                parts.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>")
            parts.append("</table>")
    parts.append("</ul>" if in_list else "")
    return "".join(parts) + "</body></html>"


def to_pdf(elements) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=to_html(elements)).write_pdf()


WRITERS = {"md": to_markdown, "docx": to_docx, "pdf": to_pdf}


_BUILT: dict[str, bytes] = {}


@dataclass(frozen=True)
class CorpusDocument:
    name: str
    layout: str  # said in French, for the bench
    fmt: str  # "md", "docx" or "pdf"
    elements: tuple
    expected: tuple[dict, ...]  # the fiches, in order, with the fields they must have

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.fmt}"

    def build(self) -> bytes:
        if self.name not in _BUILT:
            _BUILT[self.name] = WRITERS[self.fmt](list(self.elements))
        return _BUILT[self.name]
