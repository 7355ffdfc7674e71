"""`{% initiative_navigation %}`: the initiative's areas and the current area's pages."""

from django import template

from backbone.web.navigation import navigation

register = template.Library()


@register.inclusion_tag("web/_subnav.html", takes_context=True)
def initiative_navigation(context):
    initiative = context["initiative"]
    return {
        "initiative": initiative,
        "nav": navigation(context["request"].user, initiative, context.get("section")),
    }
