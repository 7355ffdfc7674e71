"""Writes of webhooks: subscriptions made, rotated, paused and deleted; events announced;
attempts claimed and recorded. Each in one transaction."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from backbone.initiatives.models import Initiative

from .addresses import validate_url
from .models import (
    MAX_ATTEMPTS,
    RETRY_AFTER,
    Attempt,
    Delivery,
    Event,
    EventName,
    Subscription,
    new_secret,
)

logger = logging.getLogger(__name__)


# --- subscriptions ---------------------------------------------------------------------------


def events_problem(events: list[str]) -> str:
    if not events:
        return "Choose at least one event."
    unknown = set(events) - set(EventName.values)
    if unknown:
        return f"Unknown events: {', '.join(sorted(unknown))}."
    return ""


@transaction.atomic
def subscription_create(
    *, initiative: Initiative, by, url: str, events: list[str], description: str = ""
) -> Subscription:
    """A new subscription with a fresh secret: show `subscription.secret` once, now."""
    problem = events_problem(events)
    if problem:
        raise ValidationError({"events": problem})
    validate_url(url)
    chosen = [name for name in EventName.values if name in events]  # in the usual order
    return Subscription.objects.create(
        initiative=initiative,
        url=url,
        events=chosen,
        description=description.strip(),
        created_by=by,
    )


@transaction.atomic
def subscription_rotate(*, subscription: Subscription) -> Subscription:
    """A new secret; deliveries still waiting are signed with it when they go."""
    subscription.secret = new_secret()
    subscription.secret_rotated_at = timezone.now()
    subscription.save(update_fields=["secret", "secret_rotated_at"])
    return subscription


@transaction.atomic
def subscription_set_active(*, subscription: Subscription, active: bool) -> Subscription:
    """Paused, it receives nothing new; what waits goes when it is resumed."""
    subscription.is_active = active
    subscription.save(update_fields=["is_active"])
    if active:
        due = Delivery.objects.filter(
            subscription=subscription, status=Delivery.Status.PENDING
        ).values_list("pk", flat=True)
        _send_on_commit(list(due))
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    """The subscription and its deliveries go; attempts already made cannot be undone."""
    subscription.delete()


# --- events ----------------------------------------------------------------------------------


def _send_on_commit(delivery_ids: list[int]) -> None:
    def enqueue() -> None:
        from .tasks import send_delivery

        for pk in delivery_ids:
            send_delivery.enqueue(pk)

    if delivery_ids:
        transaction.on_commit(enqueue)


def payload_of(*, initiative: Initiative, event: str, data: dict, at: datetime) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "event": event,
        "occurred_at": at.isoformat().replace("+00:00", "Z"),
        "initiative": initiative.slug,
        "data": data,
    }


@transaction.atomic
def announce(
    *, initiative: Initiative, event: str, data: dict, once_key: str = ""
) -> list[Delivery]:
    """One delivery per active subscription to `event`, sent when the transaction commits.
    With `once_key`, an event announced before under that key is not announced again."""
    if event not in EventName.values:
        raise ValueError(f"Unknown webhook event {event!r}")
    subscriptions = [
        s
        for s in Subscription.objects.filter(initiative=initiative, is_active=True)
        if s.wants(event)
    ]
    if not subscriptions:
        return []
    now = timezone.now()
    payload = payload_of(initiative=initiative, event=event, data=data, at=now)
    try:
        with transaction.atomic():
            recorded = Event.objects.create(
                uuid=payload["id"],
                initiative=initiative,
                name=event,
                occurred_at=now,
                payload=payload,
                once_key=once_key,
            )
    except IntegrityError:
        if not once_key:
            raise
        return []  # announced already
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(initiative=initiative, subscription=s, event=recorded, next_attempt_at=now)
            for s in subscriptions
        ]
    )
    _send_on_commit([d.pk for d in deliveries])
    return deliveries


@transaction.atomic
def delivery_resend(*, delivery: Delivery) -> Delivery:
    """The same event to the same address again, as a new delivery (its own id and
    attempts); the payload's `id` stays the event's, so a receiver can tell it knows it."""
    again = Delivery.objects.create(
        initiative_id=delivery.initiative_id,
        subscription=delivery.subscription,
        event=delivery.event,
        next_attempt_at=timezone.now(),
    )
    _send_on_commit([again.pk])
    return again


# --- attempts --------------------------------------------------------------------------------


def attempt_claim(*, delivery_id: int, now: datetime) -> Attempt | None:
    """Claim the next attempt of a due delivery, and commit the claim before anything is
    sent: a worker killed while sending leaves the claim, so that attempt is never made
    twice; the one after it is due after the usual wait. None when nothing is due."""
    try:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update()
                .select_related("subscription", "event")
                .filter(pk=delivery_id)
                .first()
            )
            if (
                delivery is None
                or delivery.status != Delivery.Status.PENDING
                or not delivery.subscription.is_active
                or delivery.next_attempt_at is None
                or delivery.next_attempt_at > now
                or delivery.attempts >= MAX_ATTEMPTS
            ):
                return None
            number = delivery.attempts + 1
            attempt = Attempt.objects.create(
                initiative_id=delivery.initiative_id,
                delivery=delivery,
                number=number,
                started_at=now,
            )
            delivery.attempts = number
            # If this attempt's answer is never recorded, the next one is due as after a failure.
            delivery.next_attempt_at = _retry_at(number, now)
            delivery.save(update_fields=["attempts", "next_attempt_at"])
    except IntegrityError:
        return None  # another worker claimed it
    return attempt


def _retry_at(number: int, now: datetime) -> datetime | None:
    return now + RETRY_AFTER[number - 1] if number < MAX_ATTEMPTS else None


@transaction.atomic
def attempt_record(
    *, attempt: Attempt, status_code: int | None, error: str, duration_ms: int, now: datetime
) -> Attempt:
    """The attempt's answer: a 2xx delivers; anything else waits for the next attempt, or
    after the last one, fails."""
    delivery = Delivery.objects.select_for_update().get(pk=attempt.delivery_id)
    attempt.status_code = status_code
    attempt.error = error[:300]
    attempt.duration_ms = duration_ms
    attempt.finished_at = now
    attempt.save(update_fields=["status_code", "error", "duration_ms", "finished_at"])
    delivery.last_status_code = status_code
    delivery.last_error = attempt.error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif attempt.number >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = _retry_at(attempt.number, now)
        when = delivery.next_attempt_at
        pk = delivery.pk

        def enqueue_retry() -> None:
            from .tasks import send_delivery

            send_delivery.using(run_after=when).enqueue(pk)

        transaction.on_commit(enqueue_retry)
    delivery.save(
        update_fields=[
            "status",
            "delivered_at",
            "next_attempt_at",
            "last_status_code",
            "last_error",
        ]
    )
    attempt.delivery = delivery
    return attempt


def deliveries_due(*, now: datetime) -> list[int]:
    """Deliveries whose next attempt is due, oldest first: those whose task was lost (a
    worker stopped between the commit and the enqueueing, or mid-send) go this way."""
    return list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=now,
            subscription__is_active=True,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )


#: An attempt claimed this long ago without an answer was cut off: the request itself gives
#: up after ten seconds.
ABANDONED_AFTER = timedelta(minutes=10)


def deliveries_settle(*, now: datetime) -> int:
    """Fail the deliveries whose last attempt was claimed but never answered (the worker was
    stopped while sending it): no attempt follows the last, so they would wait forever."""
    cut_off = Attempt.objects.filter(
        number__gte=MAX_ATTEMPTS, finished_at__isnull=True, started_at__lt=now - ABANDONED_AFTER
    ).values("delivery_id")
    return Delivery.objects.filter(
        status=Delivery.Status.PENDING, attempts__gte=MAX_ATTEMPTS, pk__in=cut_off
    ).update(
        status=Delivery.Status.FAILED,
        next_attempt_at=None,
        last_error="No answer recorded: the worker stopped while sending the last attempt",
    )


def deliveries_prune(*, now: datetime) -> int:
    """Drop the settled deliveries (with their attempts) of events older than
    `WEBHOOKS_KEEP_DAYS`, and those events: the log shows recent traffic, not all of it
    forever. An event announced once only (an item overdue) stays, bodiless of deliveries,
    so that it is never announced again."""
    before = now - timedelta(days=settings.WEBHOOKS_KEEP_DAYS)
    old = Event.objects.filter(occurred_at__lt=before)
    deliveries, _ = (
        Delivery.objects.filter(event__in=old).exclude(status=Delivery.Status.PENDING).delete()
    )
    events, _ = old.filter(once_key="").exclude(deliveries__isnull=False).delete()
    return deliveries + events
