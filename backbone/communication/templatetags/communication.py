"""`{% my_action_items %}`: the signed-in person's open action items, for the home page."""

from django import template
from django.utils import timezone

from backbone.communication.selectors import my_open_actions

register = template.Library()


@register.inclusion_tag("communication/_my_action_items.html", takes_context=True)
def my_action_items(context):
    request = context["request"]
    return {
        "actions": my_open_actions(request.user),
        "today": timezone.localdate(),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("communication/_figures.html")
def communication_figures(initiative):
    """The initiative page's figures of how often partners meet and who comes."""
    from backbone.communication.figures import communication_figures as figures

    return {"initiative": initiative, "figures": figures(initiative=initiative)}
