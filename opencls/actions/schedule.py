"""Read the free-text "Calendrier" of a fiche action into a date range.

Action sheets write their schedule in words ("Premier semestre 2026", "Démarrage début 2026",
"2025-2028"). `parse_schedule` turns the texts it understands into `(start, end)` and returns
`(None, None)` for anything else, so a human sets the dates rather than the parser guessing.

Grammar (case, accents and extra spaces ignored):
- a period: "2026", "[en|courant|année|au cours de l'année] 2026", "premier|second|deuxième semestre
  2026", "S1 2026", "1er|2e|3e|4e trimestre 2026", "T2 2026", "janvier 2026", "début 2026" (first
  quarter), "fin 2026" (last quarter);
- a range of two periods: "2025-2028", "de janvier à juin 2026" (the year of the second period
  applies to the first when it has none), "premier semestre 2026 - fin 2027";
- an open start: "démarrage [en|début] 2026", "à partir de", "dès" + a period → (start, None);
- an open end: "jusqu'à", "d'ici", "avant" + a period → (None, end);
- a day: "1er mars 2026", "15/09/2025", "2026-03-01", so "du 1er mars 2026 au 30 juin 2027" and
  "du 01/03/2026 au 31/12/2027" are ranges too (issue 17).
"""

import calendar
import re
from datetime import date

from opencls.accounts.models import normalise_name

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("janvier", "janv"),
            ("fevrier", "fevr", "fev"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("aout",),
            ("septembre", "sept"),
            ("octobre", "oct"),
            ("novembre", "nov"),
            ("decembre", "dec"),
        ],
        start=1,
    )
    for name in names
}
ORDINALS = {
    "premier": 1, "1er": 1, "1e": 1, "1": 1,
    "second": 2, "deuxieme": 2, "2nd": 2, "2e": 2, "2eme": 2, "2": 2,
    "troisieme": 3, "3e": 3, "3eme": 3, "3": 3,
    "quatrieme": 4, "4e": 4, "4eme": 4, "4": 4,
}  # fmt: skip
YEAR = r"(?P<year>(?:19|20)\d\d)"
ORDINAL = r"(?P<ordinal>" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + ")"
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR_PREFIX = (
    r"(?:(?:en|courant|annee|dans\s+le\s+courant\s+de|au\s+cours\s+de|durant)\s+(?:l'\s*annee\s+)?)?"
)
PERIOD_PATTERNS = [
    ("year", re.compile(rf"^{YEAR_PREFIX}{YEAR}$")),
    ("semester", re.compile(rf"^{ORDINAL}\s+semestre(?:\s+(?:de\s+l'annee\s+|de\s+)?{YEAR})?$")),
    ("semester", re.compile(rf"^s(?P<ordinal>[12])\s*{YEAR}?$")),
    ("quarter", re.compile(rf"^{ORDINAL}\s+trimestre(?:\s+(?:de\s+l'annee\s+|de\s+)?{YEAR})?$")),
    ("quarter", re.compile(rf"^t(?P<ordinal>[1-4])\s*{YEAR}?$")),
    ("month", re.compile(rf"^(?:en\s+|courant\s+|debut\s+|fin\s+)?{MONTH}(?:\s+{YEAR})?$")),
    ("start_of_year", re.compile(rf"^debut\s+(?:d'annee\s+|de\s+l'annee\s+|annee\s+)?{YEAR}$")),
    ("end_of_year", re.compile(rf"^fin\s+(?:d'annee\s+|de\s+l'annee\s+|annee\s+)?{YEAR}$")),
]
DAY_PATTERNS = [
    re.compile(rf"^(?:le\s+)?(?P<day>1er|\d{{1,2}})\s+{MONTH}\s+{YEAR}$"),
    re.compile(r"^(?:le\s+)?(?P<day>\d{1,2})[/.](?P<month_number>\d{1,2})[/.](?P<year>(?:19|20)\d\d)$"),
    re.compile(r"^(?P<year>(?:19|20)\d\d)-(?P<month_number>\d\d)-(?P<day>\d\d)$"),
]
# "du 1er mars 2026 au 30 juin 2027": days contain "/" and "-", so they are split on words only.
DAY_RANGE = re.compile(
    r"^(?:du\s+|de\s+|d'|entre\s+le\s+)?(?P<first>.+?)\s+(?:au|a|jusqu'au|et\s+le)\s+(?P<second>.+)$"
)
OPEN_START = re.compile(
    r"^(?:demarrage|lancement|a partir d[eu]|des|debut de l'action)\s*:?\s+"
    r"(?:en\s+|au\s+|du\s+|le\s+)?(?P<period>.+)$",
)
OPEN_END = re.compile(
    r"^(?:jusqu'(?:a|au|en)|d'ici(?: a| la fin d[eu])?|avant(?: la fin d[eu])?)\s+"
    r"(?:l'|le\s+|la\s+)?(?P<period>.+)$",
)
# Two periods joined by "à", "au", "jusqu'à", a dash or a slash.
RANGE = re.compile(
    r"^(?:de |du |d')?(?P<first>.+?)\s*(?:\s(?:a|au|jusqu'a|jusqu'au)\s|[-/]|\s[-–—]\s)\s*(?P<second>.+)$",
)

Range = tuple[date | None, date | None]
NOTHING: Range = (None, None)


def _clean(text: str) -> str:
    text = normalise_name(text).replace("–", "-").replace("—", "-")
    return text.strip(" .;:")


def _day(text: str) -> date | None:
    for pattern in DAY_PATTERNS:
        if match := pattern.match(text):
            groups = match.groupdict()
            month = MONTHS[groups["month"]] if groups.get("month") else int(groups["month_number"])
            day = 1 if groups["day"] == "1er" else int(groups["day"])
            try:
                return date(int(groups["year"]), month, day)
            except ValueError:
                return None
    return None


def _period(text: str, default_year: int | None = None) -> Range | None:
    """The first and last day of one period, or None when the text is not a period."""
    if day := _day(text):
        return day, day
    for kind, pattern in PERIOD_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        year = int(groups["year"]) if groups.get("year") else default_year
        if year is None:
            return None
        if kind == "year":
            return date(year, 1, 1), date(year, 12, 31)
        if kind == "start_of_year":
            return date(year, 1, 1), date(year, 3, 31)
        if kind == "end_of_year":
            return date(year, 10, 1), date(year, 12, 31)
        if kind == "month":
            first = last = MONTHS[groups["month"]]
        else:
            number = ORDINALS[groups["ordinal"]]
            size = 6 if kind == "semester" else 3
            if number * size > 12:
                return None
            first, last = (number - 1) * size + 1, number * size
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    return None


def _range(text: str) -> Range | None:
    period = _period(text)
    if period:
        return period
    if match := DAY_RANGE.match(text):
        first, second = _period(match["first"]), _period(match["second"])
        if first and second and first[0] <= second[1] and (_day(match["first"]) or _day(match["second"])):
            return first[0], second[1]
    match = RANGE.match(text)
    if not match:
        return None
    second = _period(match["second"])
    if second is None:
        return None
    first = _period(match["first"], default_year=second[0].year)
    if first is None or first[0] > second[1]:
        return None
    return first[0], second[1]


def parse_schedule(text: str) -> Range:
    """(start, end) read from a French schedule text; (None, None) when not understood."""
    cleaned = _clean(text or "")
    if not cleaned:
        return NOTHING
    if match := OPEN_START.match(cleaned):
        found = _range(match["period"])
        return (found[0], None) if found else NOTHING
    if match := OPEN_END.match(cleaned):
        found = _range(match["period"])
        return (None, found[1]) if found else NOTHING
    return _range(cleaned) or NOTHING
