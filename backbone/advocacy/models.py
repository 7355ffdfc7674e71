"""Policy agenda, public will and partner commitments (PRODUCT §8 and §4)."""

import uuid

from django.conf import settings
from django.db import models

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Policy(Revised):
    """A policy the initiative advances, with its position and where it stands."""

    class Level(models.TextChoices):
        LOCAL = "local", "Local"
        REGIONAL = "regional", "Regional"
        NATIONAL = "national", "National"

    class Position(models.TextChoices):
        SUPPORT = "support", "Support"
        OPPOSE = "oppose", "Oppose"
        AMEND = "amend", "Amend"
        MONITOR = "monitor", "Monitor"

    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        DRAFTED = "drafted", "Drafted"
        INTRODUCED = "introduced", "Introduced"
        ADOPTED = "adopted", "Adopted"
        IMPLEMENTED = "implemented", "Implemented"
        FAILED = "failed", "Failed"

    WINS = (Status.ADOPTED, Status.IMPLEMENTED)

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="policies"
    )
    title = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices)
    body = models.CharField(
        max_length=200, help_text="Who decides: the council, legislature or agency."
    )
    position = models.CharField("Our position", max_length=10, choices=Position.choices)
    position_statement = models.CharField("Position in a sentence", max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDEA)
    next_step = models.CharField(max_length=300, blank=True)
    next_step_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="owner of the next step",
    )
    is_public = models.BooleanField(
        "Public", default=False, help_text="Shown to visitors when the initiative is public."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "policies"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="advocacy_policy_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_win(self) -> bool:
        return self.status in self.WINS


class PolicyEvent(models.Model):
    """One step in a policy's timeline; the status before it is kept, so history survives."""

    #: The policy's initiative, copied so that every table of an initiative carries its key.
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+", editable=False
    )
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="events")
    happened_on = models.DateField("Date")
    description = models.CharField("What happened", max_length=300)
    status_before = models.CharField(max_length=12, choices=Policy.Status.choices)
    status_after = models.CharField(
        "Status after it", max_length=12, choices=Policy.Status.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.description}"

    def save(self, *args, **kwargs) -> None:
        if self.initiative_id is None:
            self.initiative_id = self.policy.initiative_id
        super().save(*args, **kwargs)


class PublicWillItem(Revised):
    """A campaign, event or media item building public will, with how many it reached."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", "Campaign"
        EVENT = "event", "Event"
        MEDIA = "media", "Media item"

    class ReachBasis(models.TextChoices):
        ESTIMATED = "estimated", "Estimated"
        MEASURED = "measured", "Measured"

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="public_will_items"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    starts_on = models.DateField("Date", help_text="For a campaign, the day it starts.")
    ends_on = models.DateField("Ends", null=True, blank=True, help_text="Campaigns only.")
    audience = models.CharField(max_length=200, blank=True)
    reach = models.PositiveIntegerField(null=True, blank=True, help_text="People reached.")
    reach_basis = models.CharField(
        max_length=10, choices=ReachBasis.choices, default=ReachBasis.ESTIMATED
    )
    link = models.URLField(blank=True)
    notes = models.TextField(blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="advocacy_publicwillitem_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="public_will_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Commitment(Revised):
    """What one partner commits to change in its own work to serve the agenda."""

    class Kind(models.TextChoices):
        PROGRAMMES = "programmes", "Programmes"
        BUDGET = "budget", "Budget"
        POLICIES = "policies", "Policies"
        STAFF_TIME = "staff_time", "Staff time"
        DATA = "data", "Data practices"

    class Status(models.TextChoices):
        COMMITTED = "committed", "Committed"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN = (Status.COMMITTED, Status.IN_PROGRESS)

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="commitments"
    )
    partner = models.ForeignKey(
        "initiatives.Partner", on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField()
    starts_on = models.DateField("Starts")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.COMMITTED)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="advocacy_commitment_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class CommitmentUpdate(models.Model):
    """A progress report on one commitment."""

    #: The commitment's initiative, copied so that every table of an initiative carries its key.
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+", editable=False
    )
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("Date")
    text = models.TextField("Progress")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        if self.initiative_id is None:
            self.initiative_id = self.commitment.initiative_id
        super().save(*args, **kwargs)
