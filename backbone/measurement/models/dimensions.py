"""Disaggregation: dimensions, their groups, and cells (one group from each of some dimensions)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.links import Link
from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Dimension(Revised):
    """A way of breaking a value down: geography, race/ethnicity, income band, school, …"""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="dimensions"
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    is_geography = models.BooleanField(
        default=False, help_text=_("Groups form a hierarchy of places (city › district › …).")
    )
    position = models.PositiveIntegerField(default=0)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="measurement_dimension_uuid_in_initiative"
            ),
            models.UniqueConstraint(fields=["initiative", "key"], name="dimension_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Group(Revised):
    """One group of a dimension ("Black", "Under 185% FPL", "Northside"). Places nest."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="groups"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="groups")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["dimension__position", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="measurement_group_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "dimension", "key"], name="group_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cell(models.Model):
    """A combination of groups, at most one per dimension — a cross-tab cell such as
    Black × under 185% FPL. The cell with no groups is the total. `key` is the sorted group
    ids joined by dots ("" for the total), so a cell is found without a join."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="cells"
    )
    key = models.CharField(max_length=200, blank=True)
    groups = models.ManyToManyField(Group, through="CellGroup", related_name="cells", blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "key"], name="cell_key_unique")
        ]

    def __str__(self) -> str:
        return self.key or "total"

    @property
    def is_total(self) -> bool:
        return self.key == ""

    @staticmethod
    def key_for(group_ids) -> str:
        return ".".join(str(g) for g in sorted(group_ids))


class CellGroup(Link):
    """A group of a cell: the cell's link table, with the initiative key (backbone.links).
    Its table and columns are those Django made before it had one."""

    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "measurement_cell_groups"
        constraints = [
            models.UniqueConstraint(fields=["initiative", "cell", "group"], name="cell_group_once")
        ]

    def __str__(self) -> str:
        return f"{self.group_id} in {self.cell_id}"
