"""Gaps and overlaps in the plan of action, as plain rules on plain data.

Only *active* activities count. Places nest (city › district › neighbourhood):

- A place is **served** by an active activity placed on it, on a place that contains it (an
  activity for a district serves each of its neighbourhoods) or on a place inside it (an
  activity for a neighbourhood counts toward its district).
- A **gap** is a strategy no active activity serves, or a place below the top level (a
  district or a neighbourhood) that no active activity serves.
- An **overlap** is two active activities of different partners that share a strategy, whose
  places are the same or one inside the other (or neither names a place), that serve the same
  population group (or both serve everyone), at overlapping times. Date ranges include both
  ends, so one ending the day the other starts overlaps it; no end date means ongoing.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

ACTIVE = "active"

#: place id -> its parent's id (None at the top)
Parents = Mapping[Hashable, Hashable | None]


@dataclass(frozen=True)
class Item:
    """An activity as these rules see it: ids only."""

    key: Hashable
    partner: Hashable
    status: str
    strategies: frozenset
    places: frozenset = frozenset()
    groups: frozenset = frozenset()
    starts_on: date = date.min
    ends_on: date | None = None

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True)
class Overlap:
    first: Hashable
    second: Hashable
    strategies: frozenset
    groups: frozenset


def ancestors(place: Hashable, parents: Parents) -> list:
    """The places containing `place`, nearest first."""
    found, seen = [], {place}
    parent = parents.get(place)
    while parent is not None and parent not in seen:
        found.append(parent)
        seen.add(parent)
        parent = parents.get(parent)
    return found


def nested(a: Hashable, b: Hashable, parents: Parents) -> bool:
    """The same place, or one inside the other."""
    return a == b or a in ancestors(b, parents) or b in ancestors(a, parents)


def within(place: Hashable, area: Hashable, parents: Parents) -> bool:
    """`place` is `area` or lies inside it."""
    return place == area or area in ancestors(place, parents)


def dates_overlap(a: Item, b: Item) -> bool:
    """Both ends included; an open end is ongoing."""
    a_end, b_end = a.ends_on or date.max, b.ends_on or date.max
    return a.starts_on <= b_end and b.starts_on <= a_end


def places_overlap(a: Item, b: Item, parents: Parents) -> bool:
    if not a.places and not b.places:
        return True
    return any(nested(p, q, parents) for p in a.places for q in b.places)


def groups_overlap(a: Item, b: Item) -> frozenset | None:
    """The shared population groups (empty when both serve everyone), or None."""
    if not a.groups and not b.groups:
        return frozenset()
    shared = a.groups & b.groups
    return shared or None


def serves_place(item: Item, place: Hashable, parents: Parents) -> bool:
    return item.is_active and any(nested(p, place, parents) for p in item.places)


def strategy_gaps(items: Iterable[Item], strategies: Iterable[Hashable]) -> list:
    """The strategies, in the order given, that no active activity serves."""
    served = set().union(*(i.strategies for i in items if i.is_active))
    return [s for s in strategies if s not in served]


def gap_places(parents: Parents) -> list:
    """The places a gap is looked for in: every place below the top level, or every place
    when there is only one level."""
    below_top = [p for p, parent in parents.items() if parent is not None]
    return below_top or list(parents)


def place_gaps(items: Iterable[Item], parents: Parents) -> list:
    """The places (districts and neighbourhoods) that no active activity serves."""
    active = [i for i in items if i.is_active and i.places]
    return [
        place
        for place in gap_places(parents)
        if not any(serves_place(item, place, parents) for item in active)
    ]


def overlap(a: Item, b: Item, parents: Parents) -> Overlap | None:
    if not (a.is_active and b.is_active) or a.partner == b.partner:
        return None
    strategies = a.strategies & b.strategies
    if not strategies or not dates_overlap(a, b) or not places_overlap(a, b, parents):
        return None
    groups = groups_overlap(a, b)
    if groups is None:
        return None
    return Overlap(first=a.key, second=b.key, strategies=strategies, groups=groups)


def overlaps(items: Iterable[Item], parents: Parents) -> list[Overlap]:
    """Every pair of activities that overlap, each pair once, in the items' order.

    Only activities that share a strategy can overlap, and only where their places nest, so
    pairs are looked for strategy by strategy and, within one, area by area (the places just
    below the top one: districts); an activity on the top place, or on no place, is compared
    with those it could overlap."""
    active = [i for i in items if i.is_active]
    order = {i.key: n for n, i in enumerate(active)}
    lines = Lineage(parents)
    by_strategy: dict[Hashable, list[Item]] = {}
    for i in active:
        for s in i.strategies:
            by_strategy.setdefault(s, []).append(i)
    tried: set[tuple] = set()
    found = []

    def consider(a: Item, b: Item, strategy: Hashable) -> None:
        # Cheap refusals first; a pair sharing several strategies is taken up under the
        # smallest of them only, and one in several areas once.
        if a.partner == b.partner or not dates_overlap(a, b):
            return
        if min(a.strategies & b.strategies) != strategy:
            return
        pair = (a.key, b.key) if order[a.key] < order[b.key] else (b.key, a.key)
        if pair in tried:
            return
        tried.add(pair)
        first, second = (a, b) if pair[0] == a.key else (b, a)
        hit = _overlap(first, second, lines)
        if hit is not None:
            found.append(hit)

    for strategy, group in by_strategy.items():
        areas: dict[Hashable, list[Item]] = {}
        everywhere, nowhere = [], []
        for i in group:
            if not i.places:
                nowhere.append(i)
                continue
            regions = {lines.area(p) for p in i.places}
            if None in regions:
                everywhere.append(i)
            for region in regions - {None}:
                areas.setdefault(region, []).append(i)
        for bucket in [*areas.values(), nowhere]:
            for n, a in enumerate(bucket):
                for b in bucket[n + 1 :]:
                    consider(a, b, strategy)
        placed = [i for i in group if i.places]
        for a in everywhere:
            for b in placed:
                if a is not b:
                    consider(a, b, strategy)
    found.sort(key=lambda o: (order[o.first], order[o.second]))
    return found


class Lineage:
    """Each place with the places containing it, worked out once: `nested` in a set lookup."""

    def __init__(self, parents: Parents):
        self.parents = parents
        self._up: dict[Hashable, frozenset] = {}

    def up(self, place: Hashable) -> frozenset:
        if place not in self._up:
            self._up[place] = frozenset([place, *ancestors(place, self.parents)])
        return self._up[place]

    def nested(self, a: Hashable, b: Hashable) -> bool:
        return a in self.up(b) or b in self.up(a)

    def area(self, place: Hashable) -> Hashable | None:
        """The place just below the top that contains `place` (itself, for a district); None
        for the top place, which contains every area."""
        chain = [place, *ancestors(place, self.parents)]
        return chain[-2] if len(chain) > 1 else None


def _overlap(a: Item, b: Item, lines: Lineage) -> Overlap | None:
    """`overlap`, with places compared through a shared lineage."""
    if a.partner == b.partner:
        return None
    strategies = a.strategies & b.strategies
    if not strategies or not dates_overlap(a, b):
        return None
    if a.places or b.places:
        if not any(lines.nested(p, q) for p in a.places for q in b.places):
            return None
    groups = groups_overlap(a, b)
    if groups is None:
        return None
    return Overlap(first=a.key, second=b.key, strategies=strategies, groups=groups)
