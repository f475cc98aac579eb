from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import number_format

from opencls.accounts.permissions import can
from opencls.core.registry import CONTRACT_TABS

register = template.Library()


@register.inclusion_tag("includes/contract_tabs.html", takes_context=True)
def contract_tabs(context, contract):
    request = context["request"]
    tabs = [
        {"label": tab.label, "url": reverse(tab.url_name, args=[contract.pk]), "current": False}
        for tab in CONTRACT_TABS
        if can(request.user, tab.permission, contract)
    ]
    # The current tab is the one whose address is the longest prefix of the page's: sub-pages
    # of a tab keep it highlighted, and the overview (a prefix of every tab) only on itself.
    matching = [tab for tab in tabs if request.path.startswith(tab["url"])]
    if matching:
        max(matching, key=lambda tab: len(tab["url"]))["current"] = True
    return {"tabs": tabs}


@register.filter
def euros(value):
    """1234.5 → « 1 234,50 € » whatever the active locale's grouping setting."""
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value), 2, force_grouping=True)} €"


@register.filter
def percent(value, digits=2):
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value), int(digits), force_grouping=True)} %"
