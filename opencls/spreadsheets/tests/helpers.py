import io
from zipfile import ZipFile

from openpyxl import Workbook, load_workbook

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, Deliverable, FundingLine, Indicator, Operation
from opencls.contracts.models import Axis, Objective
from opencls.monitoring.models import IndicatorTarget, IndicatorValue, StatusEntry
from opencls.spreadsheets.selectors import plan_snapshot
from opencls.territories.models import Municipality


def workbook_bytes(workbook: Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def edited(data: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    """The XLSX `data` with cells changed: {(sheet, "E3"): value}."""
    workbook = load_workbook(io.BytesIO(data))
    for (sheet, coordinate), value in edits.items():
        workbook[sheet][coordinate] = value
    return workbook_bytes(workbook)


def column_of(data: bytes, sheet: str, header: str) -> str:
    """The column letter of `header` in row 1 of `sheet`."""
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    for cell in next(workbook[sheet].iter_rows(max_row=1)):
        if cell.value == header:
            return cell.column_letter
    raise KeyError(header)


def row_of(data: bytes, sheet: str, pk: int) -> int:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    for number, row in enumerate(workbook[sheet].iter_rows(values_only=True), start=1):
        if row and row[0] == pk:
            return number
    raise KeyError(pk)


def plan_state(contract) -> tuple:
    """Everything an import may write: the plan as exported, object counts, history rows."""
    models = (
        Axis,
        Objective,
        Action,
        Operation,
        Deliverable,
        Indicator,
        FundingLine,
        Municipality,
        Organisation,
    )
    counts = tuple(model.objects.count() for model in models)
    histories = tuple(model.history.count() for model in models)
    monitoring = (
        StatusEntry.objects.count(),
        IndicatorTarget.objects.count(),
        IndicatorValue.objects.count(),
    )
    return plan_snapshot(contract).records, counts, histories, monitoring


def ods_content(data: bytes) -> str:
    with ZipFile(io.BytesIO(data)) as archive:
        return archive.read("content.xml").decode()
