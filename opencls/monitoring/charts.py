"""Charts drawn on the server, with no JavaScript.

A chart is laid out once as a list of shapes, then written as inline SVG (web page and PDF) or
as PNG (DOCX, which cannot hold SVG). Colours are the DSFR's; every chart carries a title and a
summary for screen readers, and the pages show the same figures in a table next to it.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencls.monitoring.models import Status

# DSFR palette (« sun » shades, readable on white).
BLUE_FRANCE = "#000091"
TEXT = "#161616"
TEXT_MENTION = "#666666"
BORDER = "#DDDDDD"
TARGET = "#CE0500"
STATUS_COLOURS = {
    Status.NOT_STARTED: "#666666",
    Status.IN_PROGRESS: "#0063CB",
    Status.DONE: "#18753C",
    Status.POSTPONED: "#B34000",
    Status.ABANDONED: "#CE0500",
}
FONT_FAMILY = "Marianne, Arial, 'DejaVu Sans', sans-serif"
CHAR_WIDTH = 0.56  # average glyph width, in font sizes, for layout


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    tooltip: str = ""


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 1
    dashed: bool = False


@dataclass
class Text:
    x: float
    y: float  # baseline
    text: str
    size: int = 12
    anchor: str = "start"  # start, middle, end
    fill: str = TEXT
    bold: bool = False

    def __post_init__(self):
        self.text = str(self.text)  # labels may be lazy translations


@dataclass
class Chart:
    width: int
    height: int
    title: str
    summary: str  # what the chart says, in a sentence, for readers who do not see it
    shapes: list = field(default_factory=list)

    def to_svg(self, chart_id: str) -> SafeString:
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="opencls-chart" role="img" '
            f'viewBox="0 0 {self.width} {self.height}" width="{self.width}" height="{self.height}" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT_FAMILY}">',
            f'<title id="{chart_id}-title">{escape(self.title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(self.summary)}</desc>',
        ]
        for shape in self.shapes:
            parts.append(_svg(shape))
        parts.append("</svg>")
        return mark_safe("".join(parts))

    def to_png(self, scale: int = 2) -> bytes:
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (self.width * scale, self.height * scale), "white")
        draw = ImageDraw.Draw(image)
        for shape in self.shapes:
            if isinstance(shape, Rect):
                box = [
                    shape.x * scale,
                    shape.y * scale,
                    (shape.x + shape.width) * scale,
                    (shape.y + shape.height) * scale,
                ]
                if box[2] > box[0] and box[3] > box[1]:
                    draw.rectangle(box, fill=shape.fill)
            elif isinstance(shape, Line):
                draw.line(
                    [shape.x1 * scale, shape.y1 * scale, shape.x2 * scale, shape.y2 * scale],
                    fill=shape.stroke,
                    width=max(1, round(shape.width * scale)),
                )
            else:
                anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
                draw.text(
                    (shape.x * scale, shape.y * scale),
                    shape.text,
                    fill=shape.fill,
                    font=_font(shape.size * scale, shape.bold),
                    anchor=anchor,
                )
        output = io.BytesIO()
        image.save(output, format="PNG")
        return output.getvalue()


@dataclass
class ChartBlock:
    """A chart and the id its SVG elements are named after (unique in the page)."""

    chart: Chart
    chart_id: str

    @property
    def svg(self) -> SafeString:
        return self.chart.to_svg(self.chart_id)


def _svg(shape) -> str:
    if isinstance(shape, Rect):
        tooltip = f"<title>{escape(shape.tooltip)}</title>" if shape.tooltip else ""
        return (
            f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{max(shape.width, 0):.1f}" '
            f'height="{max(shape.height, 0):.1f}" fill="{shape.fill}">{tooltip}</rect>'
        )
    if isinstance(shape, Line):
        dash = ' stroke-dasharray="4 3"' if shape.dashed else ""
        return (
            f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" y2="{shape.y2:.1f}" '
            f'stroke="{shape.stroke}" stroke-width="{shape.width}"{dash}/>'
        )
    weight = ' font-weight="bold"' if shape.bold else ""
    return (
        f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size}" text-anchor="{shape.anchor}" '
        f'fill="{shape.fill}"{weight}>{escape(shape.text)}</text>'
    )


@lru_cache(maxsize=16)
def _font(size: int, bold: bool):
    from PIL import ImageFont

    for name in (
        ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")
        if bold
        else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
    ):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def shorten(text: str, width: float, size: int) -> str:
    """The text cut with « … » to fit `width` pixels."""
    limit = max(4, int(width / (size * CHAR_WIDTH)))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def number(value: Decimal | int | None) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    digits = 0 if value == value.to_integral_value() else 2
    return number_format(value, digits, force_grouping=True)


def _legend(shapes: list, entries: list[tuple[str, str]], y: float, x: float = 0, size: int = 11) -> None:
    for colour, label in entries:
        shapes.append(Rect(x, y - size + 2, size, size, colour))
        shapes.append(Text(x + size + 4, y, label, size=size, fill=TEXT))
        x += size + 4 + len(label) * size * CHAR_WIDTH + 16


# Charts ---------------------------------------------------------------------------------------


def status_by_axis_chart(progress) -> Chart:
    """One stacked bar per axis: how many of its actions are in each status."""
    label_width, bar_width, row_height, width = 220, 380, 30, 700
    top = 30
    height = top + row_height * max(len(progress), 1) + 10
    shapes: list = []
    _legend(shapes, [(STATUS_COLOURS[s], Status(s).label) for s in Status.values], 14)
    widest = max((row.total for row in progress), default=0) or 1
    summaries = []
    for index, row in enumerate(progress):
        y = top + index * row_height
        shapes.append(Text(0, y + 19, shorten(str(row.axis), label_width - 8, 12), size=12))
        x = label_width
        for status in Status.values:
            count = row.counts[status]
            if not count:
                continue
            segment = bar_width * count / widest
            shapes.append(
                Rect(
                    x,
                    y + 6,
                    segment,
                    18,
                    STATUS_COLOURS[status],
                    f"{row.axis} — {Status(status).label} : {count}",
                )
            )
            if segment >= 16:
                shapes.append(
                    Text(
                        x + segment / 2,
                        y + 19,
                        str(count),
                        size=11,
                        anchor="middle",
                        fill="#FFFFFF",
                        bold=True,
                    )
                )
            x += segment
        shapes.append(
            Text(
                x + 6,
                y + 19,
                _("%(done)s/%(total)s réalisées") % {"done": row.counts[Status.DONE], "total": row.total},
                size=11,
                fill=TEXT_MENTION,
            )
        )
        summaries.append(
            _("%(axis)s : %(detail)s")
            % {
                "axis": row.axis,
                "detail": ", ".join(
                    f"{row.counts[s]} {Status(s).label.lower()}" for s in Status.values if row.counts[s]
                )
                or _("aucune fiche action"),
            }
        )
    return Chart(
        width,
        height,
        _("Avancement des fiches actions par axe"),
        " ; ".join(summaries) or _("Aucun axe."),
        shapes,
    )


def values_vs_targets_chart(title: str, rows: list[tuple[str, Decimal | None, Decimal | None]]) -> Chart:
    """Horizontal bars of what was achieved, with the target as a red mark; rows are
    (label, achieved, target)."""
    label_width, bar_width, row_height, width = 260, 330, 28, 700
    top = 28
    height = top + row_height * max(len(rows), 1) + 8
    shapes: list = []
    _legend(shapes, [(BLUE_FRANCE, _("Réalisé")), (TARGET, _("Cible"))], 14)
    scale = max([v for _label, a, t in rows for v in (a, t) if v is not None] + [Decimal(1)])
    summaries = []
    for index, (label, achieved, target) in enumerate(rows):
        y = top + index * row_height
        shapes.append(Text(0, y + 18, shorten(label, label_width - 8, 11), size=11))
        shapes.append(Line(label_width, y + 2, label_width, y + row_height - 2, BORDER))
        if achieved is not None and achieved > 0:
            shapes.append(
                Rect(
                    label_width,
                    y + 6,
                    float(bar_width * achieved / scale),
                    16,
                    BLUE_FRANCE,
                    f"{label} : {number(achieved)}",
                )
            )
        if target is not None:
            x = label_width + float(bar_width * target / scale)
            shapes.append(Line(x, y + 2, x, y + row_height - 4, TARGET, width=3))
        end = label_width + float(bar_width * max(achieved or 0, target or 0) / scale)
        caption = number(achieved) + (f" / {number(target)}" if target is not None else "")
        shapes.append(Text(end + 8, y + 18, caption, size=11, fill=TEXT_MENTION))
        summaries.append(
            _("%(label)s : %(achieved)s pour une cible de %(target)s")
            % {"label": label, "achieved": number(achieved), "target": number(target)}
            if target is not None
            else _("%(label)s : %(achieved)s (sans cible)") % {"label": label, "achieved": number(achieved)}
        )
    return Chart(width, height, title, " ; ".join(summaries) or _("Aucune valeur."), shapes)


def period_values_chart(title: str, rows) -> Chart:
    """Vertical bars, one per period (IndicatorPeriodRow), with the target as a red mark."""
    width, height, left, bottom, top = 640, 220, 48, 40, 28
    shapes: list = []
    _legend(shapes, [(BLUE_FRANCE, _("Valeur")), (TARGET, _("Cible"))], 14, x=left)
    figures = [
        v for row in rows for v in (row.achieved, row.target.value if row.target else None) if v is not None
    ]
    scale = max(figures + [Decimal(1)])
    plot_height = height - top - bottom
    slot = (width - left) / max(len(rows), 1)
    shapes.append(Line(left, height - bottom, width, height - bottom, TEXT_MENTION))
    for fraction in (Decimal("0.5"), Decimal(1)):
        y = height - bottom - float(plot_height * fraction)
        shapes.append(Line(left, y, width, y, BORDER, dashed=True))
        shapes.append(
            Text(left - 6, y + 4, number(scale * fraction), size=10, anchor="end", fill=TEXT_MENTION)
        )
    summaries = []
    for index, row in enumerate(rows):
        x = left + index * slot
        bar = min(48, slot * 0.6)
        centre = x + slot / 2
        if row.achieved is not None and row.achieved > 0:
            bar_height = float(plot_height * row.achieved / scale)
            shapes.append(
                Rect(
                    centre - bar / 2,
                    height - bottom - bar_height,
                    bar,
                    bar_height,
                    BLUE_FRANCE,
                    f"{row.period.label} : {number(row.achieved)}",
                )
            )
        if row.target is not None:
            y = height - bottom - float(plot_height * row.target.value / scale)
            shapes.append(Line(centre - bar / 2 - 6, y, centre + bar / 2 + 6, y, TARGET, width=3))
        shapes.append(Text(centre, height - bottom + 16, row.period.short_label, size=11, anchor="middle"))
        shapes.append(
            Text(
                centre,
                height - bottom + 31,
                number(row.achieved),
                size=10,
                anchor="middle",
                fill=TEXT_MENTION,
            )
        )
        summaries.append(
            _("%(period)s : %(value)s") % {"period": row.period.label, "value": number(row.achieved)}
            + (_(" (cible %(target)s)") % {"target": number(row.target.value)} if row.target else "")
        )
    return Chart(width, height, title, " ; ".join(summaries) or _("Aucune période."), shapes)


def calendar_chart(items, first_year: int, last_year: int, today: date) -> Chart:
    """A Gantt chart of the actions and operations that have dates, coloured by status."""
    label_width, width, row_height, top = 250, 760, 22, 40
    dated = [item for item in items if item.start or item.end]
    height = top + row_height * max(len(dated), 1) + 10
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    span = (end - start).days or 1
    plot = width - label_width - 10

    def x_of(day: date) -> float:
        day = min(max(day, start), end)
        return label_width + plot * (day - start).days / span

    shapes: list = []
    _legend(shapes, [(STATUS_COLOURS[s], Status(s).label) for s in Status.values], 12, size=10)
    for year in range(first_year, last_year + 1):
        x = x_of(date(year, 1, 1))
        shapes.append(Line(x, top - 8, x, height - 6, BORDER))
        shapes.append(Text(x + 4, top - 10, str(year), size=11, bold=True))
        middle = x_of(date(year, 7, 1))
        shapes.append(Line(middle, top - 2, middle, height - 6, BORDER, dashed=True))
    if start <= today <= end:
        shapes.append(Line(x_of(today), top - 14, x_of(today), height - 6, TARGET, width=2))
    for index, item in enumerate(dated):
        y = top + index * row_height
        indent = 14 if item.is_operation else 0
        shapes.append(
            Text(
                indent,
                y + 15,
                shorten(item.label, label_width - indent - 8, 11),
                size=11,
                fill=TEXT_MENTION if item.is_operation else TEXT,
            )
        )
        bar_start = x_of(item.start or start)
        bar_end = x_of(item.end or end)
        shapes.append(
            Rect(
                bar_start,
                y + 5,
                max(bar_end - bar_start, 3),
                12,
                STATUS_COLOURS[item.status],
                f"{item.label} — {item.schedule or ''}",
            )
        )
    # The page lists every date in a table: the summary says what the chart shows overall.
    summary = ngettext(
        "%(n)s fiche action ou opération datée, placée de %(first)s à %(last)s ; le tableau du calendrier "
        "donne chaque date.",
        "%(n)s fiches actions et opérations datées, placées de %(first)s à %(last)s ; le tableau du "
        "calendrier donne chaque date.",
        len(dated),
    ) % {"n": len(dated), "first": first_year, "last": last_year}
    return Chart(width, height, _("Calendrier des fiches actions et des opérations"), summary, shapes)
