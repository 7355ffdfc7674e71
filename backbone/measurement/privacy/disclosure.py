"""One small-number decision per indicator and period, over every table a reader can obtain.

For one period of one indicator, a reader without the small-numbers right can obtain the
total (pages, files, the API), each dimension's groups (breakdowns), the cross-tab of the
first two dimensions (pages) and, through the series API's group filters, any combination of
one group per dimension — every pair, triple, … — at every level of a place hierarchy, and
unions of groups of one dimension. All of them are sums of the same *atoms*: the indicator's
full cells summed over partners, and the totals of partners who gave no cells (the
*stand-in*, which only the grand total holds).

Hiding each table on its own is not enough: a hidden cell of the race × income table is a
shown race total minus shown cells. So the decision is made once, over the *cube* of every
figure that picks on each dimension either nothing (summed over), a group (a place with the
places inside it), or a place's own reports (values reported on a district itself).
Relations tie each figure to the figures one dimension finer; `suppression.suppressed` hides
the small figures and complements until no hidden figure can be solved for from every shown
one. Every consumer asks this decision: a figure of the cube is shown unless hidden; any
other answer (a union of groups) is shown only when it is a sum of shown figures of the
cube, so it tells nothing the cube did not.

Cost: the cube has Π(groups + 1) figures; the elimination works on the hidden ones only, and
the decision is computed once per values version and kept in the cache. A cube above
`MAX_FIGURES` (4-way and finer tables of large dimensions) is decided over the figures that
choose at most k dimensions, k as large as keeps them within the bound (two: every pair, for
the tables measured in benchmarks/disclosure.py); finer figures are all hidden, and the API
refuses to answer them. A period in which no atom is small is decided without the cube.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, product
from math import prod

from django.core.cache import cache
from django.db import connection

from .. import aggregation as engine
from ..models import Aggregation, Group, Indicator, Period, Rollup
from . import people, suppression

STAND_IN = ("stand-in",)  # the totals of partners who gave no cells: in the grand total only
MAX_FIGURES = 2_500
TIMEOUT = 60 * 60


def at(group_id: int) -> tuple[str, int]:
    """The slot of the values reported on a place itself, not on the places inside it."""
    return ("at", group_id)


@dataclass(frozen=True)
class Disclosure:
    """What of one indicator's period a reader without the small-numbers right may see.

    `dimensions` are the indicator's dimension ids in order; a figure's key holds one slot
    per dimension: None (summed over), a group id (the group, a place with the places inside
    it) or `at(place id)`."""

    dimensions: tuple[int, ...]
    hidden: frozenset
    # The cube was too large: only figures choosing at most this many dimensions were
    # decided, and every finer one is hidden.
    most_chosen: int | None = None

    @property
    def bounded(self) -> bool:
        return self.most_chosen is not None

    def hides(self, key: tuple) -> bool:
        if self.most_chosen is not None and len(key) - key.count(None) > self.most_chosen:
            return True
        return key in self.hidden

    @property
    def total(self) -> tuple:
        return (None,) * len(self.dimensions)

    def figure(self, layout: engine.Layout, chosen: Mapping[int, int]) -> tuple:
        """The key of a figure of a page's table: `chosen` maps dimension ids to the groups
        a breakdown shows (a place with places inside it shows its own reports there)."""
        return tuple(
            None
            if dim not in chosen
            else at(chosen[dim])
            if layout.children.get(chosen[dim])
            else chosen[dim]
            for dim in self.dimensions
        )

    def hides_figure(self, layout: engine.Layout, chosen: Mapping[int, int]) -> bool:
        return self.hides(self.figure(layout, chosen))

    def shows_selection(self, layout: engine.Layout, groups: Iterable[Group]) -> bool:
        """Whether the answer for these group filters (several on one dimension widen, as the
        engine reads them) is a sum of shown figures of the cube."""
        chosen: dict[int, set[int]] = defaultdict(set)
        for group in groups:
            if group.dimension_id not in self.dimensions:
                return True  # matches no cell: the answer is a gap
            chosen[group.dimension_id].add(group.pk)
        if self.most_chosen is not None and len(chosen) > self.most_chosen:
            return False
        axes = []
        for dim in self.dimensions:
            picked = chosen.get(dim)
            if not picked:
                axes.append([None])
                continue
            # A place inside another chosen place adds nothing to the union.
            axes.append(
                [g for g in picked if not picked.intersection(layout.ancestors_or_self(g)[1:])]
            )
        return not any(self.hides(key) for key in product(*axes))


def cube_size(layout: engine.Layout, indicator: Indicator, most_chosen: int | None = None) -> int:
    """How many figures the indicator's cube has at most, counting only those that choose at
    most `most_chosen` dimensions when it is given."""
    slots = []
    for dim in layout.dimensions.get(indicator.pk, ()):
        groups = layout.groups_of(dim)
        slots.append(len(groups) + sum(1 for g in groups if layout.children.get(g.pk)))
    largest = len(slots) if most_chosen is None else min(most_chosen, len(slots))
    return sum(prod(chosen) for k in range(largest + 1) for chosen in combinations(slots, k))


def _most_chosen(layout: engine.Layout, indicator: Indicator) -> int | None:
    """None when the whole cube is within `MAX_FIGURES`; else the most dimensions a decided
    figure may choose so that the figures stay within it (one at the least: the breakdowns)."""
    if cube_size(layout, indicator) <= MAX_FIGURES:
        return None
    k = len(layout.dimensions.get(indicator.pk, ())) - 1
    while k > 1 and cube_size(layout, indicator, k) > MAX_FIGURES:
        k -= 1
    return k


def cube(
    layout: engine.Layout,
    indicator: Indicator,
    cells: Mapping[int, engine.Result],
    total: engine.Result,
    *,
    most_chosen: int | None = None,
) -> tuple[tuple[int, ...], dict, list[suppression.Relation], Decimal | None]:
    """The figures of one period's cube with their people, their relations, and the people
    of the stand-in.

    `cells` are the full cells' results (cell id → result, summed over partners), `total` the
    period's total as every consumer reads it (with the stand-in totals). With
    `most_chosen`, only figures choosing at most that many dimensions are built.

    The stand-in is a known figure (people None): a partner's own people read its totals, so
    nothing may rest on their not knowing it."""
    dims = tuple(layout.dimensions.get(indicator.pk, ()))
    full = layout.full_cells(indicator)
    counts: dict[tuple, Decimal] = defaultdict(Decimal)
    for cell_id, result in cells.items():
        n = people(indicator, result)
        if not n or cell_id not in full:
            continue  # a gap or nobody: a known zero everywhere it counts
        by_dim = full[cell_id]
        slots = [_slots(layout, by_dim[d]) for d in dims]
        for key in product(*slots):
            if most_chosen is None or len(key) - key.count(None) <= most_chosen:
                counts[key] += n
    grand = (None,) * len(dims)
    total_people = people(indicator, total)
    stand_in = None
    if total_people is not None and total_people > counts.get(grand, 0):
        stand_in = total_people - counts.get(grand, 0)
        counts[grand] = total_people
    roots = {d: [g.pk for g in layout.groups_of(d) if g.parent_id is None] for d in dims}
    relations = []
    for key in list(counts):
        for i, slot in enumerate(key):
            if (
                slot is None
                and most_chosen is not None
                and len(key) - key.count(None) >= most_chosen
            ):
                continue  # its finer figures are not built
            if slot is None:
                parts = [key[:i] + (r,) + key[i + 1 :] for r in roots[dims[i]]]
                if key == grand and stand_in is not None:
                    parts.append(STAND_IN)
            elif isinstance(slot, int) and layout.children.get(slot):
                parts = [key[:i] + (at(slot),) + key[i + 1 :]]
                parts += [key[:i] + (c,) + key[i + 1 :] for c in layout.children[slot]]
            else:
                continue
            relations.append(suppression.Relation(total=key, parts=tuple(parts)))
    named = {k for r in relations for k in r.members}
    figures: dict = {k: None for k in named} | dict(counts)
    return dims, figures, relations, stand_in


def _slots(layout: engine.Layout, group_id: int) -> list:
    """Every slot a cell reported on `group_id` counts in: summed over, the group and each
    place around it, and the place's own reports where it has places inside it."""
    found: list = [None, *layout.ancestors_or_self(group_id)]
    if layout.children.get(group_id):
        found.append(at(group_id))
    return found


def decide(
    layout: engine.Layout,
    indicator: Indicator,
    cells: Mapping[int, engine.Result],
    total: engine.Result,
    *,
    threshold: int,
) -> Disclosure:
    """The one decision for a period of an indicator (see the module's docstring)."""
    dims = tuple(layout.dimensions.get(indicator.pk, ()))
    sizes = [people(indicator, r) for r in cells.values()]
    counted = sum(n for n in sizes if n)
    whole = people(indicator, total)
    stand_in = whole - counted if whole is not None and whole > counted else None
    if not any(n and n < threshold for n in (*sizes, stand_in)):
        # Every figure adds up atoms, none of them small: nothing is small, nothing hidden.
        return Disclosure(dimensions=dims, hidden=frozenset())
    most_chosen = _most_chosen(layout, indicator)
    dims, figures, relations, stand_in = cube(
        layout, indicator, cells, total, most_chosen=most_chosen
    )
    hidden = suppression.suppressed(people=figures, relations=relations, threshold=threshold)
    if stand_in is not None and stand_in < threshold:
        # A small stand-in is in the grand total alone: hiding it keeps the stand-in from
        # everyone who did not report it.
        hidden |= {(None,) * len(dims)}
    return Disclosure(dimensions=dims, hidden=hidden, most_chosen=most_chosen)


def decisions(
    layout: engine.Layout,
    indicators: Sequence[Indicator],
    periods: Iterable[Period],
    *,
    threshold: int,
    version: str | None,
    totals: Mapping[int, Mapping[int, engine.Result]] | None = None,
) -> dict[tuple[int, int], Disclosure]:
    """(indicator id, period id) → the decision, for every period with a value. Kept in the
    cache under the values version, one entry for the question: the first reader after an
    approval pays for it. A caller that has read the totals (`engine.series_many`) passes
    them; otherwise they are read here. Only the cells of the (indicator, period) pairs
    with something small are read (`_clear`), and only theirs."""
    indicators, periods = list(indicators), list(periods)
    if not indicators or not periods:
        return {}
    key = _key(version, indicators, periods, threshold)
    found = cache.get(key) if version else None
    if found is not None:
        return found
    if totals is None:
        totals = engine.series_many(indicators, periods=periods, layout=layout)
    period_ids = [(p, p.pk) for p in periods]
    wanted = [
        (ind, ind.pk, period, pk)
        for ind in indicators
        if (found := totals.get(ind.pk))
        for period, pk in period_ids
        if pk in found
    ]
    clear = _clear(layout, indicators, wanted, totals, threshold)
    answers = {}
    nothing_hidden: dict[int, Disclosure] = {}  # one answer per indicator, shared
    for _, ind_pk, _, period_pk in wanted:
        if (ind_pk, period_pk) in clear:
            if ind_pk not in nothing_hidden:
                dims = tuple(layout.dimensions.get(ind_pk, ()))
                nothing_hidden[ind_pk] = Disclosure(dimensions=dims, hidden=frozenset())
            answers[(ind_pk, period_pk)] = nothing_hidden[ind_pk]
    wanted = [(i, p) for i, i_pk, p, p_pk in wanted if (i_pk, p_pk) not in clear]
    # the cells of these pairs alone, in one read
    read: dict = {}
    if wanted:
        inds = list({i.pk: i for i, _ in wanted}.values())
        some = list({p.pk: p for _, p in wanted}.values())
        pairs = [(i.pk, p.pk) for i, p in wanted]
        read = engine.cells_many(inds, periods=some, layout=layout, pairs=pairs).rows
    for ind, period in wanted:
        rows = read.get((ind.pk, period.pk), {})
        answers[(ind.pk, period.pk)] = decide(
            layout,
            ind,
            {cid: sums.result(ind, partners=0) for cid, sums in rows.items()},
            totals[ind.pk][period.pk],
            threshold=threshold,
        )
    if version:
        cache.set(key, answers, TIMEOUT)
    return answers


def _clear(
    layout: engine.Layout,
    indicators: Sequence[Indicator],
    wanted: list[tuple[Indicator, int, Period, int]],
    totals: Mapping[int, Mapping[int, engine.Result]],
    threshold: int,
) -> set[tuple[int, int]]:
    """The (indicator id, period id) pairs of `wanted` — (indicator, its id, period, its
    id) — in which no atom is small, so that nothing is hidden (`decide`'s first answer),
    found from the roll-ups' people without reading the cells: no cell counts between none
    and the threshold, and the stand-in (the total's people less the cells') is not small
    either."""
    if not wanted:
        return set()
    found = _people_of_cells(layout, indicators, {pk for *_, pk in wanted}, threshold)
    clear = set()
    nobody = (0, Decimal(0))
    for ind, ind_pk, _, period_pk in wanted:
        small, counted = found.get((ind_pk, period_pk), nobody)
        if small:
            continue
        whole = people(ind, totals[ind_pk][period_pk])
        if whole is not None and 0 < whole - counted < threshold:
            continue  # a small stand-in
        clear.add((ind_pk, period_pk))
    return clear


def _people_of_cells(
    layout: engine.Layout,
    indicators: Sequence[Indicator],
    period_ids: Iterable[int],
    threshold: int,
) -> dict[tuple[int, int], tuple[int, Decimal]]:
    """(indicator id, period id) → (how many cells count between none and the threshold,
    the people the cells count, exactly), from the approved roll-ups of the full cells —
    what `decide` reads of the cells, as `privacy.people` counts them: a rate's
    denominator, an average's n, a count's own value."""

    def among(ids) -> str:
        return ", ".join(str(int(i)) for i in ids) or "NULL"

    rates = [i.pk for i in indicators if i.aggregation == Aggregation.RATE]
    weighted = [i.pk for i in indicators if i.aggregation == Aggregation.WEIGHTED]
    counts = [
        i.pk
        for i in indicators
        if i.pk not in rates and i.pk not in weighted and i.unit == Indicator.Unit.COUNT
    ]
    counted_by = (
        f"CASE WHEN indicator_id IN ({among(rates)}) THEN denominator "
        f"WHEN indicator_id IN ({among(weighted)}) THEN weight "
        f"WHEN indicator_id IN ({among(counts)}) THEN total END"
    )
    total_cell = "" if layout.total_cell is None else f"AND cell_id <> {int(layout.total_cell)}"
    rows = (
        f"SELECT indicator_id, period_id, {counted_by} AS p FROM {Rollup._meta.db_table} "
        "WHERE initiative_id = %s AND provisional = %s "
        f"AND indicator_id IN ({among(i.pk for i in indicators)}) "
        f"AND period_id IN ({among(sorted(period_ids))}) "
        f"AND cell_id IS NOT NULL {total_cell} AND value_count > 0"
    )
    params = [indicators[0].initiative_id, False]
    found: dict[tuple[int, int], tuple[int, Decimal]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # numeric adds exactly
            cursor.execute(
                "SELECT indicator_id, period_id, "
                "count(*) FILTER (WHERE p > 0 AND p < %s), sum(p) FILTER (WHERE p > 0) "
                f"FROM ({rows}) q GROUP BY indicator_id, period_id",
                [threshold, *params],
            )
            for indicator_id, period_id, small, counted in cursor.fetchall():
                found[(indicator_id, period_id)] = (small, counted or Decimal(0))
            return found
        cursor.execute(rows, params)  # SQLite keeps the sums as text: Python adds them
        for indicator_id, period_id, text in cursor.fetchall():
            n = Decimal(text) if text is not None else Decimal(0)
            small, counted = found.get((indicator_id, period_id), (0, Decimal(0)))
            if n > 0:
                found[(indicator_id, period_id)] = (small + (n < threshold), counted + n)
    return found


def _key(version: str | None, indicators, periods, threshold: int) -> str:
    ids = ",".join(str(i.pk) for i in indicators) + "|" + ",".join(str(p.pk) for p in periods)
    digest = hashlib.sha256(f"{ids}|{threshold}".encode()).hexdigest()[:32]
    return f"backbone:disclosure:{version}:{digest}"
