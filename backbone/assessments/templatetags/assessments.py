"""`{% surveys_waiting %}`: the rounds the signed-in person is asked to answer, for the home
page."""

from django import template

from backbone.assessments.selectors import waiting_for

register = template.Library()


@register.inclusion_tag("assessments/_surveys_waiting.html", takes_context=True)
def surveys_waiting(context):
    return {"waiting": waiting_for(context["request"].user)}
