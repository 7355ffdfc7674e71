"""Continuous communication: working groups, their meetings, what was decided and who does what.

Every row carries its initiative so that reads are scoped to it. Meeting times are stored as
instants (UTC in the database) together with the IANA time zone they were planned in, so a
meeting at 18:00 in Chicago stays 18:00 in Chicago across daylight-saving changes.
"""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from backbone.links import Link
from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


def validate_time_zone(name: str) -> None:
    """An IANA zone name that zoneinfo knows, such as America/Chicago."""
    message = _("“%(name)s” is not a time zone; use an IANA name such as America/Chicago.") % {
        "name": name
    }
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError(message, code="time_zone") from exc


class WorkingGroup(Revised):
    """An action team: partner people and community members working on one strategy."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="working_groups"
    )
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    strategy = models.ForeignKey(
        "agenda.Strategy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="working_groups",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="groups_led"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="WorkingGroupMember",
        blank=True,
        related_name="working_groups",
    )
    is_private = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "A private group is seen only by its members and the backbone; "
            "an open one by every member of the initiative."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="communication_workinggroup_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "name"], name="working_group_name_once_per_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(Revised):
    """A meeting of a working group, or of all partners when it has no group."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="meetings"
    )
    group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        help_text=gettext_lazy("IANA name, e.g. America/Chicago."),
    )
    place = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy("An address or a link.")
    )
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    is_private = models.BooleanField(
        default=False, help_text=gettext_lazy("Seen only by the group's members and the backbone.")
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="MeetingAttendee",
        blank=True,
        related_name="meetings_attended",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="communication_meeting_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


# The link tables of the two many-to-many fields above, with the initiative key
# (backbone.links). Their tables and columns are those Django made before they had one.


class WorkingGroupMember(Link):
    workinggroup = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "communication_workinggroup_members"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "workinggroup", "person"], name="working_group_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.workinggroup_id}"


class MeetingAttendee(Link):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "communication_meeting_attendees"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "meeting", "person"], name="meeting_attendee_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.meeting_id}"


class Decision(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    decided_on = models.DateField()
    decided_by = models.CharField(
        max_length=200, help_text=gettext_lazy("Who decided, e.g. “the group, by consensus”.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="communication_decision_uuid_in_initiative"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("action item", "Open")
        DONE = "done", pgettext_lazy("action item", "Done")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="communication_actionitem_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today


class CalendarFeed(models.Model):
    """A private calendar link: a person's own meetings, or one group's. Only the token's
    hash is kept; whoever holds the link reads what its person may see, until revoked."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="feeds"
    )
    token_hash = models.CharField(max_length=64, db_index=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="communication_calendarfeed_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "token_hash"],
                name="communication_calendarfeed_token_hash_in_initiative",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar of {self.group or self.person} ({self.prefix}…)"
