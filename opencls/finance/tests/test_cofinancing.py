"""The co-financing rule of 004, computed exactly, and the largest-remainder rounding."""

from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencls.finance.cofinancing import (
    CofinancingError,
    Party,
    StatedLine,
    compare,
    compute_cofinancing,
    largest_remainder,
)
from opencls.finance.tests.factories import CLSI2M_POPULATIONS, CLSI2M_STATED

COMMUNES = [Party(name, name, population) for name, population in CLSI2M_POPULATIONS.items()]
RULE = {"ars_rate": Decimal("50"), "ars_cap": Decimal("30000.00"), "communes": COMMUNES}


def by_label(cofinancing):
    return {share.label: share for share in cofinancing.shares}


def test_004_computed_shares_add_up_to_100_by_largest_remainder():
    result = compute_cofinancing(cost=None, **RULE)
    assert result.total_population == 77743
    assert {label: str(share.percentage) for label, share in by_label(result).items()} == {
        "ARS": "50.00",
        "Villeneuve d'Ascq": "39.92",
        "Baisieux": "3.33",
        "Willems": "1.93",  # 2 996 / 77 743 × 50 % = 1,9269 %
        "Sainghin-en-Mélantois": "1.83",
        "Forest-sur-Marque": "1.07",
        "Gruson": "0.79",  # 0,7956 % rounded half up would be 0,80: the remainder is too small
        "Péronne-en-Mélantois": "0.65",
        "Bouvines": "0.48",
    }
    assert sum(share.percentage for share in result.shares) == Decimal("100.00")
    assert by_label(result)["Willems"].exact_percentage == Fraction(2996, 77743) * 50
    assert all(share.amount is None for share in result.shares)  # no cost, no amounts


def test_004_signed_table_differs_on_three_lines_and_sums_to_99_97():
    result = compute_cofinancing(cost=None, **RULE)
    stated = [StatedLine(label, Decimal(percentage)) for label, percentage in CLSI2M_STATED.items()]
    comparison = compare(result, stated)
    gaps = {line.computed.label: line.percentage_gap for line in comparison.differing}
    assert gaps == {
        "Willems": Decimal("-0.01"),
        "Forest-sur-Marque": Decimal("-0.01"),
        "Péronne-en-Mélantois": Decimal("-0.01"),
    }
    assert comparison.stated_total == Decimal("99.97")
    assert comparison.stated_total_gap == Decimal("-0.03")


def test_004_amounts_at_60000_reach_the_cap_without_lowering_the_ars_share():
    result = compute_cofinancing(cost=Decimal("60000.00"), **RULE)
    shares = by_label(result)
    assert shares["ARS"].amount == Decimal("30000.00")
    assert shares["Villeneuve d'Ascq"].amount == Decimal("23950.84")
    assert shares["Willems"].amount == Decimal("1156.12")
    assert shares["Bouvines"].amount == Decimal("291.34")
    assert sum(share.amount for share in result.shares) == Decimal("60000.00")
    assert result.cap_reached and not result.cap_binds
    assert result.cap_threshold == Decimal("60000.00")


def test_cap_binds_above_60000_and_the_communes_pay_the_rest():
    result = compute_cofinancing(cost=Decimal("70000.00"), **RULE)
    shares = by_label(result)
    assert result.cap_binds
    assert shares["ARS"].amount == Decimal("30000.00")
    assert shares["ARS"].percentage == Decimal("42.86")  # 30 000 / 70 000
    assert result.communes_amount == Decimal("40000.00")
    assert shares["Villeneuve d'Ascq"].amount == Decimal("31934.45")  # 40 000 × 62 067 / 77 743
    assert shares["Villeneuve d'Ascq"].percentage == Decimal("45.62")
    assert sum(share.amount for share in result.shares) == Decimal("70000.00")
    assert sum(share.percentage for share in result.shares) == Decimal("100.00")

    uncapped = compute_cofinancing(
        cost=Decimal("70000.00"), ars_rate=Decimal("50"), ars_cap=None, communes=COMMUNES
    )
    assert by_label(uncapped)["ARS"].amount == Decimal("35000.00")
    assert not uncapped.cap_binds


def test_below_the_cap_the_ars_pays_half():
    result = compute_cofinancing(cost=Decimal("40000.00"), **RULE)
    assert not result.cap_reached
    assert result.ars.amount == Decimal("20000.00")
    assert result.ars.percentage == Decimal("50.00")


def test_half_cents_are_settled_by_largest_remainder():
    result = compute_cofinancing(
        cost=Decimal("1000.01"), ars_rate=Decimal("50"), ars_cap=None, communes=COMMUNES
    )
    assert sum(share.amount for share in result.shares) == Decimal("1000.01")
    assert result.ars.amount in {Decimal("500.00"), Decimal("500.01")}


@pytest.mark.parametrize(
    ("population", "names"),
    [(0, "Willems"), (None, "Willems")],
)
def test_population_zero_or_missing_is_a_french_error_and_nothing_is_computed(population, names):
    communes = [*COMMUNES[:6], Party("w", "Willems", population), COMMUNES[7]]
    with pytest.raises(CofinancingError, match=f"Population manquante ou nulle pour : {names}"):
        compute_cofinancing(cost=Decimal("60000.00"), ars_rate=Decimal("50"), ars_cap=None, communes=communes)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cost": Decimal("0")}, "supérieur à zéro"),
        ({"cost": Decimal("-10")}, "supérieur à zéro"),
        ({"cost": Decimal("10.001")}, "au centime près"),
        ({"ars_rate": Decimal("120")}, "entre 0 et 100"),
        ({"ars_cap": Decimal("-1")}, "ne peut pas être négatif"),
        ({"communes": []}, "Aucune commune"),
    ],
)
def test_bad_input_is_refused_in_french(kwargs, message):
    arguments = {"cost": Decimal("60000.00"), **RULE, **kwargs}
    with pytest.raises(CofinancingError, match=message):
        compute_cofinancing(**arguments)


def test_largest_remainder_gives_missing_units_to_the_largest_fractions_then_the_earliest():
    assert largest_remainder([Fraction(10, 3)] * 3, 10) == [4, 3, 3]
    assert largest_remainder([Fraction(1, 2), Fraction(3, 4), Fraction(3, 4)], 2) == [0, 1, 1]
    with pytest.raises(ValueError):
        largest_remainder([Fraction(1, 2)], 1)


populations = st.lists(st.integers(min_value=1, max_value=3_000_000), min_size=1, max_size=40)
costs = st.integers(min_value=1, max_value=10**11).map(lambda cents: Decimal(cents).scaleb(-2))
rates = st.integers(min_value=0, max_value=10000).map(lambda hundredths: Decimal(hundredths).scaleb(-2))
caps = st.none() | st.integers(min_value=0, max_value=10**9).map(lambda cents: Decimal(cents).scaleb(-2))


@settings(deadline=None)  # exact fractions: timing varies with the numbers drawn
@given(populations=populations, cost=st.none() | costs, rate=rates, cap=caps)
def test_rounding_always_adds_up_exactly(populations, cost, rate, cap):
    communes = [Party(i, f"Commune {i}", p) for i, p in enumerate(populations)]
    result = compute_cofinancing(cost=cost, ars_rate=rate, ars_cap=cap, communes=communes)
    assert sum(share.percentage for share in result.shares) == Decimal("100.00")
    for share in result.shares:
        # never further than one hundredth from the exact share
        assert abs(Fraction(share.percentage) - share.exact_percentage) < Fraction(1, 100)
        assert share.percentage == share.percentage.quantize(Decimal("0.01"))
    if cost is not None:
        assert sum(share.amount for share in result.shares) == cost
        assert all(share.amount >= 0 for share in result.shares)
        ars_exact = min(cost * rate / 100, cap) if cap is not None else cost * rate / 100
        assert abs(result.ars.amount - ars_exact) < Decimal("0.01")


@given(st.lists(st.fractions(min_value=0, max_value=1000), min_size=1, max_size=30))
def test_largest_remainder_property(values):
    total_fraction = sum(values)
    # scale so the values add up to an integer
    scale = total_fraction.denominator
    exact = [value * scale for value in values]
    total = int(sum(exact))
    result = largest_remainder(exact, total)
    assert sum(result) == total
    for value, rounded in zip(exact, result, strict=True):
        if value.denominator == 1:  # nothing to round: never bumped
            assert rounded == value
        else:
            assert rounded in (floor(value), floor(value) + 1)
