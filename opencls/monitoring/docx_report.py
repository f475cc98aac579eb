"""The annual evaluation as a DOCX, for partners who annotate it before the COPIL.

Same content and words as the PDF (reports.py); charts go in as PNG, each followed by its
summary sentence, since a word processor document cannot hold SVG.
"""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from opencls.monitoring.reports import EvaluationReportData, format_date, format_period_row

BLUE_FRANCE = RGBColor(0x00, 0x00, 0x91)
ROW_LABEL_FILL = "E3E3FD"  # DSFR blue-france-925, the fiche's row labels


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _lines(cell, lines: list[str], *, bold_first: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines or ["—"]):
        if index:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(line)
        run.font.size = Pt(9)
        run.bold = bold_first and index == 0


def _chart(document, block, width_cm: float = 16) -> None:
    document.add_picture(io.BytesIO(block.chart.to_png()), width=Cm(width_cm))
    caption = document.add_paragraph(block.chart.summary)
    caption.runs[0].font.size = Pt(8)
    caption.runs[0].italic = True


def _heading(document, text: str, level: int) -> None:
    heading = document.add_heading(text, level=level)
    for run in heading.runs:
        run.font.color.rgb = BLUE_FRANCE


def build_document(report: EvaluationReportData) -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)

    _heading(document, report.title, 0)
    if report.approval:
        document.add_paragraph(report.approval)
    document.add_paragraph(
        _(
            "Situation au %(date)s. Document présenté au comité de pilotage, généré par OpenCLS le %(generated)s."
        )
        % {"date": format_date(report.as_of), "generated": format_date(report.generated_on)}
    )

    _heading(document, _("Sommaire"), 1)
    for line in [
        _("Synthèse"),
        _("Chiffres clés"),
        *(str(axis.axis) for axis in report.axes),
        _("Budget"),
        _("Gouvernance"),
    ]:
        document.add_paragraph(line, style="List Number")
    document.add_page_break()

    _heading(document, _("Synthèse"), 1)
    for paragraph in (report.synthesis or _("Aucune synthèse rédigée.")).split("\n"):
        document.add_paragraph(paragraph)

    _heading(document, _("Chiffres clés"), 1)
    met, with_target = report.indicator_totals
    done, deliverables = report.deliverable_totals
    for line in [
        *(f"{label} : {count}" for _status, label, count in report.status_totals),
        _("Cibles d'indicateurs atteintes : %(met)s sur %(total)s") % {"met": met, "total": with_target},
        _("Livrables réalisés : %(done)s sur %(total)s") % {"done": done, "total": deliverables},
    ]:
        document.add_paragraph(line, style="List Bullet")
    _chart(document, report.status_chart)

    for axis in report.axes:
        _heading(document, str(axis.axis), 1)
        if not axis.actions:
            document.add_paragraph(_("Aucune fiche action dans cet axe."))
        for action in axis.actions:
            _action(document, report, action)
    _budget(document, report)
    _governance(document, report)
    return document


def _budget(document, report: EvaluationReportData) -> None:
    from opencls.core.templatetags.opencls_tags import euros

    _heading(document, _("Budget"), 1)
    budget = report.budget
    document.add_paragraph(
        _("En %(year)s : %(planned)s prévus, %(granted)s accordés, %(spent)s dépensés.")
        % {
            "year": report.year,
            "planned": euros(budget.year_total["planned"]),
            "granted": euros(budget.year_total["granted"]),
            "spent": euros(budget.year_total["spent"]),
        }
    )
    for title, rows in ((_("Par axe"), budget.by_axis), (_("Par financeur"), budget.by_funder)):
        if not rows:
            continue
        document.add_paragraph().add_run(title).bold = True
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, label in zip(
            table.rows[0].cells, ["", _("Prévu"), _("Accordé"), _("Dépensé")], strict=True
        ):
            _lines(cell, [label], bold_first=True)
        for row in rows:
            cells = table.add_row().cells
            values = [row["label"], euros(row["planned"]), euros(row["granted"]), euros(row["spent"])]
            for cell, value in zip(cells, values, strict=True):
                _lines(cell, [str(value)])


def _governance(document, report: EvaluationReportData) -> None:
    _heading(document, _("Gouvernance"), 1)
    if not report.meetings:
        document.add_paragraph(_("Aucune réunion des instances en %(year)s.") % {"year": report.year})
    for meeting in report.meetings:
        _heading(document, f"{meeting.display_title} — {format_date(meeting.starts_at.date())}", 2)
        decisions = list(meeting.decisions.all())
        if not decisions:
            document.add_paragraph(_("Aucune décision enregistrée."))
        for decision in decisions:
            document.add_paragraph(decision.text, style="List Bullet")


def _action(document, report: EvaluationReportData, action) -> None:
    _heading(document, str(action.action), 2)
    status = _("Statut au %(date)s : %(status)s") % {
        "date": format_date(report.as_of),
        "status": action.status_label,
    }
    if action.status_date:
        status += " " + _("(depuis le %(date)s)") % {"date": format_date(action.status_date)}
    document.add_paragraph(status)

    columns = action.columns
    table = document.add_table(rows=0, cols=len(columns) + 1)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if len(columns) > 1:
        cells = table.add_row().cells
        _lines(cells[0], [_("OPÉRATIONS")], bold_first=True)
        for cell, column in zip(cells[1:], columns, strict=True):
            _lines(cell, [column.title], bold_first=True)
    rows = [
        (_("STATUT"), lambda c: [c.status_label]),
        (_("CALENDRIER"), lambda c: [c.schedule or "—"]),
        (_("PORTEUR PILOTE"), lambda c: [c.leads or "—"]),
        (
            _("LIVRABLES ATTENDUS"),
            lambda c: [
                ("☑ " if d.is_done else "☐ ")
                + str(d.deliverable)
                + (" — " + _("réalisé le %(date)s") % {"date": format_date(d.done_on)} if d.is_done else "")
                + (
                    " — " + _("pièces : %(names)s") % {"names": ", ".join(d.evidence_names)}
                    if d.evidence_names
                    else ""
                )
                for d in c.deliverables
            ],
        ),
        (_("INDICATEURS DE PROCESSUS"), lambda c: _indicator_lines(c.process_indicators)),
        (_("INDICATEURS DE RÉSULTATS"), lambda c: _indicator_lines(c.result_indicators)),
    ]
    for label, content in rows:
        cells = table.add_row().cells
        _lines(cells[0], [label], bold_first=True)
        _shade(cells[0], ROW_LABEL_FILL)
        for cell, column in zip(cells[1:], columns, strict=True):
            _lines(cell, content(column))
    for row in table.rows:
        row.cells[0].width = Cm(3.6)

    if action.comments:
        paragraph = document.add_paragraph()
        paragraph.add_run(_("Commentaires de l'année")).bold = True
        for entry in action.comments:
            document.add_paragraph(
                f"{format_date(entry.date)} — {entry.get_status_display()}"
                + (f" ({entry.operation})" if entry.operation_id else "")
                + f" : {entry.comment}",
                style="List Bullet",
            )
    if action.chart:
        _chart(document, action.chart)


def _indicator_lines(indicators) -> list[str]:
    lines = []
    for indicator in indicators:
        unit = f" ({indicator.indicator.unit})" if indicator.indicator.unit else ""
        lines.append(f"{indicator.indicator}{unit}")
        lines.extend(
            f"   {format_period_row(row, indicator.indicator)}"
            for row in indicator.rows
            if row.value or row.target
        )
    return lines
