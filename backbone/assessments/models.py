"""Assessments (PRODUCT §9, §13): questionnaires as data, rounds of them, and the answers.

Who answered and what was answered are kept apart on purpose. A `Respondent` row says that a
person was asked in a round and when they answered: response rates, reminders and
participation need that. A `Response` row holds the answers, with only the sector the person
answered for and whether they answered as a community member. In an anonymous round nothing
joins the two:

* `Response` has no link to the person or to the `Respondent` row (its `person` is set only
  when the round is not anonymous), and no date or time of any kind, so it cannot be matched
  to `Respondent.answered_at`.
* Its primary key is a random UUID, not a sequence, and the default ordering is by that key,
  so neither the ids nor the order in which rows come back tell when a response was written;
  the answers live in the row itself (one JSON object) rather than in child rows whose
  sequential ids would give the order away.
* Results are read only once a round is closed, so nobody can watch a figure move when one
  known person answers; figures from fewer people than the initiative's small-number
  threshold are hidden, with whatever would reveal them by subtraction.

What the application cannot hide is the database's own bookkeeping (the physical order of
rows, transaction ids, the write-ahead log): that is visible only to whoever operates the
database server, never to partners or the backbone through Backbone's pages, exports or API.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.initiatives.roles import Role
from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Questionnaire(models.Model):
    """A questionnaire as loaded from its file in `questionnaires/`; the file stays the source."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    version = models.CharField(max_length=40, blank=True)
    assesses = models.CharField(
        max_length=60, help_text=_("Key of the framework section the questionnaire assesses.")
    )
    frameworks = models.JSONField(default=list, help_text=_("Slugs of the frameworks it fits."))
    source_file = models.CharField(max_length=200)
    data = models.JSONField(help_text=_("The validated content of the questionnaire file."))
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Round(Revised):
    """One run of a questionnaire in an initiative, for the people chosen when it opened.

    The questionnaire's content is copied in when the round opens, so a later change to the
    file never changes what an earlier round asked or how its answers are scored. A round is
    closed once its closing date has passed or staff close it early; it never reopens.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("assessment round", "Not open yet")
        OPEN = "open", pgettext_lazy("assessment round", "Open")
        CLOSED = "closed", pgettext_lazy("assessment round", "Closed")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="assessment_rounds"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    questionnaire_data = models.JSONField(help_text=_("The questionnaire as it was when opened."))
    title = models.CharField(max_length=200)
    opens_on = models.DateField(_("Opens"))
    closes_on = models.DateField(_("Closes"), help_text=_("The last day answers are taken."))
    anonymous = models.BooleanField(
        default=True, help_text=_("Nobody, the backbone included, sees who gave which answer.")
    )
    results_shared = models.BooleanField(
        _("Results shared with members"),
        default=False,
        help_text=_("Partners, community members and funders may read the results once closed."),
    )
    audience = models.CharField(
        max_length=300, blank=True, help_text=_("Who was asked, in words, as chosen when opened.")
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="assessments_round_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="assessment_round_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def status(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.closed_at is not None or today > self.closes_on:
            return self.Status.CLOSED
        if today < self.opens_on:
            return self.Status.SCHEDULED
        return self.Status.OPEN

    def is_open(self, today: date | None = None) -> bool:
        return self.status(today) == self.Status.OPEN

    def is_closed(self, today: date | None = None) -> bool:
        return self.status(today) == self.Status.CLOSED

    @property
    def status_label(self) -> str:
        return self.Status(self.status()).label

    @property
    def closed_on(self) -> date:
        """The day the round stopped taking answers."""
        if self.closed_at is not None:
            return min(timezone.localdate(self.closed_at), self.closes_on)
        return self.closes_on


class Respondent(models.Model):
    """A person asked to answer a round, and when they did: who answered, never what."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_invitations"
    )
    role = models.CharField(
        max_length=20,
        choices=[(r.value, r.label) for r in (Role.PARTNER_STEWARD, Role.PARTNER_MEMBER)]
        + [(Role.COMMUNITY_MEMBER.value, Role.COMMUNITY_MEMBER.label)],
        help_text=_("The capacity the person was asked in."),
    )
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The partner the person answers for; empty for community members."),
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "round", "person"], name="assessment_asked_once"
            )
        ]
        indexes = [models.Index(fields=["person", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.round}"


class Response(models.Model):
    """What one person answered in a round. See the module docstring for why it carries no
    time, no sequence and, in an anonymous round, no person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    sector = models.CharField(
        max_length=30, blank=True, help_text=_("Sector of the partner answered for; empty if none.")
    )
    is_community_member = models.BooleanField(default=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only in a round that is not anonymous."),
    )
    answers = models.JSONField(help_text=_("Item key → answer, as checked against the round."))

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]  # random: never the order responses were written

    def __str__(self) -> str:
        return f"A response to {self.round}"
