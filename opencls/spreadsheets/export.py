"""A contract's plan in OpenCLS's own layout, as XLSX or ODS, from one set of rows."""

from django.utils import timezone

from opencls.actions.measures import has_breakdown
from opencls.contracts.models import Contract
from opencls.monitoring.measures import breakdown_cell
from opencls.spreadsheets.layout import (
    FORMAT_NAME,
    FORMAT_VERSION,
    FUNDING,
    INDICATORS,
    META_CONTRACT,
    META_EXPORTED,
    META_SHEET,
    MUNICIPALITIES,
    OPERATIONS,
    PLAN,
    TERRITORY_FIELDS,
    TERRITORY_HEADERS,
    TERRITORY_SHEET,
    Column,
    Table,
    breakdown_column,
    target_column,
    value_column,
)
from opencls.spreadsheets.selectors import Snapshot, plan_snapshot
from opencls.spreadsheets.tet import write_tet
from opencls.spreadsheets.writers import SheetData, write_ods, write_xlsx


def _flatten(values: dict) -> dict:
    """Indicator figures become one key per period column (« target:2026 »)."""
    flat = {k: v for k, v in values.items() if k not in ("targets", "values", "breakdowns")}
    flat.update({f"target:{p}": v for p, v in values.get("targets", {}).items()})
    flat.update({f"value:{p}": v for p, v in values.get("values", {}).items()})
    flat.update({f"breakdown:{p}": breakdown_cell(b) for p, b in values.get("breakdowns", {}).items()})
    return flat


def _table_sheet(table: Table, columns: list[Column], records: dict[int, dict]) -> SheetData:
    rows = []
    for pk, values in records.items():
        flat = _flatten(values)
        rows.append([pk if c.key == "id" else c.cell(flat.get(c.key)) for c in columns])
    return SheetData(
        table.sheet,
        [c.header for c in columns],
        rows,
        widths=[c.width for c in columns],
        number_formats=[c.number_format for c in columns],
        lists={i: c.list_name for i, c in enumerate(columns) if c.list_name},
    )


def plan_sheets(snapshot: Snapshot) -> tuple[list[SheetData], dict[str, list[str]]]:
    indicator_columns = list(INDICATORS.columns)
    # A « Ventilation » column per period once an indicator is broken down (issue 13).
    broken_down = any(has_breakdown(r["measure_kind"]) for r in snapshot.records["indicator"].values())
    for period in snapshot.periods:
        indicator_columns += [target_column(period), value_column(period)]
        if broken_down:
            indicator_columns.append(breakdown_column(period))
    tables = [
        (PLAN, list(PLAN.columns), snapshot.records["action"]),
        (OPERATIONS, list(OPERATIONS.columns), snapshot.records["operation"]),
        (INDICATORS, indicator_columns, snapshot.records["indicator"]),
        (FUNDING, list(FUNDING.columns), snapshot.records["funding"]),
        (MUNICIPALITIES, list(MUNICIPALITIES.columns), snapshot.records["municipality"]),
    ]
    sheets = [_table_sheet(table, columns, records) for table, columns, records in tables]
    lists = {}
    for _table, columns, _records in tables:
        for column in columns:
            if column.list_name:
                lists[column.list_name] = column.list_values
    sheets.insert(
        -1,
        SheetData(
            TERRITORY_SHEET,
            list(TERRITORY_HEADERS),
            [[c.header, c.cell(snapshot.territory.get(c.key))] for c in TERRITORY_FIELDS],
            widths=[32, 50],
        ),
    )
    contract = snapshot.contract
    exported_at = snapshot.taken_at
    sheets.append(
        SheetData(
            META_SHEET,
            ["Clé", "Valeur"],
            [
                ["Format", FORMAT_NAME],
                ["Version", FORMAT_VERSION],
                [META_CONTRACT, contract.pk],
                ["Intitulé du contrat", contract.title],
                ["Exporté le", timezone.localtime(exported_at).replace(tzinfo=None, microsecond=0)],
                [META_EXPORTED, exported_at.isoformat()],
            ],
            widths=[20, 50],
            hidden=True,
            freeze=False,
        )
    )
    return sheets, lists


FORMATS = ("xlsx", "ods", "tet")


def export_plan(contract: Contract, file_format: str) -> tuple[bytes, list[str]]:
    """The file in `file_format` ("xlsx", "ods" or "tet": the Territoires en Transitions
    template), and warnings about what the format could not hold exactly."""
    snapshot = plan_snapshot(contract)
    if file_format == "tet":
        return write_tet(snapshot)
    sheets, lists = plan_sheets(snapshot)
    writer = {"xlsx": write_xlsx, "ods": write_ods}[file_format]
    return writer(sheets, lists), []
