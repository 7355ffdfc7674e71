"""The completeness overview's heat map: a partner per row, a period per column, each cell
the partner's reports for the period as one status — a colour, a symbol and its figures, so
colour is never the only cue. Every cell is read from `Completeness.by_partner_period` and the
footer from `by_period`: the figures of the page's tables, not counted again."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from backbone.initiatives.models import Partner
from backbone.measurement.models import Period

from .selectors import Completeness, Figures


@dataclass(frozen=True)
class Status:
    key: str  # the cell's class is "heat-<key>" (completeness.css)
    colour: str
    symbol: str
    words: str


ON_TIME = Status("on-time", "#0b6e4f", "✓", gettext_lazy("All received on time"))
LATE = Status("late", "#5c6b00", "!", gettext_lazy("All received, some late"))
PARTIAL = Status("partial", "#8a4b00", "◐", gettext_lazy("Some received, the rest overdue"))
OVERDUE = Status("overdue", "#a4161a", "✗", gettext_lazy("None received, overdue"))
WAITING = Status("waiting", "#4a5561", "…", gettext_lazy("Not all received, not yet due"))
#: In the legend's order, best first.
STATUSES = (ON_TIME, LATE, PARTIAL, OVERDUE, WAITING)


def status_of(f: Figures | None) -> Status | None:
    """The one status of a set of expected reports; None when none is expected. Reports still
    outstanding past their due date make it partial or overdue; outstanding ones not yet due
    leave it waiting."""
    if f is None or not f.expected:
        return None
    if f.received == f.expected:
        return ON_TIME if not f.late else LATE
    received_late = f.received - f.on_time
    outstanding_late = f.late - received_late
    if outstanding_late:
        return PARTIAL if f.received else OVERDUE
    return WAITING


@dataclass(frozen=True)
class Cell:
    figures: Figures | None

    @property
    def status(self) -> Status | None:
        return status_of(self.figures)

    @property
    def text(self) -> str:
        f = self.figures
        return f"{f.received}/{f.expected}" if f and f.expected else ""

    @property
    def words(self) -> str:
        f, status = self.figures, self.status
        if f is None or status is None:
            return _("Not expected")
        values = {"status": status.words, "received": f.received, "expected": f.expected}
        if f.late:
            return ngettext(
                "%(status)s: %(received)s of %(expected)s received, %(late)s late",
                "%(status)s: %(received)s of %(expected)s received, %(late)s late",
                f.late,
            ) % {**values, "late": f.late}
        return _("%(status)s: %(received)s of %(expected)s received") % values


@dataclass(frozen=True)
class Row:
    partner: Partner
    cells: list[Cell]


@dataclass(frozen=True)
class HeatMap:
    periods: list[Period]  # newest first, as the page lists them
    rows: list[Row]
    totals: list[Cell]  # every partner, per period
    statuses: tuple[Status, ...] = STATUSES


def heat_map(found: Completeness) -> HeatMap | None:
    """Partners × the periods that have expected reports; None when nothing is expected."""
    periods = [p for p in found.periods if p.pk in found.by_period]
    if not periods or not found.partners:
        return None
    cells = found.by_partner_period
    return HeatMap(
        periods=periods,
        rows=[
            Row(partner=partner, cells=[Cell(cells.get((partner.pk, p.pk))) for p in periods])
            for partner in found.partners
        ],
        totals=[Cell(found.by_period[p.pk]) for p in periods],
    )
