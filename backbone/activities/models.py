"""Mutually reinforcing activities: what each partner does, where, when and for whom."""

import uuid

from django.db import models

from backbone.revisions import Revised


class Activity(Revised):
    """One partner's piece of the plan of action, serving strategies of the common agenda."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        DONE = "done", "Done"

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="activities"
    )
    partner = models.ForeignKey(
        "initiatives.Partner", on_delete=models.CASCADE, related_name="activities"
    )
    name = models.CharField("What", max_length=200)
    description = models.TextField(blank=True)
    strategies = models.ManyToManyField("agenda.Strategy", related_name="activities")
    places = models.ManyToManyField(
        "measurement.Group", related_name="placed_activities", blank=True
    )
    place_text = models.CharField(
        "Where", max_length=200, blank=True, help_text="Where, in words, when there are no places."
    )
    groups = models.ManyToManyField(
        "measurement.Group",
        related_name="serving_activities",
        blank=True,
        verbose_name="population groups",
    )
    starts_on = models.DateField("Starts")
    ends_on = models.DateField("Ends", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    indicators = models.ManyToManyField(
        "measurement.Indicator", related_name="activities", blank=True
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, related_name="needed_by", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="activities_activity_uuid_in_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name
