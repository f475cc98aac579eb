"""Periods an indicator is measured over: a year, a semester or a quarter.

A period is stored as a short code (« 2026 », « 2026-S2 », « 2026-T3 ») so that a value keeps
its meaning even if the indicator's periodicity is changed later.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

YEAR = "year"
SEMESTER = "semester"
QUARTER = "quarter"
PARTS = {YEAR: 1, SEMESTER: 2, QUARTER: 4}
LETTERS = {SEMESTER: "S", QUARTER: "T"}
CODE = re.compile(r"^(?P<year>\d{4})(?:-(?P<letter>[ST])(?P<index>[1-4]))?$")


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    index: int = 1  # 1-based semester or quarter number; 1 for a year

    @classmethod
    def from_code(cls, code: str) -> "Period":
        match = CODE.match((code or "").strip().upper())
        if match is None:
            raise ValueError(
                _("Période « %(code)s » invalide : attendu « 2026 », « 2026-S1 » ou « 2026-T3 ».")
                % {"code": code}
            )
        year = int(match["year"])
        if match["letter"] is None:
            return cls(YEAR, year)
        kind = SEMESTER if match["letter"] == "S" else QUARTER
        index = int(match["index"])
        if index > PARTS[kind]:
            raise ValueError(
                _("Période « %(code)s » invalide : une année compte deux semestres.") % {"code": code}
            )
        return cls(kind, year, index)

    @property
    def code(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        return f"{self.year}-{LETTERS[self.kind]}{self.index}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        ordinal = _("1er") if self.index == 1 else _("%(n)se") % {"n": self.index}
        if self.kind == SEMESTER:
            return _("%(ordinal)s semestre %(year)s") % {"ordinal": ordinal, "year": self.year}
        return _("%(ordinal)s trimestre %(year)s") % {"ordinal": ordinal, "year": self.year}

    @property
    def short_label(self) -> str:
        return str(self.year) if self.kind == YEAR else f"{LETTERS[self.kind]}{self.index} {self.year}"

    @property
    def start(self) -> date:
        months = 12 // PARTS[self.kind]
        return date(self.year, (self.index - 1) * months + 1, 1)

    @property
    def end(self) -> date:
        months = 12 // PARTS[self.kind]
        last_month = self.index * months
        if last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, last_month + 1, 1) - timedelta(days=1)

    def __str__(self):
        return self.label


def periods_of_year(kind: str, year: int) -> list[Period]:
    return [Period(kind, year, index) for index in range(1, PARTS[kind] + 1)]


def semester_of(day: date) -> Period:
    return Period(SEMESTER, day.year, 1 if day.month <= 6 else 2)
