"""`{% engagement_alerts %}`: partners gone quiet, on the home page of backbone staff."""

from django import template

from backbone.initiatives.models import Initiative, Membership
from backbone.permissions import STAFF_ROLES, can

from ..alerts import engagement_alerts as alerts_of

register = template.Library()


@register.inclusion_tag("health/_home_alerts.html", takes_context=True)
def engagement_alerts(context):
    """For each initiative the person works in as backbone staff, its engagement alerts."""
    person = context["request"].user
    if not person.is_authenticated:
        return {"initiatives": []}
    ids = Membership.objects.filter(person=person, role__in=STAFF_ROLES).values("initiative_id")
    found = [
        (initiative, alerts_of(initiative=initiative))
        for initiative in Initiative.objects.filter(pk__in=ids).order_by("name")
        if can(person, "health.alerts_notify", initiative)
    ]
    return {"initiatives": found}
