"""Writes to the phase tracker: one function records a cell and its history together."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from backbone.initiatives.models import Initiative
from backbone.revisions import revise

from .models import PhaseCell, PhaseCellChange, Status
from .selectors import grid_cell


def cell_problems(
    *, status: str, started_on: date | None, completed_on: date | None, today: date
) -> dict[str, str]:
    """What makes a cell's status and dates disagree, by field; empty when they agree."""
    problems: dict[str, str] = {}
    if status not in Status.values:
        labels = ", ".join(str(label) for label in Status.labels)
        problems["status"] = f"Status must be one of: {labels}."
        return problems
    if started_on and started_on > today:
        problems["started_on"] = "The start date cannot be in the future."
    elif status == Status.NOT_STARTED and started_on:
        problems["started_on"] = (
            "A component that has not started has no start date: "
            "set the status to in progress, or clear the date."
        )
    if status == Status.DONE and completed_on is None:
        problems["completed_on"] = "A done component needs the date it was completed."
    elif status != Status.DONE and completed_on:
        problems["completed_on"] = (
            "Only a done component has a completion date: set the status to done, "
            "or clear the date."
        )
    elif completed_on and completed_on > today:
        problems["completed_on"] = "The completion date cannot be in the future."
    elif completed_on and started_on and completed_on < started_on:
        problems["completed_on"] = (
            f"It cannot be completed before it started ({started_on.day} {started_on:%B %Y})."
        )
    return problems


@transaction.atomic
def cell_record(
    *,
    initiative: Initiative,
    phase: str,
    component: str,
    status: str,
    evidence: str = "",
    started_on: date | None = None,
    completed_on: date | None = None,
    note: str = "",
    by=None,
    at: datetime | None = None,
    read_revision: int | None = None,
) -> PhaseCell:
    """Record where one component of one phase stands, and keep the change in its history.

    Saving what is already there records nothing. The cell must be one the framework has;
    any problem raises ValidationError by field and nothing is saved. A change is refused
    (EditConflict) when the cell was recorded since the form was read at `read_revision`
    (0: before the cell's first record).
    """
    at = at or timezone.now()
    if grid_cell(initiative=initiative, phase_key=phase, component_key=component) is None:
        raise ValidationError(
            {
                "component": f"“{phase} / {component}” is not a component of a phase of this "
                "initiative's framework."
            }
        )
    problems = cell_problems(
        status=status,
        started_on=started_on,
        completed_on=completed_on,
        today=timezone.localdate(at),
    )
    if problems:
        raise ValidationError(problems)
    # One writer of the initiative's cells at a time: a cell's first record is an insert,
    # which two people could otherwise both make.
    Initiative.objects.select_for_update().only("pk").get(pk=initiative.pk)
    cell = (
        PhaseCell.objects.select_for_update()
        .filter(initiative=initiative, phase=phase, component=component)
        .first()
    ) or PhaseCell(initiative=initiative, phase=phase, component=component)
    before = cell.status
    new = {
        "status": status,
        "evidence": evidence.strip(),
        "started_on": started_on,
        "completed_on": completed_on,
    }
    if cell.pk and all(getattr(cell, k) == v for k, v in new.items()) and not note.strip():
        return cell
    revise(cell, read=read_revision, by=by)
    for name, value in new.items():
        setattr(cell, name, value)
    cell.updated_by = by
    cell.updated_at = at
    cell.full_clean()
    cell.save()
    change = PhaseCellChange(
        initiative=initiative,
        cell=cell,
        changed_by=by,
        changed_at=at,
        status_before=before,
        status_after=status,
        note=note.strip(),
    )
    change.full_clean()
    change.save()
    return cell
