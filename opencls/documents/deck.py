"""The COPIL slide deck (PPTX, python-pptx): progress by axis with native charts, alerts, and the
decisions to take (agenda of the next COPIL meeting)."""

import io
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Cm, Pt

from opencls.contracts.models import Contract
from opencls.core.registry import Alert, contract_alerts
from opencls.governance.models import AgendaItem, GovernanceBody, Meeting
from opencls.monitoring import selectors
from opencls.monitoring.charts import STATUS_COLOURS
from opencls.monitoring.models import Status

BLUE_FRANCE = RGBColor(0x00, 0x00, 0x91)


@dataclass
class DeckData:
    contract: Contract
    today: date
    progress: list[selectors.AxisProgress]
    alerts: list[Alert]
    next_meeting: Meeting | None
    agenda: list[AgendaItem]

    @property
    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(Status.values, 0)
        for row in self.progress:
            for status, count in row.counts.items():
                totals[status] += count
        return totals


def deck_data(contract: Contract, *, today: date) -> DeckData:
    actions = list(selectors.contract_actions(contract))
    progress = selectors.axis_progress(contract, actions)
    meeting = (
        Meeting.objects.filter(
            contract=contract,
            body__kind=GovernanceBody.Kind.STEERING,
            is_cancelled=False,
            starts_at__date__gte=today,
        )
        .select_related("body")
        .order_by("starts_at")
        .first()
    )
    agenda = (
        list(meeting.agenda_items.select_related("action", "indicator", "evaluation", "amendment"))
        if meeting
        else []
    )
    return DeckData(contract, today, progress, contract_alerts(contract, today), meeting, agenda)


def _title_only(presentation, title: str):
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])  # "Title Only"
    slide.shapes.title.text = title
    for paragraph in slide.shapes.title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(28), True, BLUE_FRANCE
    return slide


def _bullets(slide, lines: list[str], *, top_cm=4.0, left_cm=1.5, width_cm=30.0, size_pt=16) -> None:
    box = slide.shapes.add_textbox(Cm(left_cm), Cm(top_cm), Cm(width_cm), Cm(13))
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size_pt)
        paragraph.space_after = Pt(6)


def _colour_series(chart) -> None:
    for series, status in zip(chart.plots[0].series, Status.values, strict=True):
        fill = series.format.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(STATUS_COLOURS[status].lstrip("#"))


def render_pptx(data: DeckData) -> bytes:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Cm(33.867), Cm(19.05)  # 16:9
    contract = data.contract

    slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    slide.shapes.title.text = _("Comité de pilotage")
    slide.placeholders[1].text = f"{contract.title}\n{contract.territory} — {data.today.strftime('%d/%m/%Y')}"

    # Progress by axis: one stacked bar per axis, one series per status.
    slide = _title_only(presentation, _("Avancement des fiches actions par axe"))
    chart_data = CategoryChartData()
    chart_data.categories = [row.axis.code or row.axis.title[:40] for row in data.progress] or [
        _("Aucun axe")
    ]
    for status in Status.values:
        chart_data.add_series(str(Status(status).label), [row.counts[status] for row in data.progress] or [0])
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_STACKED, Cm(1.5), Cm(3.8), Cm(30.5), Cm(14.5), chart_data
    ).chart
    chart.has_legend, chart.legend.position, chart.legend.include_in_layout = (
        True,
        XL_LEGEND_POSITION.BOTTOM,
        False,
    )
    _colour_series(chart)

    # Overall: a doughnut of the statuses.
    slide = _title_only(presentation, _("Avancement global"))
    totals = data.totals
    chart_data = CategoryChartData()
    chart_data.categories = [str(Status(status).label) for status in totals]
    chart_data.add_series(_("Fiches actions"), list(totals.values()))
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.DOUGHNUT, Cm(1.5), Cm(3.8), Cm(16), Cm(14.5), chart_data
    ).chart
    chart.has_legend, chart.legend.position = True, XL_LEGEND_POSITION.RIGHT
    total = sum(totals.values())
    _bullets(
        slide,
        [_("%(n)s fiches actions") % {"n": total}]
        + [f"{Status(status).label} : {count}" for status, count in totals.items()],
        top_cm=4.5,
        left_cm=19,
        width_cm=13,
    )

    # One slide per axis: its actions and their status.
    for row in data.progress:
        slide = _title_only(presentation, str(row.axis)[:120])
        if not row.actions:
            _bullets(slide, [_("Aucune fiche action dans cet axe.")])
            continue
        table = slide.shapes.add_table(
            len(row.actions) + 1, 2, Cm(1.5), Cm(3.8), Cm(30.5), Cm(1) * (len(row.actions) + 1)
        ).table
        table.columns[0].width, table.columns[1].width = Cm(24), Cm(6.5)
        table.cell(0, 0).text, table.cell(0, 1).text = _("Fiche action"), _("Statut")
        for index, action in enumerate(row.actions, start=1):
            table.cell(index, 0).text = str(action)[:160]
            table.cell(index, 1).text = Status(action.current_status).label
            for column in (0, 1):
                for paragraph in table.cell(index, column).text_frame.paragraphs:
                    paragraph.font.size = Pt(11 if len(row.actions) > 6 else 13)

    slide = _title_only(presentation, _("Alertes"))
    _bullets(
        slide,
        [f"{alert.title}" + (f" — {alert.message}" if alert.message else "") for alert in data.alerts]
        or [_("Aucune alerte.")],
    )

    slide = _title_only(presentation, _("Décisions à prendre"))
    if data.next_meeting is None:
        lines = [_("Aucune réunion du comité de pilotage n'est programmée.")]
    else:
        when = timezone.localtime(data.next_meeting.starts_at).strftime("%d/%m/%Y %H:%M")
        lines = [_("%(meeting)s du %(date)s") % {"meeting": data.next_meeting.display_title, "date": when}]
        lines += [f"{index}. {item.display_title}" for index, item in enumerate(data.agenda, start=1)] or [
            _("Ordre du jour non encore établi.")
        ]
    _bullets(slide, lines)

    output = io.BytesIO()
    presentation.save(output)
    return output.getvalue()
