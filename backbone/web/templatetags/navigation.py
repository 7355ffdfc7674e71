"""`{% initiative_navigation %}`: the initiative's areas and the current area's pages."""

from django import template

from backbone.web.navigation import navigation
from backbone.web.waiting import waiting_counts

register = template.Library()


@register.inclusion_tag("web/_subnav.html", takes_context=True)
def initiative_navigation(context):
    initiative = context["initiative"]
    person = context["request"].user
    counts = waiting_counts(person, initiative)
    return {
        "initiative": initiative,
        "nav": navigation(person, initiative, context.get("section"), counts),
    }
