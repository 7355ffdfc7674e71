"""How the network's figures print: a dash for a figure that does not exist."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()

DASH = "—"


@register.filter
def measure(value, digits=2):
    """A measure on 0–1 (density, centrality): two decimals."""
    return DASH if value is None else floatformat(value, digits)


@register.filter
def pct(value, digits=1):
    """A percentage already on 0–100 (trust, value)."""
    return DASH if value is None else f"{floatformat(value, digits)}%"


@register.filter
def share(value, digits=0):
    """A share on 0–1 shown as a percentage (reciprocity)."""
    return DASH if value is None else f"{floatformat(value * 100, digits)}%"


@register.filter
def figure(value, key):
    """A whole-network figure by its key, printed the way the results page prints it."""
    if key in ("trust_pct", "value_pct"):
        return pct(value)
    if key == "reciprocity":
        return share(value)
    if key in ("partners", "ties", "groups"):
        return DASH if value is None else value
    return measure(value)


@register.filter
def change(c):
    """The change of a `measures.Change`, signed, in the figure's own unit."""
    delta = c.change
    if delta is None:
        return DASH
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    size = abs(delta)
    if c.key in ("trust_pct", "value_pct"):
        return _("%(change)s points") % {"change": f"{sign}{floatformat(size, 1)}"}
    if c.key == "reciprocity":
        return _("%(change)s points") % {"change": f"{sign}{floatformat(size * 100, 0)}"}
    if c.key in ("partners", "ties", "groups"):
        return f"{sign}{size:g}"
    return f"{sign}{floatformat(size, 2)}"
