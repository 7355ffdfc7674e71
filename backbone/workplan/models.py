"""The backbone's own work: tasks by backbone role with the effort logged on them, and the
funding that pays for the initiative — funders, grants and the budget they should cover."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


def default_currency() -> str:
    return getattr(settings, "BACKBONE_DEFAULT_CURRENCY", "USD")


class BackboneTask(Revised):
    """One piece of the backbone's work plan, tagged with one of the framework's backbone roles
    (by its key) so the backbone sees how its effort spreads across them."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="backbone_tasks"
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="backbone_tasks"
    )
    due_on = models.DateField(_("Due"), null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    role = models.CharField(
        _("Backbone role"), max_length=60, help_text=_("Key of a backbone role.")
    )
    estimated_hours = models.DecimalField(
        _("Estimated effort (hours)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="workplan_backbonetask_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_hours__isnull=True) | models.Q(estimated_hours__gte=0),
                name="backbone_task_estimate_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EffortEntry(models.Model):
    """Hours someone worked on a task on one day: effort is recorded as it happens."""

    #: The task's initiative, copied so that every table of an initiative carries its key.
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+", editable=False
    )
    task = models.ForeignKey(BackboneTask, on_delete=models.CASCADE, related_name="effort")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="effort_entries"
    )
    worked_on = models.DateField(_("Date"))
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-worked_on", "-id"]
        verbose_name_plural = _("effort entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="effort_entry_hours_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.worked_on}"

    def save(self, *args, **kwargs) -> None:
        if self.initiative_id is None:
            self.initiative_id = self.task.initiative_id
        super().save(*args, **kwargs)


class Funder(models.Model):
    """Who gives money to the initiative; usually one of its organisations."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="funders"
    )
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funder_of",
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="workplan_funder_uuid_in_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Grant(Revised):
    """Money asked for or given, for one period and one purpose."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ASKED = "asked", _("Asked")
        COMMITTED = "committed", _("Committed")
        RECEIVED = "received", _("Received")
        DECLINED = "declined", _("Declined")

    class Funds(models.TextChoices):
        BACKBONE = "backbone", _("The backbone")
        STRATEGY = "strategy", _("A strategy")
        ACTIVITY = "activity", _("A partner's activity")

    #: What counts as secured: money promised or in the bank.
    SECURED = (Status.COMMITTED, Status.RECEIVED)

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="grants"
    )
    funder = models.ForeignKey(Funder, on_delete=models.RESTRICT, related_name="grants")
    title = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default=default_currency)
    starts_on = models.DateField(_("Period starts"))
    ends_on = models.DateField(_("Period ends"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROSPECT)
    restrictions = models.TextField(blank=True)
    funds = models.CharField(
        _("What it funds"), max_length=10, choices=Funds.choices, default=Funds.BACKBONE
    )
    strategy = models.ForeignKey(
        "agenda.Strategy", null=True, blank=True, on_delete=models.RESTRICT, related_name="grants"
    )
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="grants",
    )
    private_note = models.TextField(blank=True, help_text=_("Only backbone staff see this."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="workplan_grant_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="grant_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="grant_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetYear(models.Model):
    """What the initiative needs in one calendar year, in one currency."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="budget_years"
    )
    year = models.PositiveSmallIntegerField()
    amount_needed = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default=default_currency)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["year", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "year", "currency"], name="budget_year_once"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_needed__gte=0), name="budget_year_amount_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.currency})"
