"""Writes of updates, comments and what members follow. Access is checked by the caller."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from backbone.initiatives.models import Initiative
from backbone.notifications.events import comment_posted

from .models import DigestSchedule, Following, Update, UpdateComment


def update_create(*, initiative: Initiative, by, kind: str, title: str, body: str) -> Update:
    """Post an update; an empty title or text, or an unknown kind, is refused."""
    problems = {}
    if kind not in Update.Kind.values:
        problems["kind"] = "Choose news or a data release."
    if not title.strip():
        problems["title"] = "Give the update a title."
    if not body.strip():
        problems["body"] = "Write something first."
    if problems:
        raise ValidationError(problems)
    return Update.objects.create(
        initiative=initiative, author=by, kind=kind, title=title.strip(), body=body.strip()
    )


@transaction.atomic
def comment_create(*, update: Update, by, body: str) -> UpdateComment:
    if not body.strip():
        raise ValidationError({"body": "Write a comment first."})
    comment = UpdateComment.objects.create(
        initiative_id=update.initiative_id, update=update, author=by, body=body.strip()
    )
    comment_posted(comment)
    return comment


@transaction.atomic
def following_save(
    *,
    initiative: Initiative,
    person,
    news: bool,
    data_releases: bool,
    decisions: bool,
    comments: bool,
    frequency: str,
) -> Following:
    """What a member follows in this initiative, and how often they want their digest (the
    frequency is the person's own and applies to all their initiatives)."""
    following, _ = Following.objects.update_or_create(
        initiative=initiative,
        person=person,
        defaults={
            "news": news,
            "data_releases": data_releases,
            "decisions": decisions,
            "comments": comments,
        },
    )
    DigestSchedule.objects.update_or_create(person=person, defaults={"frequency": frequency})
    return following


def frequency_of(person) -> str:
    found = DigestSchedule.objects.filter(person=person).values_list("frequency", flat=True)
    return found.first() or DigestSchedule.Frequency.WEEKLY
