"""The aggregation engine: the one place that answers "what is the value of this indicator for
these partners, places, groups and periods?". Dashboards, exports and the API all ask here, so
that a number means the same thing wherever it is shown.

How values add up is declared per indicator (`Indicator.aggregation`), across space (partners,
places, groups) and across time, as DHIS2 does:

- sum: counts of events add across space and across time.
- rate: numerators and denominators are summed across space AND time and the rate is
  recomputed from the sums (Σnum / Σden × rate_per). Percentages are never averaged: a partner
  serving 1,000 children weighs more than one serving 10.
- weighted: averages are weighted by their n, across space and time: Σ(value × n) / Σn.
- stock: a point-in-time count. For each partner and cell the value of the latest period (by
  start) among the chosen periods that has one is taken, then those are summed across partners
  and cells. A partner that did not report in the last month still counts with its last value.
- cumulative: a running total, rolled up like a stock (its latest value), summed across space.

Cells. An indicator with dimensions is reported per combination of groups. A *full* cell has one
group of every one of the indicator's dimensions; every total and margin is computed from the
full cells, never from totals a partner typed. On purpose, therefore:

- A partner that reported the total cell but no full cell for a period (say, the total only)
  still counts in overall answers (the total, and the answers per partner and per period) —
  its total stands in for its cells. It cannot say how the total splits by group, so it takes
  no part in breakdowns or in answers filtered by group; a breakdown then adds up to less
  than the total. Where a partner gave some full cells but not all of them, the cells it gave
  are used and its total is not (the intake has only checked that the total is not below
  them).
- For stocks and running totals, a partner's stand-in total competes with its cells as a
  whole: whichever is its newest report among the periods is its latest state, so it is never
  counted twice. Breakdowns, which cannot use the total, show its cells' latest values.
- Cells with only some of the indicator's dimensions (a race margin typed by hand for a race ×
  income indicator) are ignored: margins are computed, not reported.

Places nest (`Group.parent`): values are reported on the smallest places, and a filter on, or a
breakdown by, a district includes its neighbourhoods. A value reported on a larger place (a
district) counts for it and the places that contain it, and is left out of breakdowns finer than it.

Missing values are gaps: a question with no value behind it answers `Result.value is None`,
never zero. Only approved values count, unless provisional (submitted) values are asked for
too; drafts and returned values never count. Arithmetic is decimal throughout, and every
number in a `Result` is rounded to six decimal places.

Speed: the grouping happens in the database (one query per question, plus three small ones to
read the initiative's groups and cells, which a caller asking many questions can share through
`Layout`). Nothing loads the value rows themselves into Python. The queries run on PostgreSQL
and SQLite alike, and add exactly on both (`exact.ExactSum`): SQLite would add its REALs in
binary floating point, so there values are added as whole numbers and millionths, in
integers, and a small Python aggregate adds the few too large for that as decimals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from itertools import product

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from backbone.initiatives.models import Partner

from .exact import ExactSum
from .models import (
    ROLLUP_SUMS,
    Aggregation,
    Cell,
    DataValue,
    Dimension,
    Group,
    Indicator,
    Period,
    Rollup,
)
from .models import IndicatorDimension as _IndicatorDimension

__all__ = [
    "NO_DATA",
    "CellTable",
    "Layout",
    "Level",
    "Result",
    "aggregate",
    "breakdown",
    "by_partner",
    "cells_many",
    "series",
    "series_many",
]

SIX_PLACES = Decimal("0.000001")
_STATUSES = (DataValue.Status.APPROVED,)
_PROVISIONAL = (DataValue.Status.APPROVED, DataValue.Status.SUBMITTED)
_LATEST_IN_TIME = {Aggregation.STOCK, Aggregation.CUMULATIVE}


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


@dataclass
class _Scope:
    """What one question asks, resolved against the layout."""

    indicator: Indicator
    periods: list[Period]  # oldest first
    partner_ids: list[int] | None
    statuses: tuple[str, ...]
    cells: dict[int, dict[int, int]]  # the full cells the question covers
    use_totals: bool  # no group filter or breakdown: totals may stand in for missing cells
    all_full: list[int] = field(default_factory=list)  # every full cell of the indicator
    total_cell: int | None = None

    @property
    def kind(self) -> str:
        return self.indicator.aggregation


def _ordered_periods(periods: Iterable[Period]) -> list[Period]:
    unique = {p.pk: p for p in periods}
    return sorted(unique.values(), key=lambda p: (p.start, p.end, p.pk))


def _ids(items: Iterable, model) -> list[int]:
    return [item.pk if isinstance(item, model) else int(item) for item in items]


def _scope(
    indicator: Indicator,
    layout: Layout,
    *,
    periods: Iterable[Period],
    partners: Iterable[Partner | int] | None,
    groups: Iterable[Group | int],
    include_provisional: bool,
) -> _Scope:
    full = layout.full_cells(indicator)
    # Filters on one dimension widen (any of their groups), on different dimensions narrow.
    wanted: dict[int | None, set[int]] = defaultdict(set)
    for gid in _ids(groups, Group):
        group = layout.groups.get(gid)
        if group is None:  # another initiative's group: it matches no cell here
            wanted[None] = set()
        else:
            wanted[group.dimension_id] |= layout.within(gid)
    cells = {
        cell_id: by_dim
        for cell_id, by_dim in full.items()
        if all(by_dim.get(dim) in allowed for dim, allowed in wanted.items())
    }
    return _Scope(
        indicator=indicator,
        periods=_ordered_periods(periods),
        partner_ids=None if partners is None else _ids(partners, Partner),
        statuses=_PROVISIONAL if include_provisional else _STATUSES,
        cells=cells,
        use_totals=not wanted and bool(layout.dimensions.get(indicator.pk)),
        all_full=list(full),
        total_cell=layout.total_cell,
    )


def _numbers_present(kind: str) -> Q:
    """A row without the numbers its kind needs is a gap, not a zero."""
    if kind == Aggregation.RATE:
        return Q(numerator__isnull=False, denominator__isnull=False)
    if kind == Aggregation.WEIGHTED:
        return Q(value__isnull=False, weight__isnull=False)
    return Q(value__isnull=False)


def _base(scope: _Scope) -> QuerySet:
    qs = DataValue.objects.filter(
        initiative_id=scope.indicator.initiative_id,
        indicator_id=scope.indicator.pk,
        period_id__in=[p.pk for p in scope.periods],
        status__in=scope.statuses,
    ).filter(_numbers_present(scope.kind))
    if scope.partner_ids is not None:
        qs = qs.filter(partner_id__in=scope.partner_ids)
    return qs


def _stand_in_totals(scope: _Scope) -> QuerySet | None:
    """Totals of (partner, period) pairs that gave no full cell: they stand in for the cells
    in overall answers. None where they cannot take part (filters, breakdowns, indicators
    without dimensions, or no total cell at all)."""
    if not scope.use_totals or scope.total_cell is None:
        return None
    gave_cells = _base(scope).filter(
        partner_id=OuterRef("partner_id"),
        period_id=OuterRef("period_id"),
        cell_id__in=scope.all_full,
    )
    return _base(scope).filter(cell_id=scope.total_cell).filter(~Exists(gave_cells))


def _rows(scope: _Scope) -> QuerySet | None:
    """The value rows the question covers: its full cells, and — for overall answers — the
    totals standing in for missing cells. None when nothing can match."""
    if not scope.periods or scope.partner_ids == [] or not (scope.cells or scope.use_totals):
        return None
    rows = _base(scope).filter(cell_id__in=list(scope.cells))
    totals = _stand_in_totals(scope)
    if totals is None:
        return rows
    return rows | totals


def _rank(scope: _Scope) -> tuple[F | Case, int]:
    """An integer that grows with the period's place in time, and a bound above it.

    Periods are usually created in time order, so their ids already rank them and the
    database compares a column; otherwise each period's place is spelt out (slower: a CASE
    per row)."""
    ids = [p.pk for p in scope.periods]
    if ids == sorted(ids):
        return F("period_id"), ids[-1] + 1
    rank = Case(
        *[When(period_id=pk, then=Value(i)) for i, pk in enumerate(ids, start=1)],
        output_field=IntegerField(),
    )
    return rank, len(ids) + 1


def _latest(scope: _Scope, layout: Layout) -> QuerySet | None:
    """For stocks and running totals: each partner's latest value per cell.

    The latest period of each (partner, cell) is found by one grouping: the key
    (partner, cell, rank) is packed into one integer, so "the row whose rank is the largest of
    its partner and cell" is the row whose key is among the grouped maxima — a semi-join both
    databases run fast, with no window and no sort.

    A partner's stand-in total competes with its cells as a whole: if the partner's newest
    report among the periods is a total, that total is its latest state; otherwise its cells
    are, each at the latest period that has it. So no partner is ever counted twice.
    """
    rows = _rows(scope)
    if rows is None or len(scope.periods) < 2:
        return rows  # one period: every row is the latest
    rank, periods_span = _rank(scope)
    # The packed key must fit in 64 bits: with partner, cell and period ids each below a
    # million it stays under 10^18 < 2^63.
    cells_span = max([*layout.cells, layout.total_cell or 0]) + 1
    key = ExpressionWrapper(
        (F("partner_id") * cells_span + F("cell_id")) * periods_span + rank,
        output_field=BigIntegerField(),
    )
    full = _base(scope).filter(cell_id__in=list(scope.cells))
    newest_per_cell = full.values("partner_id", "cell_id").annotate(k=Max(key)).values("k")
    keep = Q(cell_id__in=list(scope.cells), k__in=Subquery(newest_per_cell))
    totals = _stand_in_totals(scope)
    if totals is not None:
        later = (
            _base(scope)
            .filter(partner_id=OuterRef("partner_id"))
            .filter(Q(cell_id__in=scope.all_full) | Q(cell_id=scope.total_cell))
            .alias(r=rank)
            .filter(r__gt=OuterRef("r"))
        )
        newest_totals = totals.alias(r=rank).filter(~Exists(later))
        keep = (keep & ~Q(partner_id__in=newest_totals.values("partner_id"))) | Q(
            pk__in=newest_totals.values("pk")
        )
    return _base(scope).alias(k=key).filter(keep)


def _measures(kind: str) -> dict:
    found = {"n_values": Count("id"), "n_partners": Count("partner_id", distinct=True)}
    if kind == Aggregation.RATE:
        found |= {"num": ExactSum("numerator"), "den": ExactSum("denominator")}
    elif kind == Aggregation.WEIGHTED:
        found |= {
            "vw": ExactSum("value", "weight"),
            "w": ExactSum("weight"),
        }
    else:
        found |= {"total": ExactSum("value")}
    return found


def _q(number) -> Decimal | None:
    if number is None:
        return None
    return Decimal(str(number)).quantize(SIX_PLACES)


def _result(indicator: Indicator, row: Mapping | None) -> Result:
    if not row or not row.get("n_values"):
        return NO_DATA
    counts = {"partners": row["n_partners"], "values": row["n_values"]}
    with localcontext() as ctx:
        ctx.prec = 60
        if indicator.aggregation == Aggregation.RATE:
            num, den = Decimal(str(row["num"])), Decimal(str(row["den"]))
            value = num * indicator.rate_per / den if den else None
            return Result(
                value=_q(value), numerator=_q(num), denominator=_q(den), weight=_q(den), **counts
            )
        if indicator.aggregation == Aggregation.WEIGHTED:
            n = Decimal(str(row["w"]))
            value = Decimal(str(row["vw"])) / n if n else None
            return Result(value=_q(value), weight=_q(n), **counts)
        return Result(value=_q(row["total"]), **counts)


def _measure(scope: _Scope, layout: Layout, by: str | None = None, bucket=None) -> dict:
    """Run the one grouping query: {group key: Result}, or {None: Result} without grouping."""
    if scope.kind in _LATEST_IN_TIME and by != "period_id":
        rows = _latest(scope, layout)
    else:
        rows = _rows(scope)
    if rows is None:
        return {}
    measures = _measures(scope.kind)
    if bucket is not None:
        rows = rows.annotate(bucket=bucket)
        by = "bucket"
    if by is None:
        return {None: _result(scope.indicator, rows.aggregate(**measures))}
    return {
        row[by]: _result(scope.indicator, row)
        for row in rows.values(by).annotate(**measures).order_by()
    }


def _layout(indicator: Indicator, layout: Layout | None) -> Layout:
    if layout is not None and layout.initiative_id == indicator.initiative_id:
        return layout
    return Layout(indicator.initiative_id)


def aggregate(
    indicator: Indicator,
    *,
    periods: Sequence[Period],
    partners: Iterable[Partner | int] | None = None,
    groups: Iterable[Group | int] = (),
    include_provisional: bool = False,
    layout: Layout | None = None,
) -> Result:
    """The value of `indicator` over `periods` (one or several, combined as the indicator's
    aggregation says), for `partners` (None: every partner of the initiative) and the cells
    matching every `groups` filter.

    Filters on one dimension widen each other (black OR latino); filters on different
    dimensions narrow (black AND low income). A place filter includes the places inside it. A
    filter on a dimension the indicator is not reported by matches nothing: the answer is a gap.
    """
    layout = _layout(indicator, layout)
    scope = _scope(
        indicator,
        layout,
        periods=periods,
        partners=partners,
        groups=groups,
        include_provisional=include_provisional,
    )
    return _measure(scope, layout).get(None, NO_DATA)


def _axis(
    layout: Layout, indicator: Indicator, item: Dimension | Level
) -> tuple[int, list[Group], dict[int, Group]]:
    """(dimension id, the groups of the axis in order, reported group id → axis group)."""
    dimension = item.dimension if isinstance(item, Level) else item
    if dimension.pk not in layout.dimensions.get(indicator.pk, ()):
        raise ValueError(f"{indicator.code} is not reported by {dimension.key}.")
    everything = layout.groups_of(dimension.pk)
    if isinstance(item, Level):
        if item.under is not None:
            under = item.under.pk
            keys = [g for g in everything if g.parent_id == under]
        else:
            keys = [g for g in everything if layout.depth(g.pk) == item.depth]
        key_ids = {g.pk: g for g in keys}
        mapping = {}
        for g in everything:
            for ancestor in layout.ancestors_or_self(g.pk):
                if ancestor in key_ids:
                    mapping[g.pk] = key_ids[ancestor]
                    break
        return dimension.pk, keys, mapping
    # The groups as reported: for places, the smallest ones, and any larger place a value
    # was reported on directly (it is not rolled into anything).
    used = {by_dim.get(dimension.pk) for by_dim in layout.full_cells(indicator).values()}
    keys = [g for g in everything if not layout.children.get(g.pk) or g.pk in used]
    return dimension.pk, keys, {g.pk: g for g in keys}


def breakdown(
    indicator: Indicator,
    *,
    by: Dimension | Level | Sequence[Dimension | Level],
    periods: Sequence[Period],
    partners: Iterable[Partner | int] | None = None,
    groups: Iterable[Group | int] = (),
    include_provisional: bool = False,
    layout: Layout | None = None,
) -> dict[tuple[Group, ...], Result]:
    """The value for each group of `by` — one dimension (a margin, such as race of a race ×
    income indicator) or several (a cross-tab, keys in the order of `by`). For places, pass a
    `Level` to roll smaller places up into it (districts = the sum of their neighbourhoods);
    a plain geography dimension breaks down by the places values are reported on.

    Every combination of groups is a key, in the groups' order; one without values answers a
    gap. Totals that stand in for a partner's missing cells take no part (they have no
    groups), so a breakdown adds up to `aggregate(...)` with the same filters only where every
    partner reported its cells. Raises ValueError for a dimension the indicator is not
    reported by.
    """
    layout = _layout(indicator, layout)
    items = [by] if isinstance(by, Dimension | Level) else list(by)
    axes = [_axis(layout, indicator, item) for item in items]
    scope = _scope(
        indicator,
        layout,
        periods=periods,
        partners=partners,
        groups=groups,
        include_provisional=include_provisional,
    )
    scope.use_totals = False
    keys = list(product(*(axis[1] for axis in axes)))
    index = {tuple(g.pk for g in key): i for i, key in enumerate(keys)}
    in_bucket: dict[int, list[int]] = defaultdict(list)
    for cell_id, by_dim in scope.cells.items():
        mapped = [axis[2].get(by_dim.get(axis[0])) for axis in axes]
        if all(g is not None for g in mapped):
            in_bucket[index[tuple(g.pk for g in mapped)]].append(cell_id)
    scope.cells = {cid: scope.cells[cid] for ids in in_bucket.values() for cid in ids}
    found: dict = {}
    if in_bucket and all(len(ids) == 1 for ids in in_bucket.values()):
        # One cell per key (a full cross-tab): grouping by cell is the same and cheaper.
        per_cell = _measure(scope, layout, by="cell_id")
        found = {i: per_cell[ids[0]] for i, ids in in_bucket.items() if ids[0] in per_cell}
    elif in_bucket:
        bucket = Case(
            *[When(cell_id__in=ids, then=Value(i)) for i, ids in in_bucket.items()],
            output_field=IntegerField(),
        )
        found = _measure(scope, layout, bucket=bucket)
    return {key: found.get(i, NO_DATA) for i, key in enumerate(keys)}


def by_partner(
    indicator: Indicator,
    *,
    periods: Sequence[Period],
    partners: Iterable[Partner | int] | None = None,
    groups: Iterable[Group | int] = (),
    include_provisional: bool = False,
    layout: Layout | None = None,
) -> dict[Partner, Result]:
    """The value for each partner (every partner of the initiative, or those given), in the
    partners' order; a partner without values answers a gap."""
    layout = _layout(indicator, layout)
    scope = _scope(
        indicator,
        layout,
        periods=periods,
        partners=partners,
        groups=groups,
        include_provisional=include_provisional,
    )
    found = _measure(scope, layout, by="partner_id")
    chosen = Partner.objects.filter(initiative_id=indicator.initiative_id).select_related(
        "organisation"
    )
    if scope.partner_ids is not None:
        chosen = chosen.filter(pk__in=scope.partner_ids)
    return {partner: found.get(partner.pk, NO_DATA) for partner in chosen}


def series(
    indicator: Indicator,
    *,
    periods: Sequence[Period],
    partners: Iterable[Partner | int] | None = None,
    groups: Iterable[Group | int] = (),
    include_provisional: bool = False,
    layout: Layout | None = None,
) -> list[tuple[Period, Result]]:
    """Each period on its own, oldest first — the points of a trend line. A period without
    values answers a gap (a break in the line, not a drop to zero)."""
    layout = _layout(indicator, layout)
    scope = _scope(
        indicator,
        layout,
        periods=periods,
        partners=partners,
        groups=groups,
        include_provisional=include_provisional,
    )
    found = _measure(scope, layout, by="period_id")
    return [(period, found.get(period.pk, NO_DATA)) for period in scope.periods]


# --- many indicators at once ---------------------------------------------------------------
#
# A dashboard shows every indicator of an initiative; asking `series` and `breakdown` for each
# would cost a query per indicator. These answer the same questions for many indicators in a
# fixed number of queries, by the same rules: full cells only, totals standing in for a
# partner's missing cells in overall answers (never in breakdowns), each period on its own.
# Tests hold them equal to `series` and `breakdown`.


@dataclass
class _Sums:
    """What a group of value rows adds up to, before it becomes a Result."""

    values: int = 0
    partners: int = 0
    total: Decimal = Decimal(0)
    num: Decimal = Decimal(0)
    den: Decimal = Decimal(0)
    vw: Decimal = Decimal(0)
    w: Decimal = Decimal(0)

    def add(self, other: _Sums) -> None:
        self.values += other.values
        self.total += other.total
        self.num += other.num
        self.den += other.den
        self.vw += other.vw
        self.w += other.w

    def result(self, indicator: Indicator, *, partners: int | None = None) -> Result:
        row = {
            "n_values": self.values,
            "n_partners": self.partners if partners is None else partners,
            "total": self.total,
            "num": self.num,
            "den": self.den,
            "vw": self.vw,
            "w": self.w,
        }
        return _result(indicator, row)


def _sums(row: Mapping) -> _Sums:
    def d(name):
        value = row.get(name)
        return Decimal(str(value)) if value is not None else Decimal(0)

    return _Sums(
        values=row["n_values"],
        partners=row.get("n_partners", 0),
        total=d("total"),
        num=d("num"),
        den=d("den"),
        vw=d("vw"),
        w=d("w"),
    )


_ALL_MEASURES = {
    "n_values": Count("id"),
    "total": ExactSum("value"),
    "num": ExactSum("numerator"),
    "den": ExactSum("denominator"),
    "vw": ExactSum("value", "weight"),
    "w": ExactSum("weight"),
}


def _many_base(
    indicators: Sequence[Indicator], period_ids: list[int], statuses: tuple[str, ...]
) -> QuerySet:
    """The value rows of these indicators and periods that carry the numbers their kind
    needs."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for ind in indicators:
        by_kind[ind.aggregation].append(ind.pk)
    present = Q()
    for kind, ids in by_kind.items():
        present |= Q(indicator_id__in=ids) & _numbers_present(kind)
    return DataValue.objects.filter(
        initiative_id=indicators[0].initiative_id,
        indicator_id__in=[i.pk for i in indicators],
        period_id__in=period_ids,
        status__in=statuses,
    ).filter(present)


def _by_dimensions(layout: Layout, indicators: Sequence[Indicator]) -> dict[tuple, list]:
    """Indicators grouped by the dimensions they are reported by: they share full cells."""
    found: dict[tuple, list] = defaultdict(list)
    for ind in indicators:
        found[tuple(sorted(layout.dimensions.get(ind.pk, ())))].append(ind)
    return found


class _Pairs:
    """Which (indicator, cell) pairs a question reads, as one packed integer per pair.

    Filtering on the packed key, an expression, keeps the database from trying the unique
    (indicator, partner, period, cell) index with long lists on its later columns — a plan
    that took seconds at a million values; it reads the (initiative, indicator, period) rows
    instead and keeps those whose pair is in the list, found by hashing."""

    def __init__(self, layout: Layout, indicators: Sequence[Indicator]):
        self.span = max([*layout.cells, layout.total_cell or 0, 0]) + 1
        self.full: list[int] = []  # every full cell of every indicator
        self.stand_in: list[int] = []  # totals of indicators with dimensions
        self.plain: list[int] = []  # totals of indicators without dimensions
        total = layout.total_cell
        for dims, group in _by_dimensions(layout, indicators).items():
            cells = list(layout.full_cells(group[0])) if dims else []
            for ind in group:
                self.full += [self.pack(ind.pk, c) for c in cells]
                if total is not None:
                    (self.stand_in if dims else self.plain).append(self.pack(ind.pk, total))

    def pack(self, indicator_id: int, cell_id: int) -> int:
        return indicator_id * self.span + cell_id

    def key(self):
        return ExpressionWrapper(
            F("indicator_id") * self.span + F("cell_id"), output_field=BigIntegerField()
        )


def value_sums(
    indicators: Sequence[Indicator],
    *,
    period_ids: Sequence[int],
    provisional: bool,
    layout: Layout,
) -> list[tuple[str, QuerySet]]:
    """The grouping queries over the value rows that the roll-ups keep (`measurement.rollups`
    writes their answers; `series_many` and `cells_many` read them back):

    whole     per (indicator, period): the full cells and the totals of indicators without
              dimensions, partners counted once;
    stand_in  per (indicator, period): the totals standing in for partners who gave no full
              cell (their partners never overlap the first part's, so counts and sums add);
    cells     per (indicator, period, cell): each full cell, partners not counted.

    Each row holds indicator_id, period_id (and cell_id), n_values, n_partners, total, num,
    den, vw and w. Apart, each part is a plain scan the database runs fast."""
    indicators = list(indicators)
    if not indicators or not period_ids:
        return []
    statuses = _PROVISIONAL if provisional else _STATUSES
    pairs = _Pairs(layout, indicators)
    base = _many_base(indicators, list(period_ids), statuses).alias(pair=pairs.key())
    per_period = ("indicator_id", "period_id")
    counted = {"n_partners": Count("partner_id", distinct=True), **_ALL_MEASURES}
    parts = []
    if pairs.full or pairs.plain:
        whole = base.filter(Q(pair__in=pairs.full) | Q(pair__in=pairs.plain))
        parts.append(("whole", whole.values(*per_period).annotate(**counted).order_by()))
    if pairs.stand_in:
        gave_cells = base.filter(
            indicator_id=OuterRef("indicator_id"),
            partner_id=OuterRef("partner_id"),
            period_id=OuterRef("period_id"),
            pair__in=pairs.full,
        )
        stand_in = base.filter(pair__in=pairs.stand_in).filter(~Exists(gave_cells))
        parts.append(("stand_in", stand_in.values(*per_period).annotate(**counted).order_by()))
    if pairs.full:
        cells = base.filter(pair__in=pairs.full).values(*per_period, "cell_id")
        parts.append(("cells", cells.annotate(n_partners=Value(0), **_ALL_MEASURES).order_by()))
    return parts


def _rollups(
    indicators: Sequence[Indicator], period_ids: Sequence[int], provisional: bool
) -> QuerySet:
    """The roll-up rows of these indicators and periods, their sums read as text where the
    database keeps them as text (SQLite), so no digit passes through a float."""
    return (
        Rollup.objects.filter(
            initiative_id=indicators[0].initiative_id,
            provisional=provisional,
            indicator_id__in=[i.pk for i in indicators],
            period_id__in=list(period_ids),
        )
        .with_exact_sums()
        .values_list(
            "indicator_id",
            "period_id",
            "cell_id",
            "value_count",
            "partner_count",
            *(f"x_{name}" for name in ROLLUP_SUMS),
        )
        .order_by()
    )


def _rollup_sums(row: tuple) -> _Sums:
    def d(value):
        return Decimal(str(value)) if value is not None else Decimal(0)

    return _Sums(
        values=row[3],
        partners=row[4],
        total=d(row[5]),
        num=d(row[6]),
        den=d(row[7]),
        vw=d(row[8]),
        w=d(row[9]),
    )


def series_many(
    indicators: Sequence[Indicator],
    *,
    periods: Sequence[Period],
    include_provisional: bool = False,
    layout: Layout | None = None,
) -> dict[int, dict[int, Result]]:
    """indicator id → period id → the indicator's value in that period alone, as `series`
    answers it, for every indicator in one read of the roll-ups (kept on every write, so
    never stale). Periods without values are left out."""
    indicators = list(indicators)
    if not indicators or not periods:
        return {}
    layout = _layout(indicators[0], layout)
    total = layout.total_cell
    sums: dict[tuple[int, int], _Sums] = {}
    rows = _rollups(indicators, [p.pk for p in periods], include_provisional)
    for row in rows.filter(Q(cell_id__isnull=True) | Q(cell_id=total)):
        key = (row[0], row[1])
        found = _rollup_sums(row)
        if key in sums:
            sums[key].add(found)
            sums[key].partners += found.partners
        else:
            sums[key] = found
    by_pk = {i.pk: i for i in indicators}
    answers: dict[int, dict[int, Result]] = defaultdict(dict)
    for (ind_id, period_id), found in sums.items():
        answers[ind_id][period_id] = found.result(by_pk[ind_id])
    return dict(answers)


class CellTable:
    """The full cells of many indicators in some periods, summed over partners: every margin
    and cross-tab of a period comes from here without another query. Partners are not
    counted in these answers (`Result.partners` is 0): a partner reports many cells."""

    def __init__(self, layout: Layout, indicators: Sequence[Indicator], rows: dict):
        self.layout = layout
        self.indicators = {i.pk: i for i in indicators}
        self.rows = rows  # (indicator id, period id) → cell id → sums: what a cache keeps

    def breakdown(
        self, indicator: Indicator, period: Period | int, by: Dimension | Level
    ) -> dict[Group, Result]:
        """As `breakdown(indicator, by=by, periods=[period])`, keyed by the group alone."""
        period_id = period if isinstance(period, int) else period.pk
        dim_id, keys, mapping = _axis(self.layout, indicator, by)
        full = self.layout.full_cells(indicator)
        sums: dict[int, _Sums] = {}
        for cell_id, cell in self.rows.get((indicator.pk, period_id), {}).items():
            group = mapping.get(full.get(cell_id, {}).get(dim_id))
            if group is not None:
                sums.setdefault(group.pk, _Sums()).add(cell)
        return {
            g: sums[g.pk].result(indicator, partners=0) if g.pk in sums else NO_DATA for g in keys
        }

    def cross_tab(
        self,
        indicator: Indicator,
        period: Period | int,
        rows: Dimension | Level,
        columns: Dimension | Level,
    ) -> dict[tuple[Group, Group], Result]:
        """As `breakdown(indicator, by=[rows, columns], periods=[period])`."""
        period_id = period if isinstance(period, int) else period.pk
        row_dim, row_keys, row_map = _axis(self.layout, indicator, rows)
        col_dim, col_keys, col_map = _axis(self.layout, indicator, columns)
        full = self.layout.full_cells(indicator)
        sums: dict[tuple[int, int], _Sums] = {}
        for cell_id, cell in self.rows.get((indicator.pk, period_id), {}).items():
            by_dim = full.get(cell_id, {})
            r, c = row_map.get(by_dim.get(row_dim)), col_map.get(by_dim.get(col_dim))
            if r is not None and c is not None:
                sums.setdefault((r.pk, c.pk), _Sums()).add(cell)
        return {
            (r, c): sums[(r.pk, c.pk)].result(indicator, partners=0)
            if (r.pk, c.pk) in sums
            else NO_DATA
            for r in row_keys
            for c in col_keys
        }


def cells_many(
    indicators: Sequence[Indicator],
    *,
    periods: Sequence[Period],
    include_provisional: bool = False,
    layout: Layout | None = None,
) -> CellTable:
    """Every full cell of these indicators in these periods, in one read of the roll-ups
    (see CellTable)."""
    indicators = list(indicators)
    if not indicators:
        return CellTable(layout, [], {})
    layout = _layout(indicators[0], layout)
    rows: dict = defaultdict(dict)
    if periods:
        found = _rollups(indicators, [p.pk for p in periods], include_provisional).filter(
            cell_id__isnull=False
        )
        if layout.total_cell is not None:
            found = found.exclude(cell_id=layout.total_cell)
        for row in found:
            rows[(row[0], row[1])][row[2]] = _rollup_sums(row)
    return CellTable(layout, indicators, dict(rows))
