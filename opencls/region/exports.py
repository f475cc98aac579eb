"""Exports of the regional view (CSV streamed, XLSX, ODS) and its PDF summary, honouring the filters."""

import csv
from collections import Counter
from collections.abc import Iterator
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.region.selectors import ContractRow, contract_rows
from opencls.spreadsheets.cells import csv_cell
from opencls.spreadsheets.writers import SheetData, write_ods, write_xlsx

DATE_FORMAT = "DD/MM/YYYY"
# Rows computed per batch: the CSV starts flowing before the last contract is read.
BATCH = 200
# XLSX, ODS and PDF of more contracts than this are prepared as a background job.
JOB_THRESHOLD = 150
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
}


def headers() -> list[str]:
    return [
        _("Contrat"),
        _("Sigle"),
        _("Type"),
        _("Territoire"),
        _("Département"),
        _("Région"),
        _("Statut"),
        _("Début"),
        _("Fin"),
        _("Signatures recueillies"),
        _("Signataires"),
        _("Fiches actions"),
        _("Fiches réalisées"),
        _("Fiches en cours"),
        _("Campagne"),
        _("Dernier COPIL"),
        _("Compte rendu du dernier COPIL"),
        _("Avenant en cours"),
        _("Alertes ouvertes"),
    ]


def row_values(row: ContractRow) -> list:
    contract = row.contract
    territory = contract.territory
    last_copil = timezone.localtime(contract.last_copil_at).date() if contract.last_copil_at else None
    minutes = "" if last_copil is None else (_("oui") if contract.last_copil_minutes else _("non"))
    return [
        contract.title,
        contract.short_name,
        contract.get_kind_display(),
        territory.name,
        territory.department_code,
        territory.region,
        str(row.status_label),
        contract.start_date,
        contract.end_date,
        contract.signed_count,
        contract.signatory_count,
        contract.action_count,
        row.done_actions,
        row.action_status["in_progress"],
        row.campaign_label,
        last_copil,
        minutes,
        _("oui") if contract.amendment_open else "",
        " ; ".join(row.alerts),
    ]


def rows_in_batches(queryset, today: date) -> Iterator[ContractRow]:
    contracts = list(queryset)
    for start in range(0, len(contracts), BATCH):
        yield from contract_rows(contracts[start : start + BATCH], today)


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset, today: date) -> Iterator[str]:
    """Semicolon CSV for French spreadsheets, BOM first; formula-like text neutralised."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(headers())
    for row in rows_in_batches(queryset, today):
        values = row_values(row)
        yield writer.writerow(
            [value.strftime("%d/%m/%Y") if isinstance(value, date) else csv_cell(value) for value in values]
        )


def sheet(queryset, today: date) -> SheetData:
    formats = [None] * len(headers())
    formats[7] = formats[8] = formats[15] = DATE_FORMAT
    widths = [50, 12, 30, 30, 12, 20, 24, 12, 12, 12, 12, 12, 12, 12, 40, 14, 14, 12, 50]
    rows = [row_values(row) for row in rows_in_batches(queryset, today)]
    return SheetData(_("Contrats"), headers(), rows, widths=widths, number_formats=formats)


def xlsx_bytes(queryset, today: date) -> bytes:
    return write_xlsx([sheet(queryset, today)], {})


def ods_bytes(queryset, today: date) -> bytes:
    return write_ods([sheet(queryset, today)], {})


def pdf_bytes(user, form, queryset, today: date) -> bytes:
    from weasyprint import HTML

    from opencls.region.models import Theme
    from opencls.region.selectors import RegionalStatus
    from opencls.region.themes import theme_matrix

    rows = list(rows_in_batches(queryset, today))
    by_status = Counter(row.status for row in rows)
    all_themes = list(Theme.objects.all())
    matrix = theme_matrix([row.contract.pk for row in rows], all_themes)
    theme_totals = [
        (theme, sum(1 for row in rows if matrix[row.contract.pk, theme.pk][0])) for theme in all_themes
    ]
    context = {
        "rows": rows,
        "today": today,
        "filters_text": filters_text(form),
        "statuses": [(RegionalStatus.LABELS[key], by_status[key]) for key in RegionalStatus.ORDER],
        "total_actions": sum(row.contract.action_count for row in rows),
        "theme_totals": [(theme, n) for theme, n in theme_totals if n],
        "user": user,
    }
    html = render_to_string("region/summary_pdf.html", context)
    return HTML(string=html).write_pdf(pdf_tags=True)


def filters_text(form) -> list[str]:
    """The filters in force, as « Label : value », for the PDF."""
    if not form.is_bound or not form.is_valid():
        return []
    shown = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "sort" or value in (None, ""):
            continue
        label = {str(key): text for key, text in field.choices}.get(str(value), value)
        shown.append(f"{field.label} : {label}")
    return shown


def build(fmt: str, user, form, queryset, today: date) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the XLSX, ODS or PDF export."""
    if fmt == "xlsx":
        content, name = xlsx_bytes(queryset, today), "vue-regionale.xlsx"
    elif fmt == "ods":
        content, name = ods_bytes(queryset, today), "vue-regionale.ods"
    elif fmt == "pdf":
        content, name = pdf_bytes(user, form, queryset, today), "synthese-regionale.pdf"
    else:
        raise ValueError(fmt)
    return content, name, CONTENT_TYPES[fmt]
