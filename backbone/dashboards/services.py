"""Writes of the dashboards: the story behind the curve."""

from __future__ import annotations

from django.db import transaction

from backbone.initiatives.models import Partner
from backbone.measurement.models import Indicator, Period
from backbone.revisions import revise

from .models import Story

STORY_FIELDS = ("behind_the_curve", "partners_with_a_role", "what_works", "action_plan")


@transaction.atomic
def story_save(
    *,
    indicator: Indicator,
    period: Period,
    partner: Partner | None,
    by,
    read_revision: int | None = None,
    **text: str,
) -> Story:
    """Write one partner's (or the backbone's) story of an indicator in a period, replacing
    what it said before. Refused (EditConflict) when it was saved since the form was read at
    `read_revision` (0: before its first save)."""
    if period.initiative_id != indicator.initiative_id or (
        partner is not None and partner.initiative_id != indicator.initiative_id
    ):
        raise ValueError("The period and partner must belong to the indicator's initiative.")
    story = (
        Story.objects.select_for_update()
        .filter(indicator=indicator, period=period, partner=partner)
        .first()
    ) or Story(initiative_id=indicator.initiative_id, indicator=indicator, period=period)
    revise(story, read=read_revision, by=by)
    story.partner = partner
    for name in STORY_FIELDS:
        setattr(story, name, (text.get(name) or "").strip())
    story.updated_by = by
    story.save()
    return story
