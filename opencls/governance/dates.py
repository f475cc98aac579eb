"""Date arithmetic of the contract's life: notice periods, the end of the PRS, the time left."""

import re
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# 003 art. 11, 004 art. 9: "sous réserve du respect d'un délai de préavis de trois mois".
NOTICE = relativedelta(months=3)

_YEAR = re.compile(r"\b(20\d\d)\b")


def termination_effective_date(notified_on: date) -> date:
    """Three calendar months after notice, clamped to the month's end: 30 Nov → 28 (or 29) Feb."""
    return notified_on + NOTICE


def prs_end_date(regional_health_plan: str) -> date | None:
    """The last day of the last year named by the PRS ("PRS Hauts-de-France 2018-2028" → 31/12/2028)."""
    years = [int(y) for y in _YEAR.findall(regional_health_plan or "")]
    return date(max(years), 12, 31) if years else None


def duration_text(start: date, end: date) -> str:
    """« 2 ans, 3 mois et 5 jours » from start to end (end after start)."""
    delta = relativedelta(end, start)
    if end <= start:
        return _("moins d'un jour")
    parts = []
    if delta.years:
        parts.append(ngettext("%(n)d an", "%(n)d ans", delta.years) % {"n": delta.years})
    if delta.months:
        parts.append(ngettext("%(n)d mois", "%(n)d mois", delta.months) % {"n": delta.months})
    if delta.days:
        parts.append(ngettext("%(n)d jour", "%(n)d jours", delta.days) % {"n": delta.days})
    if len(parts) == 1:
        return parts[0]
    return _("%(head)s et %(last)s") % {"head": ", ".join(parts[:-1]), "last": parts[-1]}
