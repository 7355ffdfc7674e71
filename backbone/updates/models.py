"""Updates: what the backbone tells the initiative (news, data releases), members' comments on
them, what each member follows, and the e-mail digests that carry it.

Every initiative-owned row carries its initiative so that reads are scoped to it. The digest
schedule and the record of digests sent belong to a person, not to one initiative: one digest
covers all of a person's initiatives.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.tenancy import InitiativeQuerySet


class Update(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", pgettext_lazy("kind of update", "News")
        DATA_RELEASE = "data_release", pgettext_lazy("kind of update", "Data release")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="updates"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Plain text; line breaks are kept."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["initiative", "-created_at"], name="update_feed_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="updates_update_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class UpdateComment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(help_text=_("Plain text; line breaks are kept."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="updates_updatecomment_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.update}"


class Following(models.Model):
    """What one member follows in one initiative. No row means the defaults: everything."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followings"
    )
    news = models.BooleanField(_("News"), default=True)
    data_releases = models.BooleanField(_("Data releases"), default=True)
    decisions = models.BooleanField(_("Decisions of meetings"), default=True)
    comments = models.BooleanField(_("Comments on updates I commented on"), default=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "person"], name="following_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"What {self.person} follows in {self.initiative}"

    @property
    def kinds(self) -> set[str]:
        """The kinds of update followed, as Update.Kind values."""
        kinds = set()
        if self.news:
            kinds.add(Update.Kind.NEWS)
        if self.data_releases:
            kinds.add(Update.Kind.DATA_RELEASE)
        return kinds


class DigestSchedule(models.Model):
    """How often a person wants a digest. No row means weekly."""

    class Frequency(models.TextChoices):
        DAILY = "daily", pgettext_lazy("how often", "Daily")
        WEEKLY = "weekly", pgettext_lazy("how often", "Weekly")
        NONE = "none", _("Never: no digest")

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_schedule"
    )
    frequency = models.CharField(max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY)

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} digest for {self.person}"


class DigestSent(models.Model):
    """One digest e-mailed to one person; the window key makes a second send impossible."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    window = models.CharField(max_length=20, help_text=_("e.g. daily:2026-12-01, weekly:2026-W49"))
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "window"], name="digest_once_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.window} digest to {self.person}"
