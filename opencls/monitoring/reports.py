"""The annual evaluation report: gathered once, then shown as a web page, a PDF (WeasyPrint,
from the same HTML) and a DOCX (python-docx), laid out like the contract's fiches actions."""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opencls.actions.models import Action, Deliverable, Indicator, Operation
from opencls.contracts.models import Contract
from opencls.monitoring import charts, selectors
from opencls.monitoring.models import (
    Evaluation,
    Evidence,
    IndicatorTarget,
    IndicatorValue,
    Status,
    StatusEntry,
)
from opencls.monitoring.periods import periods_of_year


@dataclass
class ReportIndicator:
    indicator: Indicator
    rows: list[selectors.IndicatorPeriodRow]

    @property
    def has_data(self) -> bool:
        return any(row.value or row.target for row in self.rows)


@dataclass
class ReportDeliverable:
    deliverable: Deliverable
    is_done: bool
    done_on: date | None
    comment: str
    evidence_names: list[str]


@dataclass
class ReportColumn:
    """One column of the fiche: an operation, or the action itself."""

    title: str
    status: str
    schedule: str
    leads: str
    deliverables: list[ReportDeliverable] = field(default_factory=list)
    process_indicators: list[ReportIndicator] = field(default_factory=list)
    result_indicators: list[ReportIndicator] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class ReportAction:
    action: Action
    status: str
    status_date: date | None
    columns: list[ReportColumn]
    comments: list[StatusEntry]
    chart: charts.ChartBlock | None

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def indicators(self) -> list[ReportIndicator]:
        return [i for c in self.columns for i in c.process_indicators + c.result_indicators]

    @property
    def deliverables(self) -> list[ReportDeliverable]:
        return [d for c in self.columns for d in c.deliverables]


@dataclass
class ReportAxis:
    axis: object
    actions: list[ReportAction]


@dataclass
class EvaluationReportData:
    contract: Contract
    year: int
    as_of: date
    synthesis: str
    axes: list[ReportAxis]
    progress: list[selectors.AxisProgress]
    status_chart: charts.ChartBlock
    generated_on: date

    @property
    def actions(self) -> list[ReportAction]:
        return [a for axis in self.axes for a in axis.actions]

    @property
    def status_totals(self) -> list[tuple[str, str, int]]:
        totals = dict.fromkeys(Status.values, 0)
        for action in self.actions:
            totals[action.status] += 1
        return [(status, Status(status).label, count) for status, count in totals.items()]

    @property
    def indicator_totals(self) -> tuple[int, int]:
        """(targets met, targets with a period in the year)."""
        rows = [row for a in self.actions for i in a.indicators for row in i.rows if row.target]
        return sum(1 for row in rows if row.is_met), len(rows)

    @property
    def deliverable_totals(self) -> tuple[int, int]:
        deliverables = [d for a in self.actions for d in a.deliverables]
        return sum(1 for d in deliverables if d.is_done), len(deliverables)

    @cached_property
    def approval(self) -> str:
        """« Validé en COPIL du JJ/MM/AAAA » only when the year is locked (campaigns app)."""
        from opencls.campaigns.locks import approval_note

        return approval_note(self.contract, self.year)

    @cached_property
    def budget(self) -> "ReportBudget":
        """The year's funding lines by axis and by funder, beside all years (PDF and DOCX only:
        the web page never reads it, so it costs it no query)."""
        return report_budget(self.contract, self.year)

    @cached_property
    def meetings(self) -> list:
        """The year's meetings of the contract's bodies, with their decisions."""
        from opencls.governance.models import Meeting

        return list(
            Meeting.objects.filter(contract=self.contract, starts_at__year=self.year, is_cancelled=False)
            .select_related("body")
            .prefetch_related("decisions")
            .order_by("starts_at", "pk")
        )

    @property
    def title(self) -> str:
        return _("Évaluation annuelle %(year)s — %(contract)s") % {
            "year": self.year,
            "contract": self.contract.title,
        }


@dataclass
class ReportBudget:
    by_axis: list[dict]  # axis label, planned, granted, spent (euros) for the year
    by_funder: list[dict]
    year_total: dict
    all_years_total: dict


def report_budget(contract: Contract, year: int) -> ReportBudget:
    """Three queries, totals summed by the database in whole cents (finance.selectors)."""
    from opencls.finance.selectors import AMOUNTS, as_euros, contract_funding_lines

    lines = contract_funding_lines(contract)
    of_year = lines.filter(year=year)
    by_axis = [
        as_euros(row)
        for row in of_year.values("action__axis__code", "action__axis__title", "action__axis__position")
        .annotate(**AMOUNTS)
        .order_by("action__axis__position", "action__axis__code")
    ]
    for row in by_axis:
        row["label"] = row["action__axis__code"] or row["action__axis__title"]
    by_funder = [
        as_euros(row) for row in of_year.values("funder__name").annotate(**AMOUNTS).order_by("funder__name")
    ]
    for row in by_funder:
        row["label"] = row["funder__name"] or _("Financeur non précisé")
    return ReportBudget(
        by_axis=by_axis,
        by_funder=by_funder,
        year_total=as_euros(of_year.aggregate(**AMOUNTS)),
        all_years_total=as_euros(lines.aggregate(**AMOUNTS)),
    )


def _indicator(indicator: Indicator, periods, values, targets) -> ReportIndicator:
    return ReportIndicator(
        indicator, selectors.indicator_rows(indicator, periods, values[indicator.pk], targets[indicator.pk])
    )


def evaluation_report_data(contract: Contract, year: int, *, today: date) -> EvaluationReportData:
    """Everything the report of `year` shows, in a fixed number of queries."""
    as_of = min(date(year, 12, 31), today)
    actions = list(selectors.contract_actions(contract, on=as_of))
    progress = selectors.axis_progress(contract, actions)

    comments = defaultdict(list)
    entries = StatusEntry.objects.filter(contract=contract, date__year=year, date__lte=as_of).exclude(
        comment=""
    )
    for entry in entries.select_related("operation").order_by("date", "pk"):
        comments[entry.action_id].append(entry)
    # Values and targets of the year, plus earlier values that cumulative targets add up.
    values = defaultdict(list)
    for value in IndicatorValue.objects.filter(contract=contract, year__lte=year):
        values[value.indicator_id].append(value)
    targets = defaultdict(list)
    for target in IndicatorTarget.objects.filter(contract=contract, year=year):
        targets[target.indicator_id].append(target)
    indicators = defaultdict(list)
    for indicator in Indicator.objects.filter(action__contract=contract):
        indicators[indicator.action_id].append(indicator)
    evidences = defaultdict(list)
    for evidence in Evidence.objects.filter(contract=contract).only("deliverable_id", "original_name"):
        evidences[evidence.deliverable_id].append(evidence.original_name)
    deliverables = defaultdict(list)
    for deliverable in Deliverable.objects.filter(action__contract=contract).select_related("follow_up"):
        follow_up = getattr(deliverable, "follow_up", None)
        is_done = bool(follow_up and follow_up.is_done and follow_up.done_on <= as_of)
        deliverables[deliverable.action_id].append(
            ReportDeliverable(
                deliverable,
                is_done,
                follow_up.done_on if is_done else None,
                follow_up.comment if follow_up else "",
                evidences[deliverable.pk],
            )
        )

    report_axes = []
    for row in progress:
        report_actions = []
        for action in row.actions:
            columns = _columns(
                action,
                deliverables[action.pk],
                indicators[action.pk],
                lambda indicator: _indicator(
                    indicator, periods_of_year(indicator.periodicity, year), values, targets
                ),
            )
            chart_rows = [
                (str(i.indicator), r.achieved, r.target.value if r.target else None)
                for column in columns
                for i in column.process_indicators + column.result_indicators
                for r in i.rows
                if r.value or r.target
            ]
            chart = (
                charts.ChartBlock(
                    charts.values_vs_targets_chart(
                        _("Indicateurs %(year)s de %(action)s")
                        % {"year": year, "action": action.code or action.title},
                        chart_rows,
                    ),
                    f"chart-action-{action.pk}",
                )
                if chart_rows
                else None
            )
            report_actions.append(
                ReportAction(
                    action, action.current_status, action.status_date, columns, comments[action.pk], chart
                )
            )
        report_axes.append(ReportAxis(row.axis, report_actions))

    evaluation = Evaluation.objects.filter(contract=contract, year=year).first()
    return EvaluationReportData(
        contract=contract,
        year=year,
        as_of=as_of,
        synthesis=evaluation.synthesis if evaluation else "",
        axes=report_axes,
        progress=progress,
        status_chart=charts.ChartBlock(charts.status_by_axis_chart(progress), "chart-status"),
        generated_on=today,
    )


def _columns(action: Action, deliverables, indicators, build_indicator) -> list[ReportColumn]:
    """The fiche's columns: one per operation (004), or the action alone (003); items not tied to
    an operation get a column of their own when the action has operations."""
    operations: list[Operation] = list(action.operations.all())
    by_operation = {
        operation.pk: ReportColumn(
            operation.title,
            operation.current_status,
            operation.schedule or action.schedule,
            _leads(operation) or _leads(action),
        )
        for operation in operations
    }
    whole = ReportColumn(
        _("Ensemble de la fiche") if operations else str(action),
        action.current_status,
        action.schedule,
        _leads(action),
    )
    for item in deliverables:
        by_operation.get(item.deliverable.operation_id, whole).deliverables.append(item)
    for indicator in indicators:
        column = by_operation.get(indicator.operation_id, whole)
        target = (
            column.process_indicators
            if indicator.kind == Indicator.Kind.PROCESS
            else column.result_indicators
        )
        target.append(build_indicator(indicator))
    columns = list(by_operation.values())
    if not operations or whole.deliverables or whole.process_indicators or whole.result_indicators:
        columns.append(whole)
    return columns


def _leads(work) -> str:
    return ", ".join(str(organisation) for organisation in work.leads)


# Rendering ------------------------------------------------------------------------------------


def render_html(data: EvaluationReportData) -> str:
    return render_to_string("monitoring/report/pdf.html", {"report": data})


def render_pdf(data: EvaluationReportData) -> bytes:
    from weasyprint import HTML

    # A tagged PDF: screen readers follow its headings and tables (about 10 % slower to write).
    return HTML(string=render_html(data)).write_pdf(pdf_tags=True)


def render_docx(data: EvaluationReportData) -> bytes:
    from opencls.monitoring.docx_report import build_document

    output = io.BytesIO()
    build_document(data).save(output)
    return output.getvalue()


def format_period_row(row: selectors.IndicatorPeriodRow, indicator: Indicator | None = None) -> str:
    """« 2026 : 3 (cible 2, atteinte) » — the words used in the PDF and the DOCX alike; with the
    indicator, a percentage reads « 45 % », a satisfaction scale « 82 % de satisfaits (moyenne
    3,9 / 5 ; 45 réponses) » and a breakdown follows its total: « — Femmes : 7 ; Hommes : 5 »."""
    from opencls.actions.measures import PERCENT_KINDS
    from opencls.monitoring import measures

    percent = indicator is not None and indicator.measure_kind in PERCENT_KINDS
    shown = charts.number(row.achieved)
    cumulated = row.target is not None and row.target.cumulative
    if indicator is not None and row.value is not None and not cumulated:
        shown = measures.summarise(indicator, row.value.value, row.value.breakdown).text
    text = f"{row.period.label} : {shown}"
    if row.target is not None:
        verdict = _("atteinte") if row.is_met else _("non atteinte")
        kind = _("cible cumulée") if row.target.cumulative else _("cible")
        target = charts.number(row.target.value) + (" %" if percent else "")
        text += f" ({kind} {target}, {verdict})"
    if indicator is not None and row.value is not None and row.value.breakdown:
        text += " — " + measures.breakdown_text(row.value.breakdown)
    return text


def format_date(day: date | None) -> str:
    return date_format(day, "d/m/Y") if day else "—"
