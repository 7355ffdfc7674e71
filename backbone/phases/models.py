"""The phase tracker: where the initiative stands in each phase's components (PRODUCT §9).

A cell is one component of one phase, named by the keys the framework file gives them, so a
framework stays data: cells are made the first time someone records something, and a cell
whose phase or component the framework no longer has is kept but not shown.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.revisions import Revised
from backbone.tenancy import InitiativeQuerySet


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class PhaseCell(Revised):
    """One component of one phase: its status, the evidence for it, and when it ran."""

    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="phase_cells"
    )
    phase = models.CharField(max_length=60, help_text=_("Key of a phase in the framework."))
    component = models.CharField(max_length=60, help_text=_("Key of a component of that phase."))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    evidence = models.TextField(
        blank=True, help_text=_("What shows where this stands: documents, meetings, decisions.")
    )
    started_on = models.DateField("Started", null=True, blank=True)
    completed_on = models.DateField("Completed", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["phase", "component"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "uuid"], name="phases_phasecell_uuid_in_initiative"
            ),
            models.UniqueConstraint(
                fields=["initiative", "phase", "component"], name="phase_cell_once"
            ),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(completed_on__gte=models.F("started_on")),
                name="phase_cell_completed_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(completed_on__isnull=False),
                name="phase_cell_done_has_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase} / {self.component}: {self.get_status_display()}"


class PhaseCellChange(models.Model):
    """One change to a cell, kept for good: who, when, the status before and after, a note."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    cell = models.ForeignKey(PhaseCell, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(default=timezone.now)
    status_before = models.CharField(max_length=12, choices=Status.choices)
    status_after = models.CharField(max_length=12, choices=Status.choices)
    note = models.TextField(blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.cell}: {self.status_before} → {self.status_after}"
