"""`{% language_switcher %}`: the form that changes the language of the pages."""

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


@register.inclusion_tag("web/_language_switcher.html", takes_context=True)
def language_switcher(context):
    """Back to the same page after the change, without a `?lang=` that would override it."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("lang", None)
    here = request.path + (f"?{query.urlencode()}" if query else "")
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "here": here,
        "current": translation.get_language(),
        "languages": settings.LANGUAGES,
    }
