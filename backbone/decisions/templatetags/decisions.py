"""`{% decisions_waiting %}`: for the home page, outcomes whose review date has come for their
owner, and open proposals still waiting for the signed-in person's vote.
`{% proposals_about initiative meeting=… %}` (or `strategy=`, `indicator=`): the proposals
that concern a meeting, strategy or indicator, on its own page."""

from django import template
from django.utils import timezone

from backbone.decisions.selectors import due_for_review, proposals_about, waiting_for_vote
from backbone.permissions import can

register = template.Library()


@register.inclusion_tag("decisions/_waiting.html", takes_context=True)
def decisions_waiting(context):
    person = context["request"].user
    today = timezone.localdate()
    return {
        "reviews": due_for_review(person, today),
        "waiting": waiting_for_vote(person),
        "today": today,
    }


@register.inclusion_tag("decisions/_about.html", takes_context=True, name="proposals_about")
def proposals_about_tag(context, initiative, *, meeting=None, strategy=None, indicator=None):
    person = context["request"].user
    if not can(person, "decisions.view", initiative):
        return {"shown": False}
    return {
        "shown": True,
        "initiative": initiative,
        "proposals": proposals_about(
            initiative=initiative,
            person=person,
            meeting=meeting,
            strategy=strategy,
            indicator=indicator,
        ),
    }
