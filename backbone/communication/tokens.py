"""Calendar feed links: a secret in the URL, of which only the SHA-256 hash is kept.

The link is shown once, when it is made. It reads as its person, with the person's standing
at the time of reading, so leaving a group or the initiative empties the feed; a revoked link
is gone for good (404).
"""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from backbone.initiatives.models import Initiative

from .models import CalendarFeed, WorkingGroup

PREFIX_LENGTH = 8


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def feed_create(
    *, initiative: Initiative, person, group: WorkingGroup | None = None
) -> tuple[CalendarFeed, str]:
    """A new feed link; returns the feed with the raw token, which is never stored."""
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        initiative=initiative,
        person=person,
        group=group,
        token_hash=token_hash(raw),
        prefix=raw[:PREFIX_LENGTH],
    )
    return feed, raw


def feed_revoke(*, feed: CalendarFeed) -> CalendarFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_for(*, initiative: Initiative, raw: str) -> CalendarFeed | None:
    """The live feed of this initiative that `raw` opens, or None."""
    if not raw or len(raw) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("person", "group")
        .filter(initiative=initiative, token_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
