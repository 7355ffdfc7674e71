"""The common agenda: a living document kept as rows, with every edit frozen as a version."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Agenda(Revised):
    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="agenda"
    )
    problem_statement = models.TextField(blank=True)
    vision = models.TextField(blank=True)
    community_aspirations = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Common agenda of {self.initiative}"

    objects = InitiativeQuerySet.as_manager()


class Goal(Revised):
    """A population-level result, e.g. "All children enter kindergarten ready to learn"."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="agenda_goal_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Strategy(Revised):
    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="strategies"
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategies")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = _("strategies")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="agenda_strategy_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgreedAction(Revised):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("agreed action", "Planned")
        UNDER_WAY = "under_way", pgettext_lazy("agreed action", "Under way")
        DONE = "done", pgettext_lazy("agreed action", "Done")
        DROPPED = "dropped", pgettext_lazy("agreed action", "Dropped")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="agreed_actions"
    )
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    position = models.PositiveIntegerField(default=0)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="agenda_agreedaction_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaVersion(models.Model):
    """A frozen copy of the whole agenda after one edit: who, when, and what changed."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="agenda_versions"
    )
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changes = models.JSONField(default=list, help_text=_("Human-readable list of what changed."))
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="agenda_agendaversion_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "number"], name="agenda_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of the agenda of {self.initiative}"


class Endorsement(models.Model):
    """A partner's signature on one version, given by its steward."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="endorsements"
    )
    version = models.ForeignKey(
        AgendaVersion, on_delete=models.CASCADE, related_name="endorsements"
    )
    partner = models.ForeignKey(
        "initiatives.Partner", on_delete=models.CASCADE, related_name="endorsements"
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    endorsed_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-endorsed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="agenda_endorsement_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "version", "partner"], name="endorse_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} endorses version {self.version.number}"


class Comment(models.Model):
    """Community input on a goal or a strategy."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="agenda_comments"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(help_text=_("Sanitised HTML."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="agenda_comment_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(goal__isnull=False, strategy__isnull=True)
                | models.Q(goal__isnull=True, strategy__isnull=False),
                name="comment_on_goal_or_strategy",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.goal or self.strategy}"
