from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import template
from django.utils.formats import number_format

register = template.Library()


def _signed(value: Decimal, digits: int) -> str:
    text = number_format(abs(value), digits, force_grouping=True)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


@register.filter
def points(value):
    """-0.01 → « −0,01 pt »: a gap between two percentages."""
    if value is None:
        return "—"
    return f"{_signed(Decimal(value), 2)} pt"


@register.filter
def signed_euros(value):
    if value is None:
        return "—"
    return f"{_signed(Decimal(value), 2)} €"


@register.filter
def exact_percent(value: Fraction, digits=4):
    """An exact share (a Fraction, in %) to `digits` decimals, for the reader to check the rounding."""
    if value is None:
        return "—"
    digits = int(digits)
    # number_format truncates: round first so the shown decimals are the nearest ones.
    exact = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1).scaleb(-digits), ROUND_HALF_UP
    )
    return f"{number_format(exact, digits, force_grouping=True)} %"


@register.filter
def grouped(value):
    """77743 → « 77 743 »."""
    if value is None:
        return "—"
    return number_format(value, 0, force_grouping=True)
