import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from PIL import Image

from opencls.monitoring import charts
from opencls.monitoring.periods import Period, periods_of_year, semester_of


@pytest.mark.parametrize(
    ("code", "label", "start", "end"),
    [
        ("2026", "2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        ("2026-S1", "1er semestre 2026", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        ("2026-s2", "2e semestre 2026", datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
        ("2028-T1", "1er trimestre 2028", datetime.date(2028, 1, 1), datetime.date(2028, 3, 31)),
        ("2026-T4", "4e trimestre 2026", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_period_codes(code, label, start, end):
    period = Period.from_code(code)
    assert (period.label, period.start, period.end) == (label, start, end)
    assert Period.from_code(period.code) == period


@pytest.mark.parametrize("code", ["", "26", "2026-Q1", "2026-T5", "2026-S3"])
def test_bad_period_codes(code):
    with pytest.raises(ValueError, match="invalide"):
        Period.from_code(code)


def test_periods_of_a_year_and_current_semester():
    assert [p.code for p in periods_of_year("quarter", 2027)] == ["2027-T1", "2027-T2", "2027-T3", "2027-T4"]
    assert semester_of(datetime.date(2026, 7, 1)).code == "2026-S2"


def test_svg_escapes_the_labels_and_names_itself_for_screen_readers():
    chart = charts.values_vs_targets_chart(
        "Indicateurs <FA 1.1>", [("<script>alert(1)</script>", Decimal(3), Decimal(2))]
    )
    svg = str(chart.to_svg("c1"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'role="img" ' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Indicateurs &lt;FA 1.1&gt;</title>' in svg
    assert "3 pour une cible de 2" in chart.summary


def test_same_chart_as_png_for_the_docx():
    chart = charts.values_vs_targets_chart("Indicateurs", [("Sessions", Decimal(3), Decimal(2))])
    image = Image.open(BytesIO(chart.to_png()))
    assert image.format == "PNG" and image.size == (chart.width * 2, chart.height * 2)
    # The bar is drawn in blue France where the SVG puts it.
    bar = next(
        shape
        for shape in chart.shapes
        if isinstance(shape, charts.Rect) and shape.fill == charts.BLUE_FRANCE and shape.width > 20
    )
    pixel = image.getpixel((int((bar.x + bar.width / 2) * 2), int((bar.y + bar.height / 2) * 2)))
    assert pixel == (0, 0, 145)


def test_bar_lengths_follow_the_values():
    chart = charts.values_vs_targets_chart(
        "Indicateurs", [("A", Decimal(10), None), ("B", Decimal(5), None), ("C", None, Decimal(4))]
    )
    bars = [shape for shape in chart.shapes if isinstance(shape, charts.Rect) and shape.tooltip]
    assert [bar.tooltip for bar in bars] == ["A : 10", "B : 5"]
    assert bars[0].width == pytest.approx(2 * bars[1].width)
    assert "C : — pour une cible de 4" in chart.summary
