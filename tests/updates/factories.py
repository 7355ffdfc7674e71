"""Plain factories for updates, meetings, decisions and action items."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from backbone.communication.models import ActionItem, Decision, Meeting
from backbone.updates.models import Update, UpdateComment


def make_update(initiative, *, title="Library opens on Sundays", kind="news", author=None, at=None):
    update = Update.objects.create(
        initiative=initiative,
        kind=kind,
        title=title,
        body="First line.\nSecond line.",
        author=author,
    )
    if at is not None:
        Update.objects.filter(pk=update.pk).update(created_at=at)
        update.refresh_from_db()
    return update


def make_comment(update, *, author, body="Good news for families.", at=None):
    comment = UpdateComment.objects.create(
        initiative=update.initiative, update=update, author=author, body=body
    )
    if at is not None:
        UpdateComment.objects.filter(pk=comment.pk).update(created_at=at)
    return comment


def make_meeting(initiative, *, is_private=False, title="Partners' meeting", starts=None):
    starts = starts or timezone.now() - timedelta(days=1)
    return Meeting.objects.create(
        initiative=initiative,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        time_zone="America/Chicago",
        is_private=is_private,
    )


def make_decision(
    meeting,
    *,
    text="Adopt the reading target for 2027.",
    at: datetime | None = None,
    decided_on: date | None = None,
):
    decision = Decision.objects.create(
        initiative=meeting.initiative,
        meeting=meeting,
        text=text,
        decided_on=decided_on or date(2026, 11, 30),
        decided_by="the partners, by consensus",
    )
    if at is not None:
        Decision.objects.filter(pk=decision.pk).update(created_at=at)
    return decision


def make_action(meeting, *, owner, text="Send the summer reading list", due_on=None):
    return ActionItem.objects.create(
        initiative=meeting.initiative, meeting=meeting, text=text, owner=owner, due_on=due_on
    )
