from django import template

from opencls.accounts.permissions import can as can_do

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, code, obj):
    """{% can "action.change" action as allowed %}"""
    return can_do(context["request"].user, code, obj)
