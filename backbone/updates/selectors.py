"""Reads of the updates feed, always scoped to an initiative.

The feed is one stream of updates and of the decisions recorded at meetings, in the order of
the date each shows: an update its day of posting, a decision the day it was decided (often
recorded days later, after the meeting). Decisions of
private meetings or private working groups stay out of it: the feed is read by every member
(and, for updates, by anyone on a public initiative), so only decisions every member may see
belong here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.http import Http404

from backbone.communication.models import Decision
from backbone.initiatives.models import Initiative
from backbone.permissions import can

from .models import Following, Update

FEED_PAGE_SIZE = 20


@dataclass(frozen=True)
class FeedItem:
    """One entry of the feed: an update or a decision, and the day it shows."""

    on: date
    update: Update | None = None
    decision: Decision | None = None


def open_decisions(initiatives) -> QuerySet[Decision]:
    """Decisions every member of their initiative may read: not of a private meeting or group."""
    return Decision.objects.filter(initiative__in=initiatives, meeting__is_private=False).filter(
        Q(meeting__group__isnull=True) | Q(meeting__group__is_private=False)
    )


def _stream(initiative: Initiative, with_decisions: bool):
    """Keys of the feed's items, sorted by the day each shows, newest first.

    An update shows when it was posted (in the reader's time zone), a decision the day it was
    decided. Within a day, the later recorded comes first; the source and id settle the rest,
    so every page reads the same however often it is asked for.
    """

    def keys(qs, source: str, shown_on):
        return (
            qs.order_by()
            .annotate(source=Value(source, output_field=CharField()), shown_on=shown_on)
            .values_list("source", "pk", "shown_on", "created_at")
        )

    stream = keys(Update.objects.filter(initiative=initiative), "update", TruncDate("created_at"))
    if with_decisions:
        decisions = keys(open_decisions([initiative]), "decision", F("decided_on"))
        stream = stream.union(decisions, all=True)
    return stream.order_by("-shown_on", "-created_at", "source", "-pk")


def feed_page(*, initiative: Initiative, person, number) -> tuple[Page, list[FeedItem]]:
    """One page of the feed, by the day each item shows, in four queries whatever its length."""
    with_decisions = can(person, "updates.decisions", initiative)
    page = Paginator(_stream(initiative, with_decisions), FEED_PAGE_SIZE).get_page(number)
    return page, _feed_items(list(page.object_list))


def _feed_items(rows) -> list[FeedItem]:
    """The feed's items of these stream keys, in their order, in two queries."""
    update_ids = [pk for source, pk, _, _ in rows if source == "update"]
    decision_ids = [pk for source, pk, _, _ in rows if source == "decision"]
    updates = (
        Update.objects.filter(pk__in=update_ids)
        .select_related("author")
        .annotate(comment_count=Count("comments"))
        .in_bulk()
        if update_ids
        else {}
    )
    decisions = (
        Decision.objects.filter(pk__in=decision_ids).select_related("meeting__group").in_bulk()
        if decision_ids
        else {}
    )
    items = [
        FeedItem(on=shown_on, update=updates[pk])
        if source == "update"
        else FeedItem(on=shown_on, decision=decisions[pk])
        for source, pk, shown_on, _ in rows
    ]
    return items


def update_get(*, initiative: Initiative, uuid) -> Update:
    """The update within this initiative, or 404 (never another initiative's)."""
    try:
        return Update.objects.select_related("author").get(initiative=initiative, uuid=uuid)
    except Update.DoesNotExist as exc:
        raise Http404("No such update.") from exc


def comments_of(update: Update):
    return update.comments.select_related("author")


def following_of(*, initiative: Initiative, person) -> Following:
    """What the person follows here; the defaults (everything) until they choose."""
    found = Following.objects.filter(initiative=initiative, person=person).first()
    return found or Following(initiative=initiative, person=person)


class Feed:
    """The feed as one sequence, for the API's pagination: its length is one count, and a
    slice reads only its own items (the same order and the same items as the feed page)."""

    def __init__(self, *, initiative: Initiative, person) -> None:
        self.stream = _stream(initiative, can(person, "updates.decisions", initiative))

    def __len__(self) -> int:
        return self.stream.count()

    def __getitem__(self, window: slice) -> list[FeedItem]:
        return _feed_items(list(self.stream[window]))


def comments_count(update: Update) -> int:
    return update.comments.count()
