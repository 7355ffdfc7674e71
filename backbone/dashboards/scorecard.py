"""The initiative scorecard: every goal with its indicators and, for each, the columns of a
results-based accountability scorecard (PRODUCT.md §5).

Every number comes from the aggregation engine, asked once for all indicators
(`series_many`, `cells_many`), so the scorecard costs the same few queries whether the
initiative tracks five indicators or fifty. Small numbers are hidden here, before any page,
chart or export sees them (`privacy`). A series break (`measurement.breaks`) bounds every
comparison: baseline, change, trend, forecast, needle-moving and gap movement use only the
periods of the current value's series.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from backbone.initiatives.models import Initiative
from backbone.measurement import aggregation as engine
from backbone.measurement import breaks as series
from backbone.measurement import privacy
from backbone.measurement import selectors as measurement
from backbone.measurement.models import (
    Cell,
    Dimension,
    Group,
    Indicator,
    Period,
    SeriesBreak,
    Target,
)
from backbone.measurement.privacy import disclosure
from backbone.permissions import can

from . import cache, equity, progress


@dataclass(eq=False)  # a point is itself: list.index() finds it without comparing periods
class Point:
    period: Period
    value: Decimal | None  # None: a gap, or hidden
    hidden: bool = False

    @property
    def provisional(self) -> bool:
        """Reports for an open period are still coming in."""
        return self.period.is_open


@dataclass
class DimensionGap:
    dimension: Dimension
    gap: equity.Gap | None  # in the current period
    movement: str | None  # against the prior period: closing, widening, steady


@dataclass
class ScorecardRow:
    """One indicator on the scorecard."""

    indicator: Indicator
    points: list[Point]  # every period of its frequency up to the latest value, oldest first
    current: Point | None = None
    prior: Point | None = None
    baseline: Target | None = None
    target: Target | None = None  # for the current period
    next_target: Target | None = None  # the first after the current period
    forecast: Decimal | None = None  # the baseline trend carried to the next period
    forecast_period: Period | None = None
    trend: progress.Trend | None = None
    change: progress.Change | None = None
    progress: Decimal | None = None
    variance: Decimal | None = None
    percent_of_target: Decimal | None = None
    needle_moving: bool = False
    gaps: list[DimensionGap] = field(default_factory=list)
    widest_gap: DimensionGap | None = None
    breaks: list[SeriesBreak] = field(default_factory=list)  # every break, oldest first
    # The break the current value's series starts at: nothing before it is compared with
    # anything after it (baseline, change, trend, forecast, needle-moving, gap movement).
    series_break: SeriesBreak | None = None

    @property
    def is_disaggregated(self) -> bool:
        return bool(self.indicator.ordered_dimensions)

    @property
    def prior_in_series(self) -> bool:
        return self.prior is not None and self.in_series(self.prior.period)

    def in_series(self, period: Period) -> bool:
        """Whether a period belongs to the current value's series: no break lies between
        them. Without a current value there is nothing to compare, and every period is."""
        if self.current is None or not self.breaks:
            return True
        return series.break_at_or_before(self.breaks, period.start) is self.series_break


@dataclass
class GoalRows:
    goal: object  # agenda Goal, or None for indicators tied to none
    rows: list[ScorecardRow]


@dataclass
class Scorecard:
    initiative: Initiative
    goals: list[GoalRows]
    shows_small_numbers: bool
    threshold: int
    # A scorecard for one place: its figures rolled up from the places inside it, for the
    # indicators broken down by place; `not_by_place` are the others, which it cannot show.
    place: Group | None = None
    not_by_place: list[Indicator] = field(default_factory=list)

    @property
    def rows(self) -> list[ScorecardRow]:
        return [row for goal in self.goals for row in goal.rows]

    @property
    def needle_moving(self) -> list[ScorecardRow]:
        return [row for row in self.rows if row.needle_moving]

    @property
    def not_disaggregated(self) -> list[ScorecardRow]:
        return [row for row in self.rows if not row.is_disaggregated]


def visible_indicators(person, initiative: Initiative, *, public_only: bool = False):
    """The indicators whose results `person` may see, with their dimensions, in order."""
    found = measurement.indicators_of(initiative)
    if public_only:
        return [i for i in found if i.visibility == Indicator.Visibility.PUBLIC]
    return [i for i in found if can(person, "indicator.results", initiative, i)]


def _targets(
    indicators: list[Indicator], place: Group | None = None
) -> dict[int, dict[str, list[Target]]]:
    """Baselines and targets of the total cell (or of the place's own cell: a place is never
    compared with the whole initiative's), by indicator and kind, in time order."""
    key = Cell.key_for([place.pk]) if place is not None else ""
    found: dict[int, dict[str, list[Target]]] = defaultdict(lambda: defaultdict(list))
    for t in (
        Target.objects.filter(indicator__in=indicators, cell__key=key)
        .select_related("period")
        .order_by("period__start", "pk")
    ):
        found[t.indicator_id][t.kind].append(t)
    return found


def _baseline(baselines: list[Target], current: Period | None) -> Target | None:
    """The latest baseline set at or before the current period, else the first one; the
    caller passes only the baselines of the current series."""
    if not baselines:
        return None
    if current is not None:
        before = [b for b in baselines if b.period.start <= current.start]
        if before:
            return before[-1]
    return baselines[0]


def scorecard(
    *, initiative: Initiative, person, public_only: bool = False, place: Group | None = None
) -> Scorecard:
    """The scorecard as `person` may see it; `public_only` gives the public scorecard (the
    indicators the backbone made public, small numbers hidden, whoever asks); `place` the
    scorecard of one place (a county, a neighbourhood) for the indicators broken down by it."""
    indicators = visible_indicators(person, initiative, public_only=public_only)
    not_by_place = []
    if place is not None:
        by_place = [
            i for i in indicators if place.dimension_id in {d.pk for d in i.ordered_dimensions}
        ]
        not_by_place = [i for i in indicators if i not in by_place]
        indicators = by_place
    shows_small = not public_only and privacy.sees_small_numbers(person, initiative)
    board = Board.read(initiative, indicators, shows_small=shows_small, place=place)
    sections = measurement.indicators_by_goal(initiative, indicators)
    goals = [GoalRows(s.goal, [board.rows[i.pk] for i in s.indicators]) for s in sections]
    return Scorecard(initiative, goals, shows_small, board.threshold, place, not_by_place)


def places_of(initiative: Initiative) -> list[tuple[Group, int]]:
    """Every place of the initiative's place dimensions with its depth, top first in each
    branch, for choosing a place's scorecard."""
    layout = engine.Layout(initiative.pk)
    found = []

    def walk(group_id: int) -> None:
        found.append((layout.groups[group_id], layout.depth(group_id)))
        for child in sorted(
            layout.children.get(group_id, ()),
            key=lambda g: (layout.groups[g].position, layout.groups[g].name),
        ):
            walk(child)

    for dimension in Dimension.objects.filter(initiative=initiative, is_geography=True):
        for top in layout.groups_of(dimension.pk):
            if top.parent_id is None:
                walk(top.pk)
    return found


@dataclass
class Board:
    """The scorecard rows of some indicators, and what was read to build them (which the
    indicator page reuses for its breakdowns): a fixed number of queries in all."""

    rows: dict[int, ScorecardRow]
    totals: dict[int, dict[int, engine.Result]]  # indicator → period → total, unhidden
    targets: dict[int, dict[str, list[Target]]]
    periods_of: dict[str, list[Period]]
    layout: engine.Layout
    version: str | None  # of the values the answers were cached under
    shows_small: bool
    threshold: int
    # (indicator, period) → what may be shown of it; empty for those who see small numbers
    disclosures: dict[tuple[int, int], disclosure.Disclosure] = field(default_factory=dict)
    place: Group | None = None  # a board of one place: its totals and breakdowns within it

    @classmethod
    def read(
        cls,
        initiative: Initiative,
        indicators: list[Indicator],
        *,
        shows_small: bool,
        until: date | None = None,
        place: Group | None = None,
    ):
        """The board over every period, or, with `until`, as it stood then: only periods
        that ended by that day count, so a report's "current" is its period's latest. With
        `place`, every total is the place's (see `_place_totals`)."""
        threshold = initiative.small_number_threshold
        periods_of = measurement.periods_by_kind(initiative)
        if until is not None:
            periods_of = {
                kind: kept
                for kind, found in periods_of.items()
                if (kept := [p for p in found if p.end <= until])
            }
        layout = engine.Layout(initiative.pk)
        all_periods = [p for ps in periods_of.values() for p in ps]
        version = cache.version_of(layout)
        totals = cache.series_many(indicators, periods=all_periods, layout=layout, version=version)
        breaks = series.breaks_by_indicator(indicators)
        board = cls(
            rows={},
            totals=totals,
            targets=_targets(indicators, place),
            periods_of=periods_of,
            layout=layout,
            version=version,
            shows_small=shows_small,
            threshold=threshold,
        )
        if not shows_small:
            board.disclosures = disclosure.decisions(
                layout,
                indicators,
                all_periods,
                threshold=threshold,
                version=version,
                totals=totals,
            )
        if place is not None:
            board.place = place
            board.totals = _place_totals(board, indicators, all_periods)
        board.rows = {
            ind.pk: _row(
                ind,
                periods_of.get(ind.frequency, []),
                board.totals.get(ind.pk, {}),
                board.total_hidden,
                breaks.get(ind.pk, []),
            )
            for ind in indicators
        }
        latest_two = {
            p.period.pk: p.period
            for row in board.rows.values()
            for p in (row.prior, row.current)
            if p is not None
        }
        table = cache.cells_many(
            indicators, periods=list(latest_two.values()), layout=layout, version=version
        )
        for row in board.rows.values():
            ind = row.indicator
            shown = [
                board.shown(ind, table, p.period)
                for p in (row.prior, row.current)
                if p and row.in_series(p.period)
            ]
            _fill(row, board.targets.get(ind.pk, {}), periods_of.get(ind.frequency, []))
            board.fill_gaps(row, shown)
        return board

    def total_hidden(self, indicator: Indicator, period: Period) -> bool:
        """Whether the period's total is hidden from this reader: small, or hidden so that
        a small figure cannot be worked out (the one decision every table shares)."""
        if self.shows_small:
            return False
        found = self.disclosures.get((indicator.pk, period.pk))
        if found is None:
            return False
        if self.place is not None:
            return self._hides(found, {self.place.dimension_id: self.place.pk})
        return found.hides(found.total)

    @staticmethod
    def _hides(decision: disclosure.Disclosure, slots: dict) -> bool:
        """Whether the figure choosing these slots (dimension id → group id, a place with
        the places inside it) is hidden."""
        return decision.hides(tuple(slots.get(d) for d in decision.dimensions))

    def shown(self, indicator: Indicator, table, period: Period, *, cross: bool = True) -> Shown:
        """Everything of one period the reader may see: the total, each dimension's groups
        and, for two or more dimensions and unless `cross` is false, the cross-tab of the
        first two, each figure as the period's one decision (`disclosure`) says."""
        if self.place is not None:
            return self._shown_in_place(indicator, table, period)
        total = self.totals.get(indicator.pk, {}).get(period.pk, engine.NO_DATA)
        dims = list(indicator.ordered_dimensions)
        breakdowns = {d.pk: table.breakdown(indicator, period, d) for d in dims}
        cells = {}
        if cross and len(dims) >= 2:
            cells = table.cross_tab(indicator, period, dims[0], dims[1])
        decision = None if self.shows_small else self.disclosures.get((indicator.pk, period.pk))

        def value(result: engine.Result, chosen: dict[int, int]):
            if decision is not None and decision.hides_figure(self.layout, chosen):
                return None
            return result.value

        found = Shown(total=value(total, {}))
        found.margins = {
            d.pk: {g: value(r, {d.pk: g.pk}) for g, r in breakdowns[d.pk].items()} for d in dims
        }
        if cells:
            first, second = dims[0].pk, dims[1].pk
            found.cells = {
                (r.pk, c.pk): value(v, {first: r.pk, second: c.pk}) for (r, c), v in cells.items()
            }
        return found

    def _shown_in_place(self, indicator: Indicator, table, period: Period) -> Shown:
        """One period of the board's place: its total, each other dimension's groups within
        it, and, for the place dimension, the places one level inside it."""
        place = self.place
        geo = place.dimension_id
        decision = None if self.shows_small else self.disclosures.get((indicator.pk, period.pk))

        def value(result: engine.Result, slots: dict):
            if decision is not None and self._hides(decision, slots):
                return None
            return result.value

        total = self.totals.get(indicator.pk, {}).get(period.pk, engine.NO_DATA)
        found = Shown(total=value(total, {geo: place.pk}))
        level = engine.Level(place.dimension, depth=self.layout.depth(place.pk))
        for d in indicator.ordered_dimensions:
            if d.pk == geo:
                inside = table.breakdown(indicator, period, engine.Level.below(place))
                found.margins[d.pk] = {g: value(r, {geo: g.pk}) for g, r in inside.items()}
                continue
            cross = table.cross_tab(indicator, period, level, d)
            found.margins[d.pk] = {
                g: value(r, {geo: place.pk, d.pk: g.pk})
                for (p, g), r in cross.items()
                if p.pk == place.pk
            }
        return found

    def fill_gaps(self, row: ScorecardRow, shown: list[Shown]) -> None:
        ind = row.indicator
        for dim in ind.ordered_dimensions:
            found = [equity.gap(s.margins[dim.pk], ind.direction) for s in shown]
            gap_now = found[-1] if found else None
            movement = equity.gap_movement(found) if len(found) > 1 else None
            row.gaps.append(DimensionGap(dim, gap_now, movement))
        widest = equity.widest({g.dimension.pk: g.gap for g in row.gaps})
        if widest is not None:
            row.widest_gap = next(g for g in row.gaps if g.dimension.pk == widest[0])


@dataclass
class Shown:
    """One period of one indicator as a reader sees it (None: hidden, or no data)."""

    total: Decimal | None
    margins: dict[int, dict] = field(default_factory=dict)  # dimension id → group → value
    cells: dict[tuple[int, int], Decimal | None] = field(default_factory=dict)


def _place_totals(board: Board, indicators: list[Indicator], periods: list[Period]) -> dict:
    """indicator → period → the board's place's figure: the full cells reported on the place
    or on the places inside it, summed over partners. A partner's total without cells has no
    place, so it is in the whole initiative's total only."""
    place = board.place
    table = cache.cells_many(
        indicators, periods=periods, layout=board.layout, version=board.version
    )
    level = engine.Level(place.dimension, depth=board.layout.depth(place.pk))
    found: dict[int, dict[int, engine.Result]] = {}
    for ind in indicators:
        if place.dimension_id not in board.layout.dimensions.get(ind.pk, ()):
            continue
        for period in periods:
            if (ind.pk, period.pk) not in table.rows:
                continue
            result = table.breakdown(ind, period, level).get(place, engine.NO_DATA)
            if not result.is_gap:
                found.setdefault(ind.pk, {})[period.pk] = result
    return found


def _row(
    ind: Indicator, periods: list[Period], found: dict, hidden, breaks: list[SeriesBreak]
) -> ScorecardRow:
    """The indicator's points, each hidden where `hidden(indicator, period)` says."""
    points = []
    for period in periods:
        result = found.get(period.pk, engine.NO_DATA)
        secret = not result.is_gap and hidden(ind, period)
        points.append(Point(period, None if secret else result.value, secret))
    reported = [i for i, p in enumerate(points) if p.value is not None or p.hidden]
    points = points[: reported[-1] + 1] if reported else []
    row = ScorecardRow(indicator=ind, points=points, breaks=breaks)
    # The current value is the latest of a closed period: an open period's sums still grow as
    # reports come in. Only where no closed period has a value is an open one current.
    shown = [p for p in points if p.value is not None]
    settled = [p for p in shown if not p.provisional] or shown
    if settled:
        row.current = settled[-1]
        before = [p for p in settled if p.period.start < row.current.period.start]
        row.prior = before[-1] if before else None
        row.series_break = series.break_at_or_before(breaks, row.current.period.start)
    return row


def _fill(row: ScorecardRow, targets: dict[str, list[Target]], periods: list[Period]) -> None:
    ind, current = row.indicator, row.current
    baselines = [t for t in targets.get(Target.Kind.BASELINE, []) if row.in_series(t.period)]
    row.baseline = _baseline(baselines, current and current.period)
    if current is None:
        return
    now = current.value
    for t in targets.get(Target.Kind.TARGET, []):
        if t.period.pk == current.period.pk:
            row.target = t
        elif t.period.start > current.period.start and row.next_target is None:
            row.next_target = t
    baseline = row.baseline.value if row.baseline else None
    target = row.target or row.next_target
    upto = row.points.index(current) + 1
    row.trend = progress.trend(
        [p.value for p in row.points[:upto] if row.in_series(p.period)], ind.direction
    )
    row.change = progress.change_since_baseline(
        current=now, baseline=baseline, direction=ind.direction
    )
    row.progress = progress.progress_to_target(
        current=now,
        baseline=baseline,
        target=target.value if target else None,
        direction=ind.direction,
    )
    if row.target is not None:
        row.variance = progress.variance_from_target(current=now, target=row.target.value)
        row.percent_of_target = progress.percent_of_target(
            current=now, target=row.target.value, direction=ind.direction
        )
    # An open period's figure is still growing: it is never called needle-moving.
    row.needle_moving = not current.provisional and progress.is_needle_moving(
        kind=ind.kind, current=now, baseline=baseline, direction=ind.direction
    )
    row.forecast, row.forecast_period = forecast_next(row, periods)


def trend_points(row: ScorecardRow) -> list[tuple[int, Decimal]]:
    """(position, value) of the shown values from the baseline period on, within the current
    series: the baseline trend."""
    start = row.baseline.period.start if row.baseline else None
    return [
        (i, p.value)
        for i, p in enumerate(row.points)
        if p.value is not None
        and (start is None or p.period.start >= start)
        and row.in_series(p.period)
    ]


def forecast_next(row: ScorecardRow, periods: list[Period]) -> tuple[Decimal | None, Period | None]:
    """The baseline trend's value in the period after the current one (if it exists)."""
    if row.current is None:
        return None, None
    position = row.points.index(row.current) + 1
    after = periods[position] if position < len(periods) else None
    if after is not None and not row.in_series(after):
        return None, None  # the next period starts a new series: nothing to carry over
    points = [(i, v) for i, v in trend_points(row) if i < position]
    return progress.forecast(points, position), after
