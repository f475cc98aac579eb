"""The diagnosis' figures drawn against the département, the région and France."""

from decimal import Decimal

from django.utils.translation import gettext as _

from opencls.diagnosis.selectors import parse_number
from opencls.monitoring.charts import (
    BLUE_FRANCE,
    BORDER,
    TEXT_MENTION,
    Chart,
    Line,
    Rect,
    Text,
    _legend,
    number,
    shorten,
)

# The territory in the DSFR blue, the references in greys from dark to light.
SERIES = (
    ("territory_value", BLUE_FRANCE),
    ("department_value", "#6A6AF4"),
    ("region_value", "#929292"),
    ("nation_value", "#CECECE"),
)


def series_labels() -> dict[str, str]:
    return {
        "territory_value": _("Territoire"),
        "department_value": _("Département"),
        "region_value": _("Région"),
        "nation_value": _("France"),
    }


def comparable(figure) -> dict[str, Decimal]:
    """The figure's numbers by series, when there is a territory value and one reference."""
    values = {key: parse_number(getattr(figure, key)) for key, _colour in SERIES}
    values = {key: value for key, value in values.items() if value is not None}
    return values if "territory_value" in values and len(values) > 1 else {}


def comparison_chart(title: str, figures) -> Chart | None:
    """One row per figure, a bar per series; each row has its own scale (units differ)."""
    rows = [(figure, comparable(figure)) for figure in figures]
    rows = [(figure, values) for figure, values in rows if values]
    if not rows:
        return None
    labels = series_labels()
    label_width, bar_width, bar_height, width = 260, 330, 9, 700
    row_height = bar_height * len(SERIES) + 14
    top = 28
    shapes: list = []
    _legend(shapes, [(colour, labels[key]) for key, colour in SERIES], 14)
    summaries = []
    for index, (figure, values) in enumerate(rows):
        y = top + index * row_height
        caption = f"{figure.label} ({figure.unit})" if figure.unit else figure.label
        shapes.append(Text(0, y + row_height / 2 + 4, shorten(caption, label_width - 8, 11), size=11))
        shapes.append(Line(label_width, y + 2, label_width, y + row_height - 4, BORDER))
        scale = max([abs(v) for v in values.values()] + [Decimal(1)])
        for series, (key, colour) in enumerate(SERIES):
            value = values.get(key)
            bar_y = y + 4 + series * bar_height
            if value is None:
                continue
            length = float(bar_width * abs(value) / scale)
            shapes.append(
                Rect(label_width, bar_y, length, bar_height - 2, colour, f"{labels[key]} : {number(value)}")
            )
            shapes.append(Text(label_width + length + 6, bar_y + bar_height - 2, number(value), size=9,
                               fill=TEXT_MENTION))  # fmt: skip
        summaries.append(
            f"{figure.label} : "
            + ", ".join(f"{labels[key]} {number(values[key])}" for key, _colour in SERIES if key in values)
        )
    height = top + row_height * len(rows) + 8
    return Chart(width, height, title, " ; ".join(summaries), shapes)
