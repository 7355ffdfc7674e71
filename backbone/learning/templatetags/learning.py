"""`{% learning_entries initiative indicator=… %}` (or `activity=…`): on an indicator's or an
activity's own page, what the learning log says about it, so the data and what was learned
from it are read together."""

from django import template

from backbone.learning.selectors import entries_for
from backbone.permissions import can

register = template.Library()


@register.inclusion_tag("learning/_entries_for.html", takes_context=True)
def learning_entries(context, initiative, *, indicator=None, activity=None):
    if not can(context["request"].user, "learning.view", initiative):
        return {"shown": False}
    about = indicator or activity
    return {
        "shown": True,
        "initiative": initiative,
        "entries": entries_for(initiative, indicator=indicator, activity=activity),
        "filter": ("indicator" if indicator is not None else "activity", about.uuid),
    }
