from django import template

from backbone.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_link.html", takes_context=True)
def notifications_link(context):
    """The header's link to the person's notifications, with how many are unread."""
    request = context.get("request")
    return {"unread": unread_count(getattr(request, "user", None))}
