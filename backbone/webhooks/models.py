"""Subscriptions, the events announced to them, and each delivery with its attempts.

An `Event` is written once, in the transaction of the change it tells of; a `Delivery` per
subscription that wanted it; an `Attempt` per try, claimed (and committed) before the
request leaves, so a worker killed mid-send never makes the same attempt twice.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone import webhooks
from backbone.tenancy import InitiativeQuerySet


class EventName(models.TextChoices):
    SUBMISSION_APPROVED = webhooks.SUBMISSION_APPROVED, _("A submission is approved")
    SUBMISSION_RETURNED = webhooks.SUBMISSION_RETURNED, _("A submission is returned")
    DECISION_TAKEN = webhooks.DECISION_TAKEN, _("A decision is taken (a proposal's outcome)")
    AGENDA_PUBLISHED = webhooks.AGENDA_PUBLISHED, _("A version of the common agenda is published")
    ACTION_ITEM_OVERDUE = webhooks.ACTION_ITEM_OVERDUE, _("An action item is overdue")


#: Waits after each failed attempt: six attempts in all, the last about 15 hours after the
#: first.
RETRY_AFTER: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    """An address that receives the events it names, signed with its secret. The secret is
    kept in clear (the signature needs it) and shown only when made or rotated."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text=_("The event names it receives."))
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="webhooks_subscription_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return self.is_active and event in self.events

    @property
    def event_labels(self) -> list[str]:
        labels = dict(EventName.choices)
        return [str(labels.get(name, name)) for name in self.events]


class Event(models.Model):
    """What happened, as sent: `payload` is the JSON body of every delivery of it.
    `once_key` (when set) announces a thing once only, such as an item overdue."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=40, choices=EventName.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField()
    once_key = models.CharField(max_length=120, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="webhooks_event_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "once_key"],
                condition=~models.Q(once_key=""),
                name="webhooks_event_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.uuid}"


class Delivery(models.Model):
    """One event on its way to one subscription."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery", "Waiting")
        DELIVERED = "delivered", pgettext_lazy("delivery", "Delivered")
        FAILED = "failed", pgettext_lazy("delivery", "Failed")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="webhooks_delivery_uuid_in_initiative"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event.name} to {self.subscription.url}"

    @property
    def outcome(self) -> str:
        if self.last_status_code:
            return f"HTTP {self.last_status_code}"
        return self.last_error


class Attempt(models.Model):
    """One try: claimed (`started_at`) before the request leaves, its answer recorded after.
    No answer recorded means the worker stopped while sending; the next attempt follows."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "delivery", "number"], name="webhooks_attempt_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} of {self.delivery_id}"
