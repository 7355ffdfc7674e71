"""`{% can "agenda.edit" initiative as may_edit %}`: templates ask the one permissions module."""

from django import template

from backbone import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, rule: str, initiative, obj=None) -> bool:
    return permissions.can(context["request"].user, rule, initiative, obj)
