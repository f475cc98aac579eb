"""Read the deliberations a contract cites ("Vu la délibération n°… du … autorisant le Maire de … à signer").

004 lists one per commune; Willems' still reads "n°XXXXXX du XXXXXXXXXX 2025", which is kept
as written so the platform shows it as missing rather than inventing a number or a date.
"""

import re
from dataclasses import dataclass
from datetime import date

from opencls.accounts.models import normalise_name

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("janvier",),
            ("fevrier", "février"),
            ("mars",),
            ("avril",),
            ("mai",),
            ("juin",),
            ("juillet",),
            ("aout", "août"),
            ("septembre",),
            ("octobre",),
            ("novembre",),
            ("decembre", "décembre"),
        ],
        start=1,
    )
    for name in names
}

# One citation per line, each part bounded: a long pasted text stays linear to read.
_CITATION = re.compile(
    r"d[ée]lib[ée]ration\s+n\s*[°o]\s*(?P<number>\S[^\n]{0,80}?)\s+du\s+(?P<date>[^\n]{1,40}?)\s+"
    r"(?:portant\s+[^\n]{1,600}?\s+)?autorisant\s+(?:le|la|l['’])\s*(?P<signer>maire|pr[ée]sidente?)\s+"
    r"(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|d['’]|de\s+)(?P<party>[^\n]{1,120}?)\s+(?:à|a)\s+signer",
    re.IGNORECASE,
)
_DATE = re.compile(r"^(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-zéû]+)\s+(?P<year>\d{4})$", re.IGNORECASE)
_BODIES = {"maire": "conseil municipal"}


@dataclass(frozen=True)
class ParsedDeliberation:
    party: str  # as named in the text: "Willems", "Villeneuve d'Ascq"
    number: str
    date: date | None
    body: str
    stated_text: str


def match_key(name: str) -> str:
    """Names compared loosely: "Ville de Villeneuve-d'Ascq" contains "Villeneuve d'Ascq"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", normalise_name(name)).split())


def parse_french_date(text: str) -> date | None:
    match = _DATE.match(" ".join(text.split()))
    if not match:
        return None
    month = MONTHS.get(match["month"].lower())
    try:
        return date(int(match["year"]), month, int(match["day"])) if month else None
    except ValueError:
        return None


def parse_deliberations(text: str) -> list[ParsedDeliberation]:
    text = text.replace("**", "").replace("\u00a0", " ")
    found = []
    for match in _CITATION.finditer(text):
        number = " ".join(match["number"].split())
        date_text = " ".join(match["date"].split())
        found.append(
            ParsedDeliberation(
                party=" ".join(match["party"].split()),
                number=number,
                date=parse_french_date(date_text),
                body=_BODIES.get(match["signer"].lower(), ""),
                stated_text=f"n°{number} du {date_text}",
            )
        )
    return found
