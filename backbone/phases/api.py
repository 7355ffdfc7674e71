"""The phase tracker over the REST API: the grid, one cell with its history, and recording a
cell, under the same rules and through the same service as the pages.

Members read (visitors of a public initiative do not: it is the initiative's own working
record); backbone staff record. A phase or component the framework does not have is 404. A
record carries the `revision` the cell was read at (0 before its first record): one saved
meanwhile answers 409 with the cell as it now stands. What the service refuses (dates that
disagree with the status) is 422 with its message.
"""

from datetime import date, datetime
from types import SimpleNamespace
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.initiatives.models import Initiative
from backbone.permissions import can
from backbone.revisions import EditConflict

from . import selectors, services
from .models import PhaseCellChange

router = Router(tags=["phases"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Key = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
CellStatus = Literal["not_started", "in_progress", "done"]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class PhaseCellOut(Schema):
    """One component of one phase as the grid shows it; never recorded, it has not started."""

    phase: str = Field(description="The phase's key in the framework.")
    phase_name: str
    component: str = Field(description="The component's key in the framework.")
    component_name: str
    status: CellStatus
    evidence: str
    started_on: date | None
    completed_on: date | None
    updated_by: str | None
    updated_at: datetime | None
    revision: int = Field(description="Send it back with a record (PUT); 0 before the first.")
    url: str = Field(description="The cell's page.")

    @staticmethod
    def resolve_phase(obj: selectors.GridCell) -> str:
        return obj.phase["key"]

    @staticmethod
    def resolve_phase_name(obj: selectors.GridCell) -> str:
        return obj.phase["name"]

    @staticmethod
    def resolve_component(obj: selectors.GridCell) -> str:
        return obj.component["key"]

    @staticmethod
    def resolve_component_name(obj: selectors.GridCell) -> str:
        return obj.component["name"]

    @staticmethod
    def resolve_evidence(obj: selectors.GridCell) -> str:
        return obj.cell.evidence if obj.cell else ""

    @staticmethod
    def resolve_started_on(obj: selectors.GridCell) -> date | None:
        return obj.cell.started_on if obj.cell else None

    @staticmethod
    def resolve_completed_on(obj: selectors.GridCell) -> date | None:
        return obj.cell.completed_on if obj.cell else None

    @staticmethod
    def resolve_updated_by(obj: selectors.GridCell) -> str | None:
        by = obj.cell.updated_by if obj.cell else None
        return (by.name or by.email) if by else None

    @staticmethod
    def resolve_updated_at(obj: selectors.GridCell) -> datetime | None:
        return obj.cell.updated_at if obj.cell else None

    @staticmethod
    def resolve_revision(obj: selectors.GridCell) -> int:
        return obj.cell.revision if obj.cell else 0

    @staticmethod
    def resolve_url(obj: selectors.GridCell, context) -> str:
        slug = context["request"].resolver_match.kwargs["slug"]
        return reverse("phases:cell", args=[slug, obj.phase["key"], obj.component["key"]])


class PhaseShareOut(Schema):
    key: str
    name: str
    done: int
    in_progress: int
    total: int
    percent_done: int | None


class PhaseGridOut(Schema):
    """The grid's cells by phase, in framework order, and where the initiative stands."""

    phases: list[PhaseShareOut]
    current_phase: str | None = Field(description="The first phase not all done.")
    declared_phase: str | None = Field(description="The phase the initiative's settings name.")
    cells: list[PhaseCellOut]


class PhaseCellChangeOut(Schema):
    changed_at: datetime
    changed_by: str | None
    status_before: CellStatus
    status_after: CellStatus
    note: str

    @staticmethod
    def resolve_changed_by(obj: PhaseCellChange) -> str | None:
        return (obj.changed_by.name or obj.changed_by.email) if obj.changed_by else None


class PhaseCellWithHistoryOut(PhaseCellOut):
    history: list[PhaseCellChangeOut] = Field(description="Its changes, latest first.")


class PhaseCellConflictOut(Schema):
    detail: str
    current: PhaseCellOut = Field(description="The cell as it now stands.")


class PhaseCellIn(Schema):
    revision: int = Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")
    status: CellStatus
    started_on: date | None = None
    completed_on: date | None = Field(None, description="Needed when the status is done.")
    evidence: Text = ""
    note: Text = Field("", max_length=1000, description="Why it changed; kept with the change.")


def _refused(exc: Refused) -> ValidationError:
    return ValidationError(
        [
            {"type": "refused", "loc": ["body", name], "msg": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    )


def _initiative(request: HttpRequest, slug: str) -> Initiative:
    """404 for an initiative the caller may not see; 401 for no one and 403 for a visitor
    of a public initiative (the tracker is its members')."""
    initiative = initiative_of(request, slug)
    if not can(who(request), "phases.view", initiative):
        if not who(request).is_authenticated:
            raise HttpError(401, "Sign in, or send a token.")
        raise PermissionDenied
    return initiative


def _cell(initiative: Initiative, phase: str, component: str) -> selectors.GridCell:
    found = selectors.grid_cell(initiative=initiative, phase_key=phase, component_key=component)
    if found is None:
        raise Http404("The framework has no such phase or component.")
    return found


CELL_PARTS = ("phase", "component", "cell", "status")
GRID = "/initiatives/{slug}/phases"
CELL = "/initiatives/{slug}/phases/{phase}/{component}"


@router.get(GRID, response={200: PhaseGridOut, **READ})
def phase_grid(request: HttpRequest, slug: Slug):
    """Every component of every phase the framework has, phase by phase, with each phase's
    share done and the current phase (counted from the cells, as the grid page does)."""
    initiative = _initiative(request, slug)
    grid = selectors.phase_grid(initiative=initiative)
    by_phase: dict[str, list] = {p.key: [] for p in grid.phases}
    for row in grid.rows:
        for cell in row.cells:
            if cell is not None:
                by_phase[cell.phase["key"]].append(cell)
    standing = grid.standing
    return {
        "phases": grid.phases,
        "current_phase": standing.current.key if standing.current else None,
        "declared_phase": standing.declared.key if standing.declared else None,
        "cells": [cell for cells in by_phase.values() for cell in cells],
    }


@router.get(CELL, response={200: PhaseCellWithHistoryOut, **READ})
def get_cell(request: HttpRequest, slug: Slug, phase: Key, component: Key):
    """One cell and every change made to it."""
    initiative = _initiative(request, slug)
    found = _cell(initiative, phase, component)
    history = selectors.cell_history(cell=found.cell)
    return SimpleNamespace(**{k: getattr(found, k) for k in CELL_PARTS}, history=history)


@router.put(CELL, response={200: PhaseCellOut, 409: PhaseCellConflictOut, **WRITE})
def record_cell(request: HttpRequest, slug: Slug, phase: Key, component: Key, payload: PhaseCellIn):
    """Record where a component of a phase stands, kept in its history: backbone staff.
    Recording what is already there changes nothing."""
    initiative = _initiative(request, slug)
    _cell(initiative, phase, component)
    if not can(who(request), "phases.edit", initiative):
        raise PermissionDenied
    try:
        services.cell_record(
            initiative=initiative,
            phase=phase,
            component=component,
            status=payload.status,
            evidence=payload.evidence,
            started_on=payload.started_on,
            completed_on=payload.completed_on,
            note=payload.note,
            by=caller(request).by,
            read_revision=payload.revision,
        )
    except EditConflict as exc:
        current = _cell(initiative, phase, component)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise _refused(exc) from exc
    return _cell(initiative, phase, component)
