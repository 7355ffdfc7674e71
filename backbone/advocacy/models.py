"""Policy agenda, public will and partner commitments (PRODUCT §8 and §4)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Policy(Revised):
    """A policy the initiative advances, with its position and where it stands."""

    class Level(models.TextChoices):
        LOCAL = "local", pgettext_lazy("policy level", "Local")
        REGIONAL = "regional", pgettext_lazy("policy level", "Regional")
        NATIONAL = "national", pgettext_lazy("policy level", "National")

    class Position(models.TextChoices):
        SUPPORT = "support", pgettext_lazy("position on a policy", "Support")
        OPPOSE = "oppose", pgettext_lazy("position on a policy", "Oppose")
        AMEND = "amend", pgettext_lazy("position on a policy", "Amend")
        MONITOR = "monitor", pgettext_lazy("position on a policy", "Monitor")

    class Status(models.TextChoices):
        IDEA = "idea", pgettext_lazy("policy", "Idea")
        DRAFTED = "drafted", pgettext_lazy("policy", "Drafted")
        INTRODUCED = "introduced", pgettext_lazy("policy", "Introduced")
        ADOPTED = "adopted", pgettext_lazy("policy", "Adopted")
        IMPLEMENTED = "implemented", pgettext_lazy("policy", "Implemented")
        FAILED = "failed", pgettext_lazy("policy", "Failed")

    WINS = (Status.ADOPTED, Status.IMPLEMENTED)

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="policies"
    )
    title = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices)
    body = models.CharField(
        max_length=200, help_text=_("Who decides: the council, legislature or agency.")
    )
    position = models.CharField(_("Our position"), max_length=10, choices=Position.choices)
    position_statement = models.CharField(_("Position in a sentence"), max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDEA)
    next_step = models.CharField(max_length=300, blank=True)
    next_step_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner of the next step"),
    )
    is_public = models.BooleanField(
        _("Public"),
        default=False,
        help_text=_("Shown to visitors when the initiative is public."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = _("policies")
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
    happened_on = models.DateField(_("Date"))
    description = models.CharField(_("What happened"), max_length=300)
    status_before = models.CharField(max_length=12, choices=Policy.Status.choices)
    status_after = models.CharField(
        _("Status after it"), max_length=12, choices=Policy.Status.choices, blank=True
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
        CAMPAIGN = "campaign", _("Campaign")
        EVENT = "event", _("Event")
        MEDIA = "media", _("Media item")

    class ReachBasis(models.TextChoices):
        ESTIMATED = "estimated", pgettext_lazy("reach", "Estimated")
        MEASURED = "measured", pgettext_lazy("reach", "Measured")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="public_will_items"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    starts_on = models.DateField(_("Date"), help_text=_("For a campaign, the day it starts."))
    ends_on = models.DateField(_("Ends"), null=True, blank=True, help_text=_("Campaigns only."))
    audience = models.CharField(max_length=200, blank=True)
    reach = models.PositiveIntegerField(null=True, blank=True, help_text=_("People reached."))
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
        PROGRAMMES = "programmes", _("Programmes")
        BUDGET = "budget", _("Budget")
        POLICIES = "policies", _("Policies")
        STAFF_TIME = "staff_time", _("Staff time")
        DATA = "data", _("Data practices")

    class Status(models.TextChoices):
        COMMITTED = "committed", pgettext_lazy("commitment", "Committed")
        IN_PROGRESS = "in_progress", pgettext_lazy("commitment", "In progress")
        DONE = "done", pgettext_lazy("commitment", "Done")
        DROPPED = "dropped", pgettext_lazy("commitment", "Dropped")

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
    starts_on = models.DateField(_("Starts"))
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
    on = models.DateField(_("Date"))
    text = models.TextField(_("Progress"))
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
