"""Files a finance officer opens in a spreadsheet: XLSX with real numbers and dates, and CSV
for French Excel (`;` separator, decimal comma, UTF-8 with BOM)."""

import csv
import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from opencls.contracts.models import Contract
from opencls.finance.selectors import Budget, CofinancingTable, is_overspent
from opencls.spreadsheets.cells import csv_cell, text_cell

# Format codes are stored in Excel's invariant syntax; a French spreadsheet shows « 1 234,50 € ».
EUROS = '#,##0.00 "€"'
PERCENT = "0.00 %"
POINTS = '+0.00" pt";-0.00" pt";0.00" pt"'
DATE = "DD/MM/YYYY"
BOLD = Font(bold=True)

ROUNDING_RULE = gettext_lazy(
    "Arrondi au plus fort reste : chaque part est d'abord tronquée au centième, puis les centièmes "
    "qui manquent pour atteindre exactement 100,00 % (et, pour les montants, exactement le coût du "
    "poste au centime près) sont attribués un à un aux parts dont la décimale tronquée était la plus forte."
)


# ---------------------------------------------------------------- helpers


class _Number(str):
    """A number already written the French way: a CSV keeps it as it is (« -5,00 » is a number)."""


def _french_number(value: Decimal | int | None) -> str:
    """1234.5 → « 1234,50 »: no grouping, so French Excel reads it back as a number."""
    if value is None:
        return ""
    if isinstance(value, int):
        return _Number(value)
    return _Number(f"{value:.2f}".replace(".", ","))


def _csv_text(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # BOM: French Excel then reads UTF-8 accents right
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(str(title)) for title in header])
    writer.writerows([v if isinstance(v, _Number) else csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _sheet_table(
    sheet, header: list[str], rows: list[list], formats: dict[int, str], start_row: int = 1
) -> int:
    """Write a table with a bold header; `formats` maps a 0-based column to a number format.
    Returns the next free row."""
    for column, title in enumerate(header, start=1):
        text_cell(sheet.cell(row=start_row, column=column, value=str(title))).font = BOLD
    row_number = start_row
    for row_number, values in enumerate(rows, start=start_row + 1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, Promise):  # choice labels are lazy translations
                value = str(value)
            cell = text_cell(sheet.cell(row=row_number, column=column, value=value))
            if column - 1 in formats and value is not None:
                cell.number_format = formats[column - 1]
    for column, title in enumerate(header, start=1):
        width = max([len(str(title))] + [len(str(r[column - 1])) for r in rows if r[column - 1] is not None])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    return row_number + 1


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _info_rows(sheet, contract: Contract, today: date, extra: list[tuple[str, object, str | None]]) -> int:
    rows = [
        (_("Contrat"), contract.title, None),
        (_("Territoire"), contract.territory.name, None),
        (_("Exporté le"), today, DATE),
        *extra,
    ]
    for row_number, (label, value, number_format) in enumerate(rows, start=1):
        text_cell(sheet.cell(row=row_number, column=1, value=str(label))).font = BOLD
        cell = text_cell(sheet.cell(row=row_number, column=2, value=value))
        if number_format and value is not None:
            cell.number_format = number_format
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 40
    return len(rows) + 2


# ---------------------------------------------------------------- budget of actions

LINE_HEADER = [
    gettext_lazy("Axe"),
    gettext_lazy("Fiche action"),
    gettext_lazy("Intitulé de la fiche action"),
    gettext_lazy("Opération"),
    gettext_lazy("Financeur"),
    gettext_lazy("Nature du financement"),
    gettext_lazy("Année"),
    gettext_lazy("Montant prévu (€)"),
    gettext_lazy("Montant accordé (€)"),
    gettext_lazy("Montant dépensé (€)"),
    gettext_lazy("Dépensé supérieur à l'accordé"),
    gettext_lazy("Commentaire"),
]
AMOUNT_COLUMNS = (7, 8, 9)
TOTAL_HEADER = [
    gettext_lazy("Montant prévu (€)"),
    gettext_lazy("Montant accordé (€)"),
    gettext_lazy("Montant dépensé (€)"),
    gettext_lazy("Lignes"),
]


def _line_rows(budget: Budget) -> list[list]:
    return [
        [
            action.axis.code or action.axis.title,
            action.code,
            action.title,
            line.operation.title if line.operation else "",
            line.funder.name if line.funder else "",
            line.get_kind_display(),
            line.year,
            line.planned_amount,
            line.granted_amount,
            line.spent_amount,
            _("oui") if is_overspent(line) else "",
            line.comment,
        ]
        for action in budget.actions
        for line in action.budget_lines
    ]


def _total_groups(budget: Budget) -> list[tuple[str, str, list[tuple[str, dict]]]]:
    """(sheet title, first column title, [(label, sums)]) for each breakdown."""
    axes = [(str(axis), vars(axis)) for axis in budget.by_axis]
    funders = [(row["funder__name"] or _("Financeur non précisé"), row) for row in budget.by_funder]
    kinds = [(row["label"], row) for row in budget.by_kind]
    years = [(str(row["year"]) if row["year"] else _("Année non précisée"), row) for row in budget.by_year]
    return [
        (_("Par axe"), _("Axe"), axes),
        (_("Par financeur"), _("Financeur"), funders),
        (_("Par nature"), _("Nature du financement"), kinds),
        (_("Par année"), _("Année"), years),
    ]


def budget_xlsx(contract: Contract, budget: Budget, today: date) -> bytes:
    workbook = Workbook()
    lines = workbook.active
    lines.title = _("Lignes")
    _sheet_table(lines, LINE_HEADER, _line_rows(budget), dict.fromkeys(AMOUNT_COLUMNS, EUROS))
    lines.freeze_panes = "A2"
    lines.auto_filter.ref = lines.dimensions
    for title, first_column, groups in _total_groups(budget):
        sheet = workbook.create_sheet(title)
        rows = [
            [label, sums["planned"], sums["granted"], sums["spent"], sums["line_count"]]
            for label, sums in groups
        ]
        total = budget.total
        rows.append([_("Total"), total["planned"], total["granted"], total["spent"], total["line_count"]])
        next_row = _sheet_table(sheet, [first_column, *TOTAL_HEADER], rows, dict.fromkeys((1, 2, 3), EUROS))
        for column in range(1, 6):
            sheet.cell(row=next_row - 1, column=column).font = BOLD
    info = workbook.create_sheet(_("Informations"))
    _info_rows(info, contract, today, [(_("Montants"), _("en euros, au centime"), None)])
    return _workbook_bytes(workbook)


def budget_csv(budget: Budget) -> str:
    rows = [
        [_french_number(v) if i in AMOUNT_COLUMNS or i == 6 else v for i, v in enumerate(row)]
        for row in _line_rows(budget)
    ]
    return _csv_text(LINE_HEADER, rows)


# ---------------------------------------------------------------- co-financing table

COFINANCING_HEADER = [
    gettext_lazy("Partie"),
    gettext_lazy("Population"),
    gettext_lazy("Part signée (%)"),
    gettext_lazy("Part calculée (%)"),
    gettext_lazy("Écart signé − calculé (points)"),
    gettext_lazy("Montant signé (€)"),
    gettext_lazy("Montant calculé (€/an)"),
    gettext_lazy("Écart signé − calculé (€)"),
    gettext_lazy("Part exacte (%)"),
]


def _exact(fraction: Fraction) -> Decimal:
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(Decimal("0.000001"))


def _cofinancing_rows(table: CofinancingTable, *, ratio: Decimal) -> list[list]:
    """One row per party; percentages divided by `ratio` (100 in XLSX, where 0.3992 shows « 39,92 % »)."""

    def scaled(value):
        return None if value is None else value / ratio

    rows = []
    for row in table.rows:
        line, stated = row.line, row.line.stated
        rows.append(
            [
                line.computed.label,
                line.computed.population,
                scaled(stated.percentage if stated else None),
                scaled(line.computed.percentage),
                line.percentage_gap,
                stated.amount if stated else None,
                line.computed.amount,
                line.amount_gap,
                scaled(_exact(line.computed.exact_percentage)),
            ]
        )
    return rows


def cofinancing_xlsx(contract: Contract, table: CofinancingTable, today: date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cofinancement")
    cofinancing, comparison = table.cofinancing, table.comparison
    stated_total = None if comparison.stated_total is None else comparison.stated_total / 100
    extra = [
        (_("Coût annuel du poste"), table.cost, EUROS),
        (_("Origine du coût"), table.funding.yearly_cost_note or None, None),
        (_("Part de l'ARS selon la règle"), table.funding.ars_rate / 100, PERCENT),
        (_("Plafond annuel de l'ARS"), table.funding.ars_yearly_cap, EUROS),
        (_("Population retenue pour le prorata"), str(table.funding.get_population_basis_display()), None),
        (_("Le plafond réduit la part de l'ARS"), _("oui") if cofinancing.cap_binds else _("non"), None),
        (_("Somme des parts signées"), stated_total, PERCENT),
        (_("Règle d'arrondi"), str(ROUNDING_RULE), None),
    ]
    start = _info_rows(sheet, contract, today, extra)
    total_row = [
        _("Total"),
        cofinancing.total_population,
        stated_total,
        sum((share.percentage for share in cofinancing.shares), Decimal(0)) / 100,
        None,
        None,
        table.cost,
        None,
        None,
    ]
    rows = [*_cofinancing_rows(table, ratio=Decimal(100)), total_row]
    formats = {2: PERCENT, 3: PERCENT, 4: POINTS, 5: EUROS, 6: EUROS, 7: EUROS, 8: "0.0000 %"}
    next_row = _sheet_table(sheet, COFINANCING_HEADER, rows, formats, start_row=start)
    for column in range(1, len(COFINANCING_HEADER) + 1):
        sheet.cell(row=next_row - 1, column=column).font = BOLD
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 40
    return _workbook_bytes(workbook)


def cofinancing_csv(table: CofinancingTable) -> str:
    rows = [
        [
            label,
            population or "",
            *(_french_number(number) for number in numbers),
            _Number(str(exact).replace(".", ",")),
        ]
        for label, population, *numbers, exact in _cofinancing_rows(table, ratio=Decimal(1))
    ]
    return _csv_text(COFINANCING_HEADER, rows)
