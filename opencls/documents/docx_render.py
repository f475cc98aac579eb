"""The contract document as DOCX (python-docx), same content and words as the PDF."""

import io
import re

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt, RGBColor

from opencls.monitoring.docx_report import ROW_LABEL_FILL, _shade

BLUE_FRANCE = RGBColor(0x00, 0x00, 0x91)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^\s*[-•*]\s+(.*)$")
_HEADING = re.compile(r"^#{1,3}\s+(.*)$")


def _runs(paragraph, text: str) -> None:
    """Text with **bold** segments."""
    for index, part in enumerate(_BOLD.split(text)):
        if part:
            paragraph.add_run(part).bold = index % 2 == 1


def add_markup(document, text: str) -> None:
    """The articles' small markup: blank line = paragraph, "- " bullets, "## " headings, **bold**."""
    lines: list[str] = []

    def flush():
        if lines:
            _runs(document.add_paragraph(), "\n".join(lines))
            lines.clear()

    for raw in (text or "").splitlines():
        if not raw.strip():
            flush()
        elif bullet := _BULLET.match(raw):
            flush()
            _runs(document.add_paragraph(style="List Bullet"), bullet[1])
        elif heading := _HEADING.match(raw):
            flush()
            document.add_heading(heading[1], level=3)
        else:
            lines.append(raw.rstrip())
    flush()


def _heading(document, text: str, level: int):
    heading = document.add_heading(text, level=level)
    for run in heading.runs:
        run.font.color.rgb = BLUE_FRANCE
    return heading


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _row(table, label: str, value: str) -> None:
    cells = table.add_row().cells
    cells[0].text = label
    cells[0].paragraphs[0].runs[0].bold = True
    _shade(cells[0], ROW_LABEL_FILL)
    cells[1].text = value or "—"


def fiche_table(document, action, axis) -> None:
    _heading(document, _("Fiche action %(action)s") % {"action": action}, 2)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    rows = [
        (_("Axe stratégique"), str(axis)),
        (_("Objectif"), str(action.objective) if action.objective else ""),
        (_("Contexte et enjeux"), action.context),
        (_("Descriptif"), action.description),
        (_("Publics cibles"), action.target_publics),
        (_("Secteur géographique"), action.area),
        (_("Porteur pilote"), ", ".join(str(o) for o in action.leads)),
        (_("Partenaires"), ", ".join(str(o) for o in action.partners)),
        (_("Calendrier"), action.schedule),
        (
            _("Opérations"),
            "\n".join(
                f"• {o.title}" + (f" — {', '.join(str(x) for x in o.leads)}" if o.leads else "")
                for o in action.operations.all()
            ),
        ),
        (_("Livrables attendus"), "\n".join(f"• {d.text}" for d in action.deliverables.all())),
        (
            _("Indicateurs d'évaluation"),
            "\n".join(f"• {i.label} ({i.get_kind_display()})" for i in action.indicators.all()),
        ),
        (_("Financement"), action.funding_text),
    ]
    for label, value in rows:
        if value or label in (_("Porteur pilote"), _("Calendrier")):
            _row(table, label, value)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(12.5)


def _new_document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    return document


def contract_docx(doc) -> bytes:
    contract = doc.contract
    document = _new_document()
    for _line in range(6):
        document.add_paragraph()
    kind = document.add_paragraph(contract.get_kind_display().upper())
    kind.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = _heading(document, contract.title, 0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    territory = document.add_paragraph(str(contract.territory))
    territory.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if contract.start_date and contract.end_date:
        period = document.add_paragraph(f"{contract.start_date.year} – {contract.end_date.year}")
        period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_break(document)

    _heading(document, _("Entre les parties"), 1)
    for index, party in enumerate(doc.parties):
        paragraph = document.add_paragraph()
        if index:
            paragraph.add_run(_("et") + "\n").italic = True
        paragraph.add_run(party.name).bold = True
        paragraph.add_run(party.represented)
    document.add_paragraph().add_run(_("Il est convenu ce qui suit :")).bold = True

    _heading(document, _("Sommaire"), 1)
    for line in [
        _("Préambule"),
        *(_("Article %(number)s : %(title)s") % {"number": a.number, "title": a.title} for a in doc.articles),
        _("Annexe 1 : plan d'actions"),
        _("Annexe 2 : fiches actions"),
        _("Signatures"),
    ]:
        document.add_paragraph(line, style="List Bullet")
    _page_break(document)

    from opencls.documents.contract_document import L1434_10

    _heading(document, _("Préambule"), 1)
    for reference in doc.references:
        document.add_paragraph(reference)
    document.add_paragraph(L1434_10)
    if contract.summary:
        document.add_paragraph(contract.summary)

    for article in doc.articles:
        _heading(
            document,
            _("Article %(number)s : %(title)s") % {"number": article.number, "title": article.title},
            1,
        )
        add_markup(document, article.body)

    _page_break(document)
    _heading(document, _("Annexe 1 : plan d'actions"), 1)
    for item in doc.axes:
        _heading(document, str(item.axis), 2)
        if not item.actions:
            document.add_paragraph(_("Aucune fiche action dans cet axe."))
            continue
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, label in zip(
            table.rows[0].cells,
            [_("Intitulé de l'action"), _("Intitulé des opérations"), _("Porteur(s)")],
            strict=True,
        ):
            cell.text = label
            cell.paragraphs[0].runs[0].bold = True
            _shade(cell, ROW_LABEL_FILL)
        for action in item.actions:
            cells = table.add_row().cells
            cells[0].text = str(action)
            cells[1].text = "\n".join(f"• {o.title}" for o in action.operations.all()) or "—"
            cells[2].text = ", ".join(str(o) for o in action.leads) or "—"

    _page_break(document)
    _heading(document, _("Annexe 2 : fiches actions"), 1)
    for item in doc.axes:
        for action in item.actions:
            fiche_table(document, action, item.axis)

    _page_break(document)
    _heading(document, _("Signatures"), 1)
    document.add_paragraph(_("Fait à ……………………………, le ……………………………"))
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = _("Signataire et représentant")
    table.rows[0].cells[1].text = _("Signature")
    for party in doc.parties:
        cells = table.add_row().cells
        lines = [party.name]
        representative = " ".join(
            filter(None, [party.signatory.representative_title, party.signatory.representative])
        )
        if representative:
            lines.append(representative)
        if party.deliberation is not None:
            lines.append(
                _("Autorisé par la délibération %(deliberation)s") % {"deliberation": party.deliberation_text}
            )
        cells[0].text = "\n".join(lines)
        cells[0].paragraphs[0].runs[0].bold = False
        cells[1].text = "\n\n\n"
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
