"""E-mail digests: what changed in a person's initiatives since their last digest.

Who is due: a daily digest 24 hours after the last one, a weekly one 7 days after (someone
who never had one is due at once and is told of the last day or week). An empty digest is not
sent and not recorded, so the next run looks again from the same point. Each digest is recorded
(`DigestSent`, unique per person and window) before it is sent: a second run, two runs at once,
or a run after a worker was killed mid-send never e-mail anyone twice, and a refused send
removes its record, so the person is tried again next time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import IntegrityError
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from backbone.accounts.languages import in_language_of
from backbone.accounts.models import Person
from backbone.communication.models import ActionItem, Decision
from backbone.health.alerts import Alert, engagement_alerts
from backbone.initiatives.models import Initiative, Membership
from backbone.notifications.models import Notification
from backbone.notifications.selectors import for_digest
from backbone.notifications.services import DIGEST_TOPIC, unsubscribe_headers
from backbone.permissions import STAFF_ROLES
from backbone.web.links import site_url

from .models import DigestSchedule, DigestSent, Following, Update, UpdateComment
from .selectors import open_decisions

logger = logging.getLogger(__name__)

PERIODS = {
    DigestSchedule.Frequency.DAILY: timedelta(days=1),
    DigestSchedule.Frequency.WEEKLY: timedelta(days=7),
}


def window_key(frequency: str, now: datetime) -> str:
    """`daily:2026-12-01` or `weekly:2026-W49`: at most one digest per person in each."""
    day = timezone.localdate(now)
    if frequency == DigestSchedule.Frequency.DAILY:
        return f"daily:{day.isoformat()}"
    year, week, _ = day.isocalendar()
    return f"weekly:{year}-W{week:02d}"


@dataclass(frozen=True)
class Due:
    person: Person
    frequency: str
    since: datetime


def digests_due(*, now: datetime) -> list[Due]:
    """Active members whose last digest is a full period old (or who never had one)."""
    people = (
        Person.objects.filter(is_active=True, pk__in=Membership.objects.values("person"))
        .exclude(digest_schedule__frequency=DigestSchedule.Frequency.NONE)
        .annotate(last_sent=Max("digests_sent__sent_at"))
        .select_related("digest_schedule")
        .order_by("pk")
    )
    due = []
    for person in people:
        schedule = getattr(person, "digest_schedule", None)
        frequency = schedule.frequency if schedule else DigestSchedule.Frequency.WEEKLY
        period = PERIODS[frequency]
        if person.last_sent is None:
            due.append(Due(person=person, frequency=frequency, since=now - period))
        elif now - person.last_sent >= period:
            due.append(Due(person=person, frequency=frequency, since=person.last_sent))
    return due


@dataclass
class Section:
    """What is new in one initiative."""

    initiative: Initiative
    updates: list[Update] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    comments: list[UpdateComment] = field(default_factory=list)
    actions_new: list[ActionItem] = field(default_factory=list)
    actions_overdue: list[ActionItem] = field(default_factory=list)
    engagement_alerts: list[Alert] = field(default_factory=list)  # backbone staff only
    for_you: list[Notification] = field(default_factory=list)  # chosen "in my digest"

    @property
    def size(self) -> int:
        return (
            len(self.for_you)
            + len(self.updates)
            + len(self.decisions)
            + len(self.comments)
            + len(self.actions_new)
            + len(self.actions_overdue)
            + len(self.engagement_alerts)
        )


@dataclass
class Digest:
    person: Person
    frequency: str
    since: datetime
    now: datetime
    sections: list[Section]

    @property
    def size(self) -> int:
        return sum(section.size for section in self.sections)


def digest_build(
    *,
    person: Person,
    frequency: str,
    since: datetime,
    now: datetime,
    alerts: dict[int, list[Alert]] | None = None,
) -> Digest:
    """The digest of one person: a fixed number of queries, whatever their initiatives, plus
    the engagement alerts of the initiatives they are backbone staff of. `alerts` keeps those
    by initiative across one run, so each initiative's are worked out once, not per person."""
    roles = list(Membership.objects.filter(person=person).values_list("initiative_id", "role"))
    initiative_ids = {pk for pk, _ in roles}
    initiatives = Initiative.objects.filter(pk__in=initiative_ids).order_by("name")
    rows = Following.objects.filter(person=person, initiative__in=initiatives)
    chosen = {f.initiative_id: f for f in rows}
    follows = {pk: chosen.get(pk) or Following(initiative_id=pk) for pk in initiative_ids}
    sections = {i.pk: Section(initiative=i) for i in initiatives}
    window = Q(created_at__gt=since, created_at__lte=now)

    kinds = Q(pk__in=[])
    for pk, f in follows.items():
        if f.kinds:
            kinds |= Q(initiative_id=pk, kind__in=f.kinds)
    updates = Update.objects.filter(window, kinds).exclude(author=person)
    for update in updates.order_by("created_at"):
        sections[update.initiative_id].updates.append(update)

    with_decisions = [pk for pk, f in follows.items() if f.decisions]
    for decision in (
        open_decisions(with_decisions)
        .filter(window)
        .select_related("meeting")
        .order_by("created_at")
    ):
        sections[decision.initiative_id].decisions.append(decision)

    with_comments = [pk for pk, f in follows.items() if f.comments]
    theirs = Update.objects.filter(
        Q(author=person) | Q(comments__author=person), initiative__in=with_comments
    )
    for comment in (
        UpdateComment.objects.filter(window, update__in=theirs)
        .exclude(author=person)
        .select_related("update", "author")
        .order_by("created_at")
    ):
        sections[comment.initiative_id].comments.append(comment)

    today = timezone.localdate(now)
    for action in (
        ActionItem.objects.filter(
            owner=person, status=ActionItem.Status.OPEN, initiative__in=initiative_ids
        )
        .filter(window | Q(due_on__lt=today))
        .select_related("meeting")
        .order_by("due_on", "pk")
    ):
        section = sections[action.initiative_id]
        if action.due_on is not None and action.due_on < today:
            section.actions_overdue.append(action)
        else:
            section.actions_new.append(action)

    for notification in for_digest(person, since=since, now=now):
        if notification.initiative_id in sections:
            sections[notification.initiative_id].for_you.append(notification)

    # Partners going quiet, like overdue action items, are told until they are dealt with.
    alerts = {} if alerts is None else alerts
    for pk in {pk for pk, role in roles if role in STAFF_ROLES}:
        section = sections[pk]
        if pk not in alerts:
            alerts[pk] = engagement_alerts(initiative=section.initiative, today=today)
        section.engagement_alerts = alerts[pk]

    return Digest(
        person=person,
        frequency=frequency,
        since=since,
        now=now,
        sections=[s for s in sections.values() if s.size],
    )


def _link(name: str, *args) -> str:
    return site_url(reverse(name, args=args))


def digest_message(digest: Digest) -> EmailMessage:
    """A plain-text e-mail, one part per initiative, each item with its link."""
    sections = [
        {
            "section": s,
            "feed": _link("updates:feed", s.initiative.slug),
            "updates": [(u, _link("updates:detail", s.initiative.slug, u.uuid)) for u in s.updates],
            "comments": [
                (c, _link("updates:detail", s.initiative.slug, c.update.uuid)) for c in s.comments
            ],
            "following": _link("updates:following", s.initiative.slug),
            "health": _link("health:overview", s.initiative.slug),
            "for_you": [(n, site_url(n.url)) for n in s.for_you],
        }
        for s in digest.sections
    ]
    daily = digest.frequency == DigestSchedule.Frequency.DAILY
    label = "daily" if daily else "weekly"
    count = digest.size
    with in_language_of(digest.person):
        body = render_to_string(
            "updates/digest_email.txt", {"digest": digest, "sections": sections, "label": label}
        )
        if daily:
            subject = ngettext(
                "Your daily Backbone digest: %(count)d new item",
                "Your daily Backbone digest: %(count)d new items",
                count,
            )
        else:
            subject = ngettext(
                "Your weekly Backbone digest: %(count)d new item",
                "Your weekly Backbone digest: %(count)d new items",
                count,
            )
        subject = subject % {"count": count}
    return EmailMessage(
        subject=subject,
        body=body,
        to=[digest.person.email],
        headers=unsubscribe_headers(digest.person, DIGEST_TOPIC),
    )


@dataclass
class DigestSummary:
    sent: list[str] = field(default_factory=list)
    empty: int = 0
    already_sent: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "sent": len(self.sent),
            "empty": self.empty,
            "already_sent": self.already_sent,
            "failed": self.failed,
        }


def digests_send(*, now: datetime) -> DigestSummary:
    """Send every digest that is due, at most once per person and window. One person's
    failure is logged and does not stop the others; that person has no record, so the next
    run tries again."""
    summary = DigestSummary()
    alerts: dict[int, list[Alert]] = {}  # by initiative, shared by its backbone staff
    for due in digests_due(now=now):
        email = due.person.email
        try:
            digest = digest_build(
                person=due.person,
                frequency=due.frequency,
                since=due.since,
                now=now,
                alerts=alerts,
            )
            if not digest.size:
                summary.empty += 1
                continue
            message = digest_message(digest)
            # The window is claimed, and the claim committed, before the e-mail goes: a run
            # that already sent it fails here, and a worker killed while the mail server
            # accepts the message leaves the claim, so no run sends it again. (Kept in one
            # transaction with the sending, the claim was lost with the worker while the
            # e-mail went: the next run sent it twice.) A refused e-mail gives the claim back.
            claim = DigestSent.objects.create(
                person=due.person, window=window_key(due.frequency, now), sent_at=now
            )
            try:
                message.send()
            except Exception:
                claim.delete()
                raise
        except IntegrityError:
            logger.info("The digest to %s was already sent in this window", email)
            summary.already_sent += 1
        except Exception:  # one person's bad data or mail server error must not stop the rest
            logger.exception("Could not send the digest to %s", email)
            summary.failed.append(email)
        else:
            summary.sent.append(email)
    return summary
