"""The engine's questions of many indicators at once, read from the roll-ups (`series_many`,
`cells_many`), and the grouping queries the roll-ups are written from (`value_sums`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)

from ..exact import ExactSum
from ..models import (
    ROLLUP_SUMS,
    DataValue,
    Dimension,
    Group,
    Indicator,
    Period,
    Rollup,
)
from .layout import APPROVED_ONLY, NO_DATA, WITH_PROVISIONAL, Layout, Level, Result
from .questions import axis_of, layout_for, numbers_present, sums_result

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
        return sums_result(
            indicator,
            values=self.values,
            partners=self.partners if partners is None else partners,
            total=self.total,
            num=self.num,
            den=self.den,
            vw=self.vw,
            w=self.w,
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
        present |= Q(indicator_id__in=ids) & numbers_present(kind)
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
    (indicator, partner, period, cell, initiative) index with long lists on its later
    columns — a plan that took seconds at a million values; it reads the (initiative,
    indicator, period) rows instead and keeps those whose pair is in the list, found by
    hashing."""

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
    statuses = WITH_PROVISIONAL if provisional else APPROVED_ONLY
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


def _of_pairs(pairs: Iterable[tuple[int, int]]) -> Q:
    """The rows of these (indicator id, period id) pairs: each indicator in its periods."""
    periods_of: dict[int, set[int]] = defaultdict(set)
    for indicator_id, period_id in pairs:
        periods_of[indicator_id].add(period_id)
    found = Q(pk__in=[])
    for indicator_id, period_ids in sorted(periods_of.items()):
        found |= Q(indicator_id=indicator_id, period_id__in=sorted(period_ids))
    return found


_ZERO = Decimal(0)


def _rollup_sums(row: tuple) -> _Sums:
    # The sums come as text (`with_exact_sums`): Decimal reads them digit for digit.
    return _Sums(
        row[3],
        row[4],
        *(_ZERO if value is None else Decimal(value) for value in row[5:10]),
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
    layout = layout_for(indicators[0], layout)
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
        dim_id, keys, mapping = axis_of(self.layout, indicator, by)
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
        row_dim, row_keys, row_map = axis_of(self.layout, indicator, rows)
        col_dim, col_keys, col_map = axis_of(self.layout, indicator, columns)
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
    pairs: Iterable[tuple[int, int]] | None = None,
) -> CellTable:
    """Every full cell of these indicators in these periods, in one read of the roll-ups
    (see CellTable); with `pairs` ((indicator id, period id)), of those pairs alone."""
    indicators = list(indicators)
    if not indicators:
        return CellTable(layout, [], {})
    layout = layout_for(indicators[0], layout)
    rows: dict = defaultdict(dict)
    if periods:
        found = _rollups(indicators, [p.pk for p in periods], include_provisional).filter(
            cell_id__isnull=False
        )
        if pairs is not None:
            found = found.filter(_of_pairs(pairs))
        if layout.total_cell is not None:
            found = found.exclude(cell_id=layout.total_cell)
        for row in found:
            rows[(row[0], row[1])][row[2]] = _rollup_sums(row)
    return CellTable(layout, indicators, dict(rows))
