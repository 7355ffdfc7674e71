"""Mutually reinforcing activities: what each partner does, where, when and for whom."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.links import Link
from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Activity(Revised):
    """One partner's piece of the plan of action, serving strategies of the common agenda."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("activity", "Planned")
        ACTIVE = "active", pgettext_lazy("activity", "Active")
        PAUSED = "paused", pgettext_lazy("activity", "Paused")
        DONE = "done", pgettext_lazy("activity", "Done")

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="activities"
    )
    partner = models.ForeignKey(
        "initiatives.Partner", on_delete=models.CASCADE, related_name="activities"
    )
    name = models.CharField(_("What"), max_length=200)
    description = models.TextField(blank=True)
    strategies = models.ManyToManyField(
        "agenda.Strategy", through="ActivityStrategy", related_name="activities"
    )
    places = models.ManyToManyField(
        "measurement.Group", through="ActivityPlace", related_name="placed_activities", blank=True
    )
    place_text = models.CharField(
        _("Where"),
        max_length=200,
        blank=True,
        help_text=_("Where, in words, when there are no places."),
    )
    groups = models.ManyToManyField(
        "measurement.Group",
        through="ActivityGroup",
        related_name="serving_activities",
        blank=True,
        verbose_name=_("population groups"),
    )
    starts_on = models.DateField(_("Starts"))
    ends_on = models.DateField(_("Ends"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    indicators = models.ManyToManyField(
        "measurement.Indicator", through="ActivityIndicator", related_name="activities", blank=True
    )
    depends_on = models.ManyToManyField(
        "self",
        through="ActivityDependency",
        through_fields=("from_activity", "to_activity"),
        symmetrical=False,
        related_name="needed_by",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = _("activities")
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


# The link tables of the many-to-many fields above, each with the initiative key
# (backbone.links). Their tables and columns are those Django made before they had one.


class ActivityStrategy(Link):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    strategy = models.ForeignKey("agenda.Strategy", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "activities_activity_strategies"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "activity", "strategy"], name="activity_strategy_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} serves {self.strategy_id}"


class ActivityPlace(Link):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("measurement.Group", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "activities_activity_places"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "activity", "group"], name="activity_place_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} in {self.group_id}"


class ActivityGroup(Link):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("measurement.Group", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "activities_activity_groups"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "activity", "group"], name="activity_group_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} serves {self.group_id}"


class ActivityIndicator(Link):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        "measurement.Indicator", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "activities_activity_indicators"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "activity", "indicator"], name="activity_indicator_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} moves {self.indicator_id}"


class ActivityDependency(Link):
    from_activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    to_activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "activities_activity_depends_on"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "from_activity", "to_activity"],
                name="activity_dependency_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_activity_id} needs {self.to_activity_id}"
