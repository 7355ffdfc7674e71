"""Notifications: what a person is told, kept for the in-app list whether or not it is
e-mailed, and each person's choice of how every kind reaches them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.tenancy import InitiativeQuerySet

from .kinds import Delivery, Kind


class Notification(models.Model):
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    #: One notification per person and key: telling twice of one event is a no-op.
    key = models.CharField(max_length=120)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, help_text=_("Path of the page that deals with it."))
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "person", "key"], name="notification_once_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["person", "read_at"], name="notification_unread"),
            models.Index(fields=["delivery", "emailed_at"], name="notification_to_email"),
            models.Index(fields=["initiative", "created_at"], name="notification_initiative"),
        ]

    def __str__(self) -> str:
        return self.text


class Preference(models.Model):
    """A person's choice for one kind, for every initiative they belong to."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} {self.delivery}"
