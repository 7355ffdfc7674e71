"""Results on other areas' pages: `{% needle_moving initiative %}` lists the indicators that
moved the needle, for the initiative's overview, as the reader may see them."""

from django import template

from backbone.permissions import can

from ..charts import with_sparklines
from ..scorecard import scorecard

register = template.Library()


@register.inclusion_tag("dashboards/_needle_moving.html", takes_context=True)
def needle_moving(context, initiative):
    person = context["request"].user
    rows = []
    if can(person, "measurement.view", initiative):
        rows = with_sparklines(scorecard(initiative=initiative, person=person).needle_moving)
    return {"initiative": initiative, "rows": rows}
