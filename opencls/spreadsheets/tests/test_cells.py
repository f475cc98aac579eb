from datetime import date, datetime

import pytest

from opencls.spreadsheets.cells import (
    CellError,
    parse_amount,
    parse_boolean,
    parse_choice,
    parse_date,
    parse_integer,
    split_names,
)
from opencls.spreadsheets.layout import split_numbered


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 1), "2026-03-01"),
        (datetime(2026, 3, 1, 0, 0), "2026-03-01"),
        (47727, "2030-09-01"),  # an Excel serial number
        ("47727", "2030-09-01"),  # … stored as text, as real TeT files do
        ("01/09/2030", "2030-09-01"),
        ("1/9/2030", "2030-09-01"),
        ("01.09.2030", "2030-09-01"),
        ("2030-09-01", "2030-09-01"),
        ("2030-09-01 00:00:00", "2030-09-01"),
        ("09/2030", "2030-09-01"),
        ("2030", "2030-01-01"),
        (2030, "2030-01-01"),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_every_form_real_files_hold(value, expected):
    assert parse_date(value) == expected


def test_a_month_or_a_year_alone_ends_on_its_last_day_in_an_end_date():
    assert parse_date("02/2028", end_of_period=True) == "2028-02-29"
    assert parse_date("2028", end_of_period=True) == "2028-12-31"


@pytest.mark.parametrize("value", ["01/01/1900", date(1900, 1, 1), "31/12/2200", date(2200, 12, 31), 1])
def test_dates_outside_1950_2100_are_refused_in_french(value):
    with pytest.raises(CellError, match="hors de la période acceptée"):
        parse_date(value)


@pytest.mark.parametrize("value", ["31/02/2026", "demain", "2026-13-01"])
def test_text_that_is_not_a_date(value):
    with pytest.raises(CellError, match="date"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12000, "12000.00"),
        (1234.5, "1234.50"),
        ("12 000", "12000.00"),
        ("12\u202f000 €", "12000.00"),
        ("1 234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("12.000", "12000.00"),
        ("50000 € HT", "50000.00"),
        ("", None),
    ],
)
def test_amounts_typed_as_numbers_or_text(value, expected):
    assert parse_amount(value) == expected


def test_negative_and_non_numeric_amounts_are_refused():
    with pytest.raises(CellError, match="le montant -500 est négatif"):
        parse_amount(-500)
    with pytest.raises(CellError, match="« beaucoup » n'est pas un montant"):
        parse_amount("beaucoup")


def test_integers_booleans_and_choices():
    assert parse_integer("2 026") == 2026
    with pytest.raises(CellError, match="n'est pas un nombre entier"):
        parse_integer("12,5")
    assert parse_boolean("VRAI") is True
    assert parse_boolean("non") is False
    choices = {"done": "Réalisée", "in_progress": "En cours"}
    assert parse_choice("realisee", choices, what="un statut") == "done"
    with pytest.raises(CellError, match="« Fini » n'est pas un statut connu"):
        parse_choice("Fini", choices, what="un statut")


def test_lists_split_with_or_without_spaces():
    assert split_names("ARS ;Ville de Lens;  CCAS  ") == ["ARS", "Ville de Lens", "CCAS"]
    assert split_names("ARS,Ville de Lens, CCAS", separators=",") == ["ARS", "Ville de Lens", "CCAS"]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("1. Un territoire désirable", ("1", "Un territoire désirable")),
        ("1.1. Améliorer la qualité de l'air", ("1.1", "Améliorer la qualité de l'air")),
        ("Axe 2 - Prévention", ("Axe 2", "Prévention")),
        ("II. Accès aux soins", ("II", "Accès aux soins")),
        ("Accès aux soins", ("", "Accès aux soins")),
    ],
)
def test_numbered_labels(label, expected):
    assert split_numbered(label) == expected
