from django import template

from opencls.accounts.permissions import can as can_do
from opencls.accounts.permissions import can_create_contract

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, code, obj):
    """{% can "action.change" action as allowed %}"""
    return can_do(context["request"].user, code, obj)


@register.filter
def may_create_contracts(user):
    """{% if user|may_create_contracts %}"""
    return can_create_contract(user)
