"""What every question of the engine shares: its answer (`Result`), the statuses that count, and
an initiative's groups, places and cells (`Layout`, `Level`), read once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..models import (
    Aggregation,
    Cell,
    DataValue,
    Dimension,
    Group,
    Indicator,
)
from ..models import IndicatorDimension as _IndicatorDimension

SIX_PLACES = Decimal("0.000001")
APPROVED_ONLY = (DataValue.Status.APPROVED,)
WITH_PROVISIONAL = (DataValue.Status.APPROVED, DataValue.Status.SUBMITTED)
LATEST_IN_TIME = {Aggregation.STOCK, Aggregation.CUMULATIVE}


@dataclass(frozen=True)
class Result:
    """One answer. `value` is None when no value went in: a gap, not a zero.

    numerator, denominator  the summed numerator and denominator of a rate (else None).
    weight                  the n behind a weighted average, or the summed denominator of a
                            rate — what a caller needs to judge (or suppress) small numbers.
    partners                how many partners' values went in.
    values                  how many reported values went in.
    """

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    weight: Decimal | None = None
    partners: int = 0
    values: int = 0

    @property
    def is_gap(self) -> bool:
        return self.value is None


NO_DATA = Result(value=None)


@dataclass(frozen=True)
class Level:
    """A level of a geography dimension to break down by, rolling smaller places up into it.

    `Level(place, depth=1)` are the places one step below the top (districts of a city);
    `Level.below(city)` are the places whose parent is the city. Values reported on a place
    above the level (or outside `under`) have no group at that level and are left out.
    """

    dimension: Dimension
    depth: int | None = None
    under: Group | None = None

    def __post_init__(self):
        if (self.depth is None) == (self.under is None):
            raise ValueError("A level is a depth or the places under one place, not both.")
        if self.under is not None and self.under.dimension_id != self.dimension.pk:
            raise ValueError(f"{self.under} is not a group of {self.dimension}.")

    @classmethod
    def below(cls, place: Group) -> Level:
        """The places whose parent is `place` (the districts of a city)."""
        return cls(dimension=place.dimension, under=place)


class Layout:
    """An initiative's groups, places and cells, read once in three small queries.

    Every answer needs them to know which cells an indicator is reported on and which cells a
    group (or a place and the places within it) covers. A caller asking many questions of one
    initiative (a dashboard) builds one `Layout` and passes it to each call; otherwise each
    call reads its own. A cell's groups are read from its key (the sorted group ids joined by
    dots), which is what the key is for.
    """

    def __init__(self, initiative_id: int):
        self.initiative_id = initiative_id
        self.groups: dict[int, Group] = {
            g.pk: g
            for g in Group.objects.filter(initiative_id=initiative_id).select_related("dimension")
        }
        self.children: dict[int, list[int]] = defaultdict(list)
        for g in self.groups.values():
            if g.parent_id is not None:
                self.children[g.parent_id].append(g.pk)
        self.cells: dict[int, tuple[int, ...]] = {}
        self.total_cell: int | None = None
        for pk, key in Cell.objects.filter(initiative_id=initiative_id).values_list("id", "key"):
            if key == "":
                self.total_cell = pk
            else:
                self.cells[pk] = tuple(int(part) for part in key.split("."))
        self.dimensions: dict[int, tuple[int, ...]] = defaultdict(tuple)
        for indicator_id, dimension_id in (
            _IndicatorDimension.objects.filter(initiative_id=initiative_id)
            .order_by("indicator_id", "position", "id")
            .values_list("indicator_id", "dimension_id")
        ):
            self.dimensions[indicator_id] += (dimension_id,)
        self._full: dict[int, dict[int, dict[int, int]]] = {}
        self._depth: dict[int, int] = {}

    def full_cells(self, indicator: Indicator) -> dict[int, dict[int, int]]:
        """cell id → {dimension id: group id} for the cells with exactly one group of each of
        the indicator's dimensions. Without dimensions, the total cell is the only cell."""
        found = self._full.get(indicator.pk)
        if found is not None:
            return found
        dims = self.dimensions.get(indicator.pk, ())
        if not dims:
            found = {self.total_cell: {}} if self.total_cell is not None else {}
        else:
            wanted = set(dims)
            found = {}
            for cell_id, group_ids in self.cells.items():
                if len(group_ids) != len(dims):
                    continue
                by_dim = {}
                for gid in group_ids:
                    group = self.groups.get(gid)
                    if group is None:
                        break
                    by_dim[group.dimension_id] = gid
                if set(by_dim) == wanted and len(by_dim) == len(dims):
                    found[cell_id] = by_dim
        self._full[indicator.pk] = found
        return found

    def within(self, group_id: int) -> set[int]:
        """The group and, for a place, every place inside it."""
        group = self.groups.get(group_id)
        found = {group_id}
        if group is None or not group.dimension.is_geography:
            return found
        todo = [group_id]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def depth(self, group_id: int) -> int:
        """0 for a place with no parent, 1 for the places inside it, …"""
        if group_id not in self._depth:
            steps, seen, current = 0, set(), self.groups[group_id].parent_id
            while current is not None and current not in seen and current in self.groups:
                seen.add(current)
                steps += 1
                current = self.groups[current].parent_id
            self._depth[group_id] = steps
        return self._depth[group_id]

    def ancestors_or_self(self, group_id: int) -> list[int]:
        chain, current = [], group_id
        while current is not None and current in self.groups and current not in chain:
            chain.append(current)
            current = self.groups[current].parent_id
        return chain

    def groups_of(self, dimension_id: int) -> list[Group]:
        found = [g for g in self.groups.values() if g.dimension_id == dimension_id]
        return sorted(found, key=lambda g: (self.depth(g.pk), g.position, g.name, g.pk))
