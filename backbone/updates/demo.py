"""The demo's updates feed: a year of news and data releases from the backbone, with partners'
and residents' comments."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative

from .models import Update, UpdateComment

#: (days ago, kind, title, body, comments); {this_year} and {next_year} name the school year under
#: way when the post was written and the one after it.
POSTS = [
    (
        330,
        "news",
        "Welcome to the partnership's updates",
        "News, decisions and data releases will appear here. Choose what you follow, and how "
        "often you hear about it, on the Following page.",
        [],
    ),
    (
        250,
        "data_release",
        "Kindergarten readiness, school year {this_year}",
        "Approved figures from the district's entry assessment are on the scorecard. "
        "Readiness rose three points; the gap between Black and white children narrowed.",
        [
            ("priya.natarajan", "The library's story times may be part of this: we doubled them."),
            ("rosa.delgado", "Will the figures be shown by neighbourhood next time?"),
        ],
    ),
    (
        160,
        "news",
        "Summer reading: partners wanted",
        "No partner runs summer reading in Southside. The reading action team meets on the "
        "first Tuesday; come and see where your programmes could fit.",
        [("tomas.silva", "We can lend two staff for July.")],
    ),
    (
        60,
        "data_release",
        "Chronic absenteeism, first semester",
        "Provisional figures: absence is down in four of six schools. The attendance mentors' "
        "pilot is described on the indicator's page.",
        [("samuel.adeyemi", "The evaluation team will look at the two schools where it rose.")],
    ),
    (
        12,
        "news",
        "Community meeting on the next school year's targets",
        "Residents and partners are invited to the library on the 14th, 6 pm, to discuss the "
        "targets for {next_year}. Childcare and interpretation are provided.",
        [],
    ),
]


def _school_years(day) -> dict[str, str]:
    """The school year under way on `day` (they start in August) and the next, as "2025–26"."""
    first = day.year if day.month >= 8 else day.year - 1
    return {
        "this_year": f"{first}–{(first + 1) % 100:02d}",
        "next_year": f"{first + 1}–{(first + 2) % 100:02d}",
    }


def updates_demo(*, initiative: Initiative, author: Person) -> int:
    """Write the demo's posts (again, from scratch) and return how many there are."""
    Update.objects.filter(initiative=initiative).delete()
    now = timezone.now()
    domain = author.email.split("@", 1)[1]
    people = {p.email.split("@")[0]: p for p in Person.objects.filter(email__endswith=domain)}
    for days_ago, kind, title, body, comments in POSTS:
        at = now - timedelta(days=days_ago)
        years = _school_years(timezone.localdate(at))
        update = Update.objects.create(
            initiative=initiative,
            kind=kind,
            title=title.format(**years),
            body=body.format(**years),
            author=author,
        )
        Update.objects.filter(pk=update.pk).update(created_at=at)
        for n, (who, text) in enumerate(comments, start=1):
            if who in people:
                comment = UpdateComment.objects.create(
                    initiative=initiative, update=update, author=people[who], body=text
                )
                later = at + timedelta(days=n)
                UpdateComment.objects.filter(pk=comment.pk).update(created_at=later)
    return len(POSTS)
