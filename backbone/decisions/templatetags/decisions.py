"""`{% decisions_waiting %}`: for the home page, outcomes whose review date has come for their
owner, and open proposals still waiting for the signed-in person's vote."""

from django import template
from django.utils import timezone

from backbone.decisions.selectors import due_for_review, waiting_for_vote

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
