from django import template
from django.utils.dateparse import parse_date

from opencls.monitoring.charts import number

register = template.Library()


@register.filter
def iso_date(value):
    """A date of the published snapshot (ISO text) as a date, for the `date` filter."""
    return parse_date(value) if value else None


@register.filter
def figure(value):
    """A figure the French way (« 1 234,5 »), « — » when missing."""
    return number(value)
