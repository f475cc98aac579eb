"""The health part of the contrat de ville as DOCX, PDF (WeasyPrint) and XLSX, from the one
structure of `citycontract.city_contract_data`."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from opencls.core.templatetags.opencls_tags import euros
from opencls.participation.citycontract import CityContractData, actions_by_neighbourhood
from opencls.spreadsheets.cells import text_cell

EUROS = '#,##0.00 "€"'
BOLD = Font(bold=True)


def indicator_text(line) -> str:
    last = line.last
    text = line.indicator.label
    if last is not None:
        value = f"{last.value:f}".rstrip("0").rstrip(".").replace(".", ",")
        text += f" : {value}{(' ' + line.indicator.unit) if line.indicator.unit else ''} ({last.period})"
    else:
        text += " : " + _("pas encore de valeur")
    if line.qpv_values:
        text += " — " + ", ".join(f"{name} : {value}" for name, value in line.qpv_values.items())
    return text


def title(data: CityContractData) -> str:
    return _("Volet santé du contrat de ville — %(contract)s") % {"contract": data.contract.title}


def filename(data: CityContractData, ext: str) -> str:
    return f"contrat-de-ville-{data.contract.pk}.{ext}"


# ---------------------------------------------------------------- PDF


def render_html(data: CityContractData) -> str:
    return render_to_string(
        "participation/citycontract_pdf.html",
        {
            "data": data,
            "title": title(data),
            "today": timezone.localdate(),
            "by_qpv": actions_by_neighbourhood(data),
        },
    )


def render_pdf(data: CityContractData) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(data)).write_pdf(pdf_tags=True)


# ---------------------------------------------------------------- DOCX


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    return table


def render_docx(data: CityContractData) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(title(data), level=0)
    document.add_paragraph(
        _(
            "Territoire : %(territory)s. Document établi le %(date)s par la coordination du contrat local de santé."
        )
        % {"territory": data.contract.territory.name, "date": timezone.localdate().strftime("%d/%m/%Y")}
    )
    document.add_heading(_("Quartiers prioritaires et actions qui les servent"), level=1)
    _table(
        document,
        [_("Quartier"), _("Code"), _("Population"), _("Part du territoire"), _("Actions")],
        [
            [
                row.neighbourhood.name,
                row.neighbourhood.code or "—",
                row.neighbourhood.population if row.neighbourhood.population is not None else "—",
                f"{row.share} %".replace(".", ",") if row.share is not None else "—",
                ", ".join(a.code or a.title for a in row.actions) or _("aucune action ciblée"),
            ]
            for row in data.qpv
        ],
    )
    document.add_heading(_("Actions par axe"), level=1)
    for group in data.axes:
        document.add_heading(str(group.axis), level=2)
        _table(
            document,
            [
                _("Fiche action"),
                _("Porteurs"),
                _("QPV servis"),
                _("Public en QPV"),
                _("Participation"),
                _("Crédits politique de la ville"),
            ],
            [
                [
                    str(item.action),
                    ", ".join(item.leads) or "—",
                    item.served,
                    item.share,
                    item.action.get_participation_level_display() or "—",
                    euros(item.credits.granted or item.credits.planned)
                    if item.credits.lines
                    else (_("oui, montant non saisi") if item.action.city_policy_funded else "—"),
                ]
                for item in group.actions
            ],
        )
    document.add_heading(_("Crédits de la politique de la ville"), level=1)
    document.add_paragraph(
        _("Prévus : %(planned)s ; accordés : %(granted)s ; dépensés : %(spent)s.")
        % {
            "planned": euros(data.credits.planned),
            "granted": euros(data.credits.granted),
            "spent": euros(data.credits.spent),
        }
    )
    document.add_heading(_("Indicateurs atteints"), level=1)
    for item in data.actions:
        if item.indicators:
            document.add_paragraph(str(item.action), style="List Bullet")
            for line in item.indicators:
                document.add_paragraph(indicator_text(line), style="List Bullet 2")
    document.add_heading(_("Participation des habitants"), level=1)
    for body in data.bodies:
        document.add_paragraph(f"{body.name} ({body.get_kind_display()})", style="List Bullet")
    for event in data.events:
        when = event.date.strftime("%d/%m/%Y") if event.date else event.date_text
        line = f"{event.get_kind_display()} — {event.title} ({when or '—'})"
        if event.participant_count is not None:
            line += " — " + _("%(n)s participant·es") % {"n": event.participant_count}
        paragraph = document.add_paragraph(line, style="List Bullet")
        if event.what_changed:
            paragraph.add_run("\n" + _("Ce que cela a changé : ") + event.what_changed)
    if data.children:
        document.add_heading(_("Contrats rattachés"), level=1)
        for child in data.children:
            document.add_paragraph(f"{child.title} ({child.get_kind_display()})", style="List Bullet")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# ---------------------------------------------------------------- XLSX


def render_xlsx(data: CityContractData) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("QPV")
    sheet.append(
        [_("Quartier"), _("Code"), _("Communes"), _("Population"), _("Part du territoire (%)"), _("Actions")]
    )
    for row in data.qpv:
        n = row.neighbourhood
        sheet.append(
            [
                n.name, n.code, ", ".join(m.name for m in n.municipalities.all()), n.population,
                float(row.share) if row.share is not None else None,
                ", ".join(a.code or a.title for a in row.actions),
            ]
        )  # fmt: skip
    actions = workbook.create_sheet(_("Actions"))
    actions.append(
        [
            _("Axe"), _("Code"), _("Fiche action"), _("Porteurs"), _("QPV servis"), _("Part du public en QPV (%)"),
            _("Part estimée ou mesurée"), _("Niveau de participation"), _("Financée politique de la ville"),
            _("Crédits prévus (€)"), _("Crédits accordés (€)"), _("Crédits dépensés (€)"),
        ]
    )  # fmt: skip
    for group in data.axes:
        for item in group.actions:
            a = item.action
            actions.append(
                [
                    str(group.axis), a.code, a.title, ", ".join(item.leads), item.served,
                    float(a.qpv_public_share) if a.qpv_public_share is not None else None,
                    a.get_qpv_public_share_basis_display(), a.get_participation_level_display(),
                    _("oui") if item.funded_by_city_policy else _("non"),
                    item.credits.planned if item.credits.lines else None,
                    item.credits.granted if item.credits.lines else None,
                    item.credits.spent if item.credits.lines else None,
                ]
            )  # fmt: skip
            for column in (10, 11, 12):
                actions.cell(row=actions.max_row, column=column).number_format = EUROS
    indicators = workbook.create_sheet(_("Indicateurs"))
    indicators.append(
        [_("Fiche action"), _("Indicateur"), _("Unité"), _("Période"), _("Valeur"), _("Valeurs par QPV")]
    )
    for item in data.actions:
        for line in item.indicators:
            last = line.last
            indicators.append(
                [
                    str(item.action), line.indicator.label, line.indicator.unit, last.period if last else "",
                    last.value if last else None,
                    ", ".join(f"{k} : {v}" for k, v in line.qpv_values.items()),
                ]
            )  # fmt: skip
    participation = workbook.create_sheet(_("Participation"))
    participation.append(
        [
            _("Type"),
            _("Intitulé"),
            _("Date"),
            _("Lieu"),
            _("Participant·es"),
            _("Ce qui a été dit"),
            _("Ce que cela a changé"),
        ]
    )
    for event in data.events:
        participation.append(
            [
                event.get_kind_display(), event.title, event.date or event.date_text, event.place,
                event.participant_count, event.what_was_said, event.what_changed,
            ]
        )  # fmt: skip
        if event.date:
            participation.cell(row=participation.max_row, column=3).number_format = "DD/MM/YYYY"
    for ws in workbook.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                text_cell(cell)  # a title typed "=1+1" stays text
        for cell in ws[1]:
            cell.font = BOLD
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
