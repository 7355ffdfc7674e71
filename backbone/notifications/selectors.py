"""Reads of a person's notifications: only ever their own."""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Page, Paginator

from .kinds import DEFAULT_DELIVERY, IN_DIGEST_SECTIONS, REMINDERS, Delivery, Kind, choices_for
from .models import Notification, Preference

PAGE_SIZE = 25


def notifications_page(person, number) -> Page:
    mine = Notification.objects.filter(person=person).select_related("initiative")
    return Paginator(mine, PAGE_SIZE).get_page(number)


def unread_count(person) -> int:
    if not getattr(person, "is_authenticated", False):
        return 0
    return Notification.objects.filter(person=person, read_at__isnull=True).count()


def for_digest(person, *, since: datetime, now: datetime) -> list[Notification]:
    """What the person chose to read in the digest, made in its window; kinds the digest
    reports in sections of their own are left to those."""
    return list(
        Notification.objects.filter(
            person=person,
            delivery=Delivery.DIGEST,
            created_at__gt=since,
            created_at__lte=now,
        )
        .exclude(kind__in=IN_DIGEST_SECTIONS)
        .select_related("initiative")
        .order_by("created_at", "pk")
    )


def e_mails_stopped(person_ids, kind: str) -> set[int]:
    """Of these people, those who chose never to be e-mailed this kind."""
    return set(
        Preference.objects.filter(
            person_id__in=list(person_ids), kind=kind, delivery=Delivery.NEVER
        ).values_list("person_id", flat=True)
    )


def settings_rows(person) -> list[dict]:
    """Every kind with the person's choice (or its default) and the choices it offers."""
    chosen = dict(Preference.objects.filter(person=person).values_list("kind", "delivery"))
    return [
        {
            "kind": kind,
            "label": kind.label,
            "delivery": chosen.get(kind.value, DEFAULT_DELIVERY[kind]),
            "choices": choices_for(kind),
            "reminder": kind in REMINDERS,
        }
        for kind in Kind
    ]


def notification_of(person, pk) -> Notification:
    """One of the person's own notifications, or 404 (another's answers the same)."""
    return Notification.objects.filter(person=person).one(pk=pk)
