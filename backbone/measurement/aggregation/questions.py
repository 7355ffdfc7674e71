"""The engine's questions of one indicator: `aggregate`, `breakdown`, `by_partner` and `series`,
each one grouping query over the value rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal
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

from ..exact import ExactSum
from ..models import (
    Aggregation,
    DataValue,
    Dimension,
    Group,
    Indicator,
    Period,
)
from .layout import (
    APPROVED_ONLY,
    LATEST_IN_TIME,
    NO_DATA,
    SIX_PLACES,
    WITH_PROVISIONAL,
    Layout,
    Level,
    Result,
)


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
        statuses=WITH_PROVISIONAL if include_provisional else APPROVED_ONLY,
        cells=cells,
        use_totals=not wanted and bool(layout.dimensions.get(indicator.pk)),
        all_full=list(full),
        total_cell=layout.total_cell,
    )


def numbers_present(kind: str) -> Q:
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
    ).filter(numbers_present(scope.kind))
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


# The engine's arithmetic: 60 digits, so no sum or quotient is rounded before its six places.
_WIDE = Context(prec=60)


def _d(number) -> Decimal:
    return number if isinstance(number, Decimal) else Decimal(str(number))


def _q(number) -> Decimal | None:
    if number is None:
        return None
    return _d(number).quantize(SIX_PLACES, context=_WIDE)


def result_of(indicator: Indicator, row: Mapping | None) -> Result:
    if not row or not row.get("n_values"):
        return NO_DATA
    return sums_result(
        indicator,
        values=row["n_values"],
        partners=row["n_partners"],
        total=row.get("total"),
        num=row.get("num"),
        den=row.get("den"),
        vw=row.get("vw"),
        w=row.get("w"),
    )


def sums_result(indicator: Indicator, *, values: int, partners: int, total, num, den, vw, w):
    """The answer of a group of value rows from what they add up to: a rate from its summed
    numerator and denominator, a weighted average from its weighted sum and weights, any
    other kind from its total — never an average of averages."""
    if not values:
        return NO_DATA
    aggregation = indicator.aggregation
    if aggregation == Aggregation.RATE:
        num, den = _d(num), _d(den)
        value = _WIDE.divide(_WIDE.multiply(num, indicator.rate_per), den) if den else None
        den = _q(den)
        return Result(_q(value), _q(num), den, den, partners, values)
    if aggregation == Aggregation.WEIGHTED:
        n = _d(w)
        value = _WIDE.divide(_d(vw), n) if n else None
        return Result(_q(value), None, None, _q(n), partners, values)
    return Result(_q(total), None, None, None, partners, values)


def _measure(scope: _Scope, layout: Layout, by: str | None = None, bucket=None) -> dict:
    """Run the one grouping query: {group key: Result}, or {None: Result} without grouping."""
    if scope.kind in LATEST_IN_TIME and by != "period_id":
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
        return {None: result_of(scope.indicator, rows.aggregate(**measures))}
    return {
        row[by]: result_of(scope.indicator, row)
        for row in rows.values(by).annotate(**measures).order_by()
    }


def layout_for(indicator: Indicator, layout: Layout | None) -> Layout:
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
    layout = layout_for(indicator, layout)
    scope = _scope(
        indicator,
        layout,
        periods=periods,
        partners=partners,
        groups=groups,
        include_provisional=include_provisional,
    )
    return _measure(scope, layout).get(None, NO_DATA)


def axis_of(
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
    layout = layout_for(indicator, layout)
    items = [by] if isinstance(by, Dimension | Level) else list(by)
    axes = [axis_of(layout, indicator, item) for item in items]
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
    layout = layout_for(indicator, layout)
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
    layout = layout_for(indicator, layout)
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
