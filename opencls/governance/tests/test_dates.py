from datetime import date

import pytest

from opencls.governance.dates import duration_text, prs_end_date, termination_effective_date


@pytest.mark.parametrize(
    ("notified_on", "effective_on"),
    [
        (date(2025, 11, 30), date(2026, 2, 28)),  # 30 Nov + 3 months: no 30 Feb, last day of February
        (date(2027, 11, 30), date(2028, 2, 29)),  # leap year
        (date(2027, 11, 29), date(2028, 2, 29)),
        (date(2025, 11, 28), date(2026, 2, 28)),
        (date(2026, 5, 31), date(2026, 8, 31)),
        (date(2026, 3, 31), date(2026, 6, 30)),  # no 31 June
        (date(2026, 1, 15), date(2026, 4, 15)),
        (date(2026, 10, 31), date(2027, 1, 31)),  # across the year end
        (date(2026, 12, 31), date(2027, 3, 31)),
    ],
)
def test_termination_takes_effect_three_calendar_months_later(notified_on, effective_on):
    assert termination_effective_date(notified_on) == effective_on


@pytest.mark.parametrize(
    ("plan", "end"),
    [
        ("Projet Régional de Santé Hauts-de-France 2018-2028", date(2028, 12, 31)),
        ("PRS 2 (2018 – 2028)", date(2028, 12, 31)),
        ("Schéma régional de santé 2023-2028", date(2028, 12, 31)),
        ("PRS Hauts-de-France", None),
        ("", None),
    ],
)
def test_end_of_the_prs_is_the_last_day_of_its_last_year(plan, end):
    assert prs_end_date(plan) == end


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2026, 3, 1), date(2028, 12, 31), "2 ans, 9 mois et 30 jours"),
        (date(2026, 1, 1), date(2027, 1, 1), "1 an"),
        (date(2026, 1, 1), date(2026, 3, 2), "2 mois et 1 jour"),
        (date(2026, 1, 1), date(2026, 1, 1), "moins d'un jour"),
    ],
)
def test_time_left_reads_in_french(start, end, text):
    assert duration_text(start, end) == text
