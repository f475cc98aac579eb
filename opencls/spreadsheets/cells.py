"""Reading one spreadsheet cell into a plain value, and back.

Every column of a sheet has a kind (text, date, amount…). A cell is read into a *canonical*
value that is JSON-able and compares exactly: text is a stripped string, a date an ISO string,
an amount a decimal string with two digits (« 1234.50 »), a list of names a list of strings.
The same canonical values are produced from the database, so a diff is a plain comparison.
Errors are raised as `CellError` with a French message; the caller adds sheet, row and column.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext as _

from opencls.core.text import normalize_text

# Dates outside these years are typing mistakes (« 1900 », « 2200 ») in a health contract.
MIN_YEAR = 1950
MAX_YEAR = 2100
MAX_AMOUNT = Decimal("9999999999.99")  # FundingLine amounts have 12 digits, 2 of them decimals
EXCEL_EPOCH = date(1899, 12, 30)

TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
AMOUNT = "amount"
DATE = "date"
BOOLEAN = "boolean"
CHOICE = "choice"
NAMES = "names"
LINES = "lines"


class CellError(ValueError):
    """A cell that cannot be read; the message is French and shown to the user."""


def clean_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(str(value).replace("\u00a0", " "))


@lru_cache(maxsize=65536)  # the same labels (axes, statuses, headers) are folded over and over
def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive key for headers and list labels."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("’", "'").replace("\u00a0", " ").casefold().split())


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------- dates

_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_SERIAL = re.compile(r"^\d{1,6}(?:[.,]0+)?$")


def _checked(day: date) -> date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CellError(
            _("la date %(date)s est hors de la période acceptée (%(min)s–%(max)s)")
            % {"date": day.strftime("%d/%m/%Y"), "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return day


def _from_serial(serial: float) -> date:
    try:
        return EXCEL_EPOCH + timedelta(days=int(serial))
    except OverflowError as error:
        raise CellError(_("« %(value)s » n'est pas une date") % {"value": serial}) from error


def _last_day(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_date(value, *, end_of_period: bool = False) -> str | None:
    """A date cell, an Excel serial number (even typed as text), JJ/MM/AAAA, AAAA-MM-JJ,
    MM/AAAA or a bare year. A month or a year alone means its first day, or its last day
    for an end date."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return _checked(value.date()).isoformat()
    if isinstance(value, date):
        return _checked(value).isoformat()
    if isinstance(value, bool):
        raise CellError(_("« %(value)s » n'est pas une date") % {"value": value})
    if isinstance(value, int | float | Decimal):
        if MIN_YEAR <= value <= MAX_YEAR and float(value).is_integer():
            return _year(int(value), end_of_period)
        return _checked(_from_serial(float(value))).isoformat()
    text = clean_text(value)
    try:
        if match := _DAY_MONTH_YEAR.match(text):
            day, month, year = (int(g) for g in match.groups())
            year += 2000 if year < 100 else 0
            return _checked(date(year, month, day)).isoformat()
        if match := _ISO.match(text):
            year, month, day = (int(g) for g in match.groups())
            return _checked(date(year, month, day)).isoformat()
        if match := _MONTH_YEAR.match(text):
            month, year = int(match[1]), int(match[2])
            day = _last_day(year, month) if end_of_period else date(year, month, 1)
            return _checked(day).isoformat()
    except ValueError as error:
        if isinstance(error, CellError):
            raise
        raise CellError(_("« %(value)s » n'est pas une date qui existe") % {"value": text}) from error
    if _YEAR.match(text) and MIN_YEAR <= int(text) <= MAX_YEAR:
        return _year(int(text), end_of_period)
    if _SERIAL.match(text):
        return _checked(_from_serial(float(text.replace(",", ".")))).isoformat()
    raise CellError(_("« %(value)s » n'est pas une date (attendu JJ/MM/AAAA)") % {"value": text})


def _year(year: int, end_of_period: bool) -> str:
    return (date(year, 12, 31) if end_of_period else date(year, 1, 1)).isoformat()


# ---------------------------------------------------------------- numbers

_CURRENCY = re.compile(r"(€|eur(os?)?|\bht\b|\bttc\b)", re.IGNORECASE)
_THOUSANDS_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def _decimal(value, *, what: str) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("« %(value)s » n'est pas un %(what)s") % {"value": value, "what": what})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _CURRENCY.sub("", clean_text(value))
    text = re.sub(r"[\s\u202f']", "", text)
    if "," in text and "." in text:  # the last separator is the decimal one
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    elif _THOUSANDS_DOTS.match(text):
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise CellError(
            _("« %(value)s » n'est pas un %(what)s") % {"value": clean_text(value), "what": what}
        ) from error
    if not number.is_finite():
        raise CellError(_("« %(value)s » n'est pas un %(what)s") % {"value": clean_text(value), "what": what})
    return number


def parse_amount(value) -> str | None:
    """Euros, positive, at most two decimals: « 12 000 € », « 1 234,50 », 1234.5."""
    if is_blank(value):
        return None
    number = _decimal(value, what=_("montant"))
    if number < 0:
        raise CellError(_("le montant %(value)s est négatif") % {"value": clean_text(value)})
    if number > MAX_AMOUNT:
        raise CellError(_("le montant %(value)s est trop élevé") % {"value": clean_text(value)})
    return str(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def parse_decimal(value) -> str | None:
    """A positive figure (indicator target or value, share in %), two decimals at most."""
    if is_blank(value):
        return None
    number = _decimal(value, what=_("nombre"))
    if number < 0:
        raise CellError(_("le nombre %(value)s est négatif") % {"value": clean_text(value)})
    if number >= Decimal("1e12"):
        raise CellError(_("le nombre %(value)s est trop grand") % {"value": clean_text(value)})
    return str(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def parse_integer(value, *, minimum: int = 0, maximum: int = 2_000_000_000) -> int | None:
    if is_blank(value):
        return None
    number = _decimal(value, what=_("nombre entier"))
    if number != number.to_integral_value():
        raise CellError(_("« %(value)s » n'est pas un nombre entier") % {"value": clean_text(value)})
    if not minimum <= number <= maximum:
        raise CellError(
            _("%(value)s est hors des limites (%(min)s à %(max)s)")
            % {"value": clean_text(value), "min": minimum, "max": maximum}
        )
    return int(number)


_TRUE = {"oui", "vrai", "true", "1", "x", "yes"}
_FALSE = {"non", "faux", "false", "0", "no"}


def parse_boolean(value) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    folded = fold(clean_text(value))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(_("« %(value)s » : attendu « Oui » ou « Non »") % {"value": clean_text(value)})


def parse_choice(value, choices: dict[str, str], *, what: str) -> str:
    """A label of `choices` (code → French label), matched case- and accent-insensitively;
    the code itself is accepted too."""
    if is_blank(value):
        return ""
    text = clean_text(value)
    folded = fold(text)
    for code, label in choices.items():
        if folded in (fold(str(label)), fold(code)):
            return code
    raise CellError(
        _("« %(value)s » n'est pas %(what)s connu (valeurs possibles : %(choices)s)")
        % {"value": text, "what": what, "choices": ", ".join(str(label) for label in choices.values())}
    )


def split_names(value, separators: str = ";\n") -> list[str]:
    """Organisation names of a cell; empty items dropped, spaces collapsed."""
    if is_blank(value):
        return []
    text = clean_text(value)
    parts = re.split("[" + re.escape(separators) + "]", text)
    return [" ".join(part.split()) for part in parts if part.strip()]


def split_lines(value) -> list[str]:
    if is_blank(value):
        return []
    return [line.strip() for line in clean_text(value).split("\n") if line.strip()]


# ---------------------------------------------------------------- back to cells


def date_cell(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def number_cell(value: str | None) -> int | float | None:
    """Amounts go to the sheet as numbers: whole euros as integers, others as floats."""
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def amount_text(value: str | None) -> str:
    """« 12 000,50 € » for the review screen."""
    if value is None:
        return ""
    number = Decimal(value)
    whole, _dot, cents = f"{number:,.2f}".partition(".")
    whole = whole.replace(",", "\u202f")
    return f"{whole} €" if cents == "00" else f"{whole},{cents} €"


# ---------------------------------------------------------------- exports: text is never a formula
# A spreadsheet reads text starting with one of these as a formula (`=HYPERLINK(…)` typed in an
# action title would run in the reader's spreadsheet). Every export writes such text as text.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_LEADS)


def text_cell(cell):
    """An openpyxl cell whose text stays text: typed as a string (never a formula), and marked
    with Excel's « quote prefix » so that editing the cell keeps it as text. Numbers are left alone."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_formula_like(cell.value):
            cell.quotePrefix = True
    return cell


def csv_cell(value):
    """A CSV value; formula-like text gets a leading apostrophe (numbers are never text here)."""
    return f"'{value}" if is_formula_like(value) else value
