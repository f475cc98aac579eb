from django import template

from opencls.monitoring import charts
from opencls.monitoring.models import Status
from opencls.monitoring.reports import format_period_row

register = template.Library()

BADGES = {
    Status.NOT_STARTED: "",
    Status.IN_PROGRESS: "fr-badge--info",
    Status.DONE: "fr-badge--success",
    Status.POSTPONED: "fr-badge--warning",
    Status.ABANDONED: "fr-badge--error",
}


@register.inclusion_tag("monitoring/includes/status_badge.html")
def status_badge(status, small=True):
    """{% status_badge action.current_status %}: the DSFR badge of a status."""
    return {"label": Status(status).label, "css": BADGES[Status(status)], "small": small}


@register.filter
def figure(value):
    """A value or a target as people write it: « 2 », « 2,5 », « 1 200 »; « — » when empty."""
    return charts.number(value)


@register.filter
def period_row(row, indicator=None):
    """{{ row|period_row:item.indicator }}: the words of the report, following the measure kind."""
    return format_period_row(row, indicator)


@register.simple_tag
def measure_text(indicator, value):
    """{% measure_text indicator row.value %}: « 12 », « 45 % », « 82 % de satisfaits (moyenne…) »."""
    from opencls.monitoring.measures import summarise

    if value is None:
        return "—"
    return summarise(indicator, value.value, value.breakdown).text


@register.filter
def breakdown_text(breakdown):
    """« Femmes : 7 ; Hommes : 5 » — empty without a breakdown."""
    from opencls.monitoring.measures import breakdown_text as text

    return text(breakdown)
