"""`{{ cell|activity_cell:base }}`: one cell of an alignment matrix — how many activities and
the first few by name — written in Python, since a matrix has thousands of cells and a
template include for each would be most of the page's time."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

register = template.Library()

NAMED = 5


@register.filter
def activity_cell(cell, base: str) -> SafeString:
    if not cell:
        return mark_safe('<span class="muted">—</span>')
    prefix = escape(base)
    names = "".join(
        f'<li><a href="{prefix}{a.uuid}/">{escape(a.name)}</a></li>' for a in cell[:NAMED]
    )
    more = ""
    if len(cell) > NAMED:
        left = len(cell) - NAMED
        more = ngettext("and %(count)s more", "and %(count)s more", left) % {"count": left}
        more = f"<li>{escape(more)}</li>"
    return mark_safe(f'<strong>{len(cell)}</strong><ul class="small">{names}{more}</ul>')
