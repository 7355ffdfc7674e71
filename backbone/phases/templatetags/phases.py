"""`{% phase_standing initiative %}`: where the initiative stands, for its overview page.

Shown to those who may read the tracker (members); visitors of a public initiative see the
overview without it.
"""

from django import template

from backbone.permissions import can

from ..selectors import phase_standing as standing_of

register = template.Library()


@register.inclusion_tag("phases/_standing.html", takes_context=True)
def phase_standing(context, initiative):
    person = context["request"].user
    standing = None
    if initiative.framework_id and can(person, "phases.view", initiative):
        standing = standing_of(initiative=initiative)
    return {"initiative": initiative, "standing": standing}
