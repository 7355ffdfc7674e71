"""Breakdown tables a reader chooses: one dimension or the cross-tab of two, each dimension as
reported or, for places, at one level of the hierarchy (nation › state › county) with the
places inside each rolled up into it.

Every figure is shown as the period's one small-number decision says (`disclosure`): a table
of any level or pair of dimensions is cut from the same cube as every other page, file and API
answer, so no two tables can be combined to reveal a hidden cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import ngettext

from backbone.measurement import aggregation as engine
from backbone.measurement.models import Dimension, Group, Indicator, Period
from backbone.measurement.privacy import disclosure


@dataclass(frozen=True)
class Axis:
    """One side of a table: a dimension as reported (the smallest places, and a larger place
    where values were reported on it directly), or a place dimension at one depth."""

    dimension: Dimension
    depth: int | None = None

    @property
    def spec(self) -> str:
        """How the axis is written in a URL, a file name and the API: `place` or `place:1`."""
        return self.dimension.key if self.depth is None else f"{self.dimension.key}:{self.depth}"

    @property
    def item(self) -> Dimension | engine.Level:
        if self.depth is None:
            return self.dimension
        return engine.Level(self.dimension, depth=self.depth)

    def slot(self, layout: engine.Layout, group_id: int):
        """The slot of the disclosure cube a group of this axis is: at a level, the place with
        the places inside it; as reported, a larger place holds only its own reports."""
        if self.depth is None and layout.children.get(group_id):
            return disclosure.at(group_id)
        return group_id


@dataclass(frozen=True)
class Level:
    """One depth of a place dimension, named by its places, for the reader's choice."""

    depth: int
    places: tuple[str, ...]

    @property
    def label(self) -> str:
        shown = ", ".join(self.places[:3])
        more = len(self.places) - 3
        if more <= 0:
            return shown
        return ngettext("%(shown)s and %(more)s more", "%(shown)s and %(more)s more", more) % {
            "shown": shown,
            "more": more,
        }


def levels(layout: engine.Layout, dimension: Dimension) -> list[Level]:
    """The depths of a place dimension, top first; none for other dimensions."""
    if not dimension.is_geography:
        return []
    by_depth: dict[int, list[str]] = {}
    for group in layout.groups_of(dimension.pk):
        by_depth.setdefault(layout.depth(group.pk), []).append(group.name)
    return [Level(d, tuple(names)) for d, names in sorted(by_depth.items())]


class UnknownAxis(ValueError):
    """A table asked for by a dimension the indicator is not broken down by, or a level its
    places do not have; the message names which."""


def parse_axis(spec: str, indicator: Indicator, layout: engine.Layout) -> Axis:
    """`race`, or `place:1` for the places one step below the top."""
    key, _, depth_text = spec.partition(":")
    dimension = next((d for d in indicator.ordered_dimensions if d.key == key), None)
    if dimension is None:
        raise UnknownAxis(f"{indicator.code} is not broken down by {key!r}.")
    if not depth_text:
        return Axis(dimension)
    depths = {level.depth for level in levels(layout, dimension)}
    if not depth_text.isdigit() or int(depth_text) not in depths:
        if not dimension.is_geography:
            raise UnknownAxis(f"{dimension.name} has no levels: it is not a place dimension.")
        raise UnknownAxis(
            f"{dimension.name} has levels {', '.join(str(d) for d in sorted(depths))}; "
            f"{depth_text!r} is not one of them."
        )
    return Axis(dimension, int(depth_text))


@dataclass
class Table:
    """One period's table: `rows` (and `columns` for a cross-tab) with each figure as shown
    to the reader (None: hidden, or no data); `hidden` holds the keys hidden by the decision,
    so a page or file can say "hidden" rather than leave a gap unexplained."""

    axes: list[Axis]
    rows: list[Group]
    columns: list[Group] = field(default_factory=list)
    cells: dict[tuple[int, ...], Decimal | None] = field(default_factory=dict)
    row_totals: dict[int, Decimal | None] = field(default_factory=dict)
    column_totals: dict[int, Decimal | None] = field(default_factory=dict)
    total: Decimal | None = None
    hidden: set[tuple[int, ...]] = field(default_factory=set)

    def grid(self) -> list[tuple[Group, list[Decimal | None], Decimal | None]]:
        return [
            (r, [self.cells.get((r.pk, c.pk)) for c in self.columns], self.row_totals.get(r.pk))
            for r in self.rows
        ]

    @property
    def column_values(self) -> list[Decimal | None]:
        return [self.column_totals.get(c.pk) for c in self.columns]

    def is_hidden(self, *group_ids: int) -> bool:
        return tuple(group_ids) in self.hidden


def table(
    board,
    indicator: Indicator,
    cells: engine.CellTable,
    period: Period,
    axes: list[Axis],
) -> Table:
    """The table of one or two axes in one period, as the board's reader may see it: a
    cross-tab brings its margins (each axis alone) and the period's total."""
    if not 1 <= len(axes) <= 2:
        raise ValueError("A table has one or two axes.")
    if len(axes) == 2 and axes[0].dimension.pk == axes[1].dimension.pk:
        raise UnknownAxis("A cross-tab needs two different dimensions.")
    layout = board.layout
    decision = None if board.shows_small else board.disclosures.get((indicator.pk, period.pk))
    found = Table(axes=list(axes), rows=[])

    def shown(result: engine.Result, chosen: dict[int, object], key: tuple[int, ...]):
        if decision is not None and decision.hides(
            tuple(chosen.get(d) for d in decision.dimensions)
        ):
            found.hidden.add(key)
            return None
        return result.value

    first = axes[0]
    margin = cells.breakdown(indicator, period, first.item)
    found.rows = list(margin)
    found.row_totals = {
        g.pk: shown(r, {first.dimension.pk: first.slot(layout, g.pk)}, (g.pk,))
        for g, r in margin.items()
    }
    total = board.totals.get(indicator.pk, {}).get(period.pk, engine.NO_DATA)
    found.total = None if board.total_hidden(indicator, period) else total.value
    if len(axes) == 1:
        found.cells = {(g.pk,): found.row_totals[g.pk] for g in found.rows}
        return found
    second = axes[1]
    columns = cells.breakdown(indicator, period, second.item)
    found.columns = list(columns)
    found.column_totals = {
        g.pk: shown(r, {second.dimension.pk: second.slot(layout, g.pk)}, (None, g.pk))
        for g, r in columns.items()
    }
    for (r, c), result in cells.cross_tab(indicator, period, first.item, second.item).items():
        chosen = {
            first.dimension.pk: first.slot(layout, r.pk),
            second.dimension.pk: second.slot(layout, c.pk),
        }
        found.cells[(r.pk, c.pk)] = shown(result, chosen, (r.pk, c.pk))
    return found
