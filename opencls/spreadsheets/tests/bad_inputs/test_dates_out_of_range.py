from datetime import date

import pytest

from opencls.spreadsheets.tests.helpers import column_of, edited


@pytest.mark.parametrize(("typed", "shown"), [(date(1900, 1, 1), "01/01/1900"), ("31/12/2200", "31/12/2200")])
def test_a_date_in_1900_or_2200_is_reported(upload, exported, typed, shown):
    column = column_of(exported, "Plan", "Début")

    result = upload(edited(exported, {("Plan", f"{column}2"): typed}))

    assert (
        f"Feuille Plan, ligne 2, colonne Début : la date {shown} est hors de la période acceptée (1950–2100)"
    ) in result.text
    assert result.upload.state == "invalid"
