"""Reads of the phase tracker: the grid, and where the initiative stands.

Everything is counted from the framework's phases and components, so cells whose phase or
component the framework no longer has (it was changed, or the initiative chose another one)
are left out of every figure instead of breaking the page. One query reads all the cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from backbone.frameworks.selectors import framework_components, framework_phases
from backbone.initiatives.models import Initiative

from .models import PhaseCell, PhaseCellChange, Status


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, halves rounded up; None when there is nothing to count."""
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class PhaseShare:
    """How far one phase has got: its components done and in progress, of all it has."""

    key: str
    name: str
    done: int
    in_progress: int
    total: int

    @property
    def percent_done(self) -> int | None:
        return percent(self.done, self.total)

    @property
    def is_done(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class PhaseStanding:
    """Where the initiative stands: each phase's share done and the current phase.

    `current` is counted from the tracker: the first phase, in framework order, whose
    components are not all done (the last phase once everything is done, since sustaining
    action never ends). The cells are the evidence the backbone keeps up to date, while the
    initiative's `phase` field is a declaration set once in its settings and easily left
    behind, so the tracker wins. Only while nothing has been recorded yet (no cell started)
    does the declared phase stand in, so an initiative that has not begun tracking is not
    shown as back at the start. `declared` is that field's phase, shown beside `current`
    when the two differ, so the backbone sees the mismatch and can settle it.
    """

    phases: list[PhaseShare]
    current: PhaseShare | None
    declared: PhaseShare | None
    from_tracker: bool

    @property
    def differs(self) -> bool:
        return (
            self.declared is not None
            and self.current is not None
            and self.declared.key != self.current.key
        )


@dataclass(frozen=True)
class GridCell:
    """One component of one phase, as the grid shows it; `cell` None until recorded."""

    phase: dict
    component: dict  # the phase's own entry for the component, with its summary
    cell: PhaseCell | None

    @property
    def status(self) -> str:
        return self.cell.status if self.cell else Status.NOT_STARTED

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass(frozen=True)
class GridRow:
    component: dict
    cells: list[GridCell | None]  # one per phase; None where a phase lacks the component


@dataclass(frozen=True)
class Grid:
    phases: list[PhaseShare]
    rows: list[GridRow]
    standing: PhaseStanding
    ignored: int  # recorded cells the framework no longer has


def _cells(initiative: Initiative) -> dict[tuple[str, str], PhaseCell]:
    rows = PhaseCell.objects.filter(initiative=initiative).select_related("updated_by")
    return {(c.phase, c.component): c for c in rows}


def _standing(
    initiative: Initiative, cells: dict[tuple[str, str], PhaseCell]
) -> tuple[PhaseStanding, int]:
    shares: list[PhaseShare] = []
    known: set[tuple[str, str]] = set()
    for phase in framework_phases(initiative.framework):
        statuses = []
        for component in phase.get("elements", []):
            key = (phase["key"], component["key"])
            known.add(key)
            cell = cells.get(key)
            statuses.append(cell.status if cell else Status.NOT_STARTED)
        shares.append(
            PhaseShare(
                key=phase["key"],
                name=phase["name"],
                done=statuses.count(Status.DONE),
                in_progress=statuses.count(Status.IN_PROGRESS),
                total=len(statuses),
            )
        )
    by_key = {s.key: s for s in shares}
    declared = by_key.get(initiative.phase) if initiative.phase else None
    recorded = any(cell.status != Status.NOT_STARTED for key, cell in cells.items() if key in known)
    if not recorded and declared is not None:
        current, from_tracker = declared, False
    else:
        current = next((s for s in shares if not s.is_done), shares[-1] if shares else None)
        from_tracker = True
    ignored = sum(1 for key in cells if key not in known)
    standing = PhaseStanding(
        phases=shares, current=current, declared=declared, from_tracker=from_tracker
    )
    return standing, ignored


def phase_standing(*, initiative: Initiative) -> PhaseStanding:
    """Where the initiative stands, for its overview and for other apps' reports."""
    return _standing(initiative, _cells(initiative))[0]


def phase_grid(*, initiative: Initiative) -> Grid:
    """Components as rows, phases as columns in framework order, with the standing."""
    cells = _cells(initiative)
    standing, ignored = _standing(initiative, cells)
    phases = framework_phases(initiative.framework)
    rows = []
    for component in framework_components(initiative.framework):
        row: list[GridCell | None] = []
        for phase in phases:
            own = next((c for c in phase.get("elements", []) if c["key"] == component["key"]), None)
            row.append(
                GridCell(
                    phase=phase,
                    component=own,
                    cell=cells.get((phase["key"], component["key"])),
                )
                if own
                else None
            )
        rows.append(GridRow(component=component, cells=row))
    return Grid(phases=standing.phases, rows=rows, standing=standing, ignored=ignored)


def grid_cell(*, initiative: Initiative, phase_key: str, component_key: str) -> GridCell | None:
    """One cell of the framework, or None when the framework has no such phase or component."""
    phase = next((p for p in framework_phases(initiative.framework) if p["key"] == phase_key), None)
    if phase is None:
        return None
    component = next((c for c in phase.get("elements", []) if c["key"] == component_key), None)
    if component is None:
        return None
    cell = (
        PhaseCell.objects.filter(initiative=initiative, phase=phase_key, component=component_key)
        .select_related("updated_by")
        .first()
    )
    return GridCell(phase=phase, component=component, cell=cell)


def cell_history(*, cell: PhaseCell | None) -> list[PhaseCellChange]:
    if cell is None:
        return []
    return list(
        PhaseCellChange.objects.filter(initiative_id=cell.initiative_id, cell=cell).select_related(
            "changed_by"
        )
    )
