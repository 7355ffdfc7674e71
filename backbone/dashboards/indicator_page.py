"""One indicator's page: its turn-the-curve chart, breakdowns by any dimension or cross-tab and
by partner, equity gaps over time, its value history and the story behind the curve.

Everything is read for this one indicator in a fixed number of queries, through the same
`Board` as the scorecard, so a figure here is the figure there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.core.paginator import Page, Paginator

from backbone.initiatives.models import Initiative, Partner
from backbone.measurement import aggregation as engine
from backbone.measurement import missing, privacy
from backbone.measurement import selectors as measurement
from backbone.measurement.models import (
    DataValue,
    Dimension,
    Group,
    Indicator,
    Period,
    Submission,
    Target,
)
from backbone.permissions import can

from . import cache, charts, equity, tables
from .models import Story
from .scorecard import Board, ScorecardRow


@dataclass
class GapOverTime:
    dimension: Dimension
    gaps: list[tuple[Period, equity.Gap | None]]
    movement: str | None  # the latest gap against the one before


@dataclass
class StoryOfPeriod:
    period: Period
    stories: list[Story] = field(default_factory=list)
    narratives: list[Submission] = field(default_factory=list)  # said when reporting


@dataclass(kw_only=True)
class ChosenTables:
    """One period's breakdowns as the reader chose them: each dimension's axis (a place
    dimension at a level) and the two axes of the cross-tab, every figure as disclosed.
    `levels` are each place dimension's levels to choose from."""

    row: ScorecardRow
    period: Period | None  # the period the breakdowns show
    breakdowns: list[tuple[Dimension, dict[Group, Decimal | None]]]
    cross_tab: tables.Table | None
    axes: dict[int, tables.Axis] = field(default_factory=dict)
    cross_axes: list[tables.Axis] = field(default_factory=list)
    levels: dict[int, list[tables.Level]] = field(default_factory=dict)
    margins: dict[int, tables.Table] = field(default_factory=dict)  # each dimension's table

    def axis_options(self, dimension: Dimension) -> list[tuple[str, str]]:
        """(spec, label) of every axis of one dimension: as reported, then each level."""
        found = [(dimension.key, f"{dimension.name}, as reported")]
        for level in self.levels.get(dimension.pk, []):
            found.append((f"{dimension.key}:{level.depth}", f"{dimension.name}: {level.label}"))
        return found

    @property
    def level_choices(self) -> list[tuple[Dimension, str, list[tuple[str, str]]]]:
        """Each place dimension, its chosen axis and its options, for the level chooser."""
        dims = self.row.indicator.ordered_dimensions
        return [
            (d, self.axes[d.pk].spec, self.axis_options(d)) for d in dims if d.pk in self.levels
        ]

    @property
    def cross_choices(self) -> list[tuple[str, str]]:
        return [o for d in self.row.indicator.ordered_dimensions for o in self.axis_options(d)]

    @property
    def cross_specs(self) -> list[str]:
        return [axis.spec for axis in self.cross_axes]

    @property
    def breakdowns_with_axes(self) -> list[tuple[Dimension, tables.Axis, dict]]:
        return [(d, self.axes[d.pk], groups) for d, groups in self.breakdowns]

    def breakdown_hidden(self, dimension: Dimension, group: Group) -> bool:
        found = self.margins.get(dimension.pk)
        return found is not None and found.is_hidden(group.pk)


@dataclass(kw_only=True)
class IndicatorPage(ChosenTables):
    chart: dict
    by_partner: list[tuple[Partner, Decimal | None]]
    blank_by_partner: list[tuple[Partner, str]]  # partners without a value who said why
    # The page of both lists the page shows: (partner, value, why blank), a network's
    # thousands of partners PARTNERS_PER_PAGE at a time.
    partners: Page | None = None
    gaps_over_time: list[GapOverTime]
    stories: list[StoryOfPeriod]
    targets: list[Target]
    shows_small: bool
    threshold: int
    curve: dict = field(default_factory=dict)  # the chart's data in exact decimals


PARTNERS_PER_PAGE = 50


def indicator_page(
    *,
    initiative: Initiative,
    indicator: Indicator,
    person,
    period: Period | None = None,
    level: list[str] = (),
    cross: list[str] = (),
    partners_page: int | str | None = 1,
) -> IndicatorPage:
    """`level` holds a place dimension's level for its breakdown (`place:1`), `cross` the two
    axes of the cross-tab (`place:1`, `race`); by default every dimension is shown as
    reported and the cross-tab is of the first two. An axis the indicator does not have
    raises `tables.UnknownAxis`. `partners_page` is the page of the partners' own values
    (past the last, the last page; not a number, the first)."""
    indicator = _with_dimensions(initiative, indicator)
    shows_small = privacy.sees_small_numbers(person, initiative)
    board = Board.read(initiative, [indicator], shows_small=shows_small)
    chosen, table = _chosen(board, indicator, period, level, cross)
    row, period = chosen.row, chosen.period
    periods = board.periods_of.get(indicator.frequency, [])
    shown_periods = [p.period for p in row.points]
    targets = board.targets.get(indicator.pk, {}).get(Target.Kind.TARGET, [])
    # the gaps over time need each period's groups, not its cross-tab
    seen = {p.pk: board.shown(indicator, table, p, cross=False) for p in shown_periods}
    gaps = []
    for dim in indicator.ordered_dimensions:
        found = [
            (p, equity.gap(seen[p.pk].margins[dim.pk], indicator.direction)) for p in shown_periods
        ]
        # the movement compares the latest two gaps of the current series, never across a break
        movement = equity.gap_movement([g for p, g in found if row.in_series(p)])
        gaps.append(GapOverTime(dim, found, movement))

    by_partner, blank_by_partner = _by_partner(board, initiative, indicator, period, person)
    partner_rows = [(p, v, None) for p, v in by_partner] + [
        (p, None, why) for p, why in blank_by_partner
    ]
    curve = charts.turn_the_curve(row, periods, targets)
    return IndicatorPage(
        **{f.name: getattr(chosen, f.name) for f in fields(ChosenTables)},
        chart=charts.chart_json(curve),
        curve=curve,
        by_partner=by_partner,
        blank_by_partner=blank_by_partner,
        partners=Paginator(partner_rows, PARTNERS_PER_PAGE).get_page(partners_page),
        gaps_over_time=gaps,
        stories=_stories(initiative, indicator, person, shown_periods),
        targets=targets,
        shows_small=shows_small,
        threshold=board.threshold,
    )


def indicator_tables(
    *,
    initiative: Initiative,
    indicator: Indicator,
    person,
    period: Period | None = None,
    level: list[str] = (),
    cross: list[str] = (),
) -> ChosenTables:
    """The indicator page's breakdown tables alone, as `indicator_page` chooses them, for the
    CSV and the API: none of the page's chart, partners or stories is read."""
    indicator = _with_dimensions(initiative, indicator)
    shows_small = privacy.sees_small_numbers(person, initiative)
    board = Board.read(initiative, [indicator], shows_small=shows_small)
    return _chosen(board, indicator, period, level, cross)[0]


def _with_dimensions(initiative: Initiative, indicator: Indicator) -> Indicator:
    if hasattr(indicator, "ordered_dimensions"):
        return indicator
    return measurement.indicator_in(initiative, indicator.code)  # with its dimensions, in order


def _chosen(
    board: Board, indicator: Indicator, period: Period | None, level, cross
) -> tuple[ChosenTables, engine.CellTable]:
    """The chosen tables of the period asked (else the current one), and the cells of every
    shown period they were cut from."""
    row = board.rows[indicator.pk]
    shown_periods = [p.period for p in row.points]
    if period is None or period.pk not in {p.pk for p in shown_periods}:
        period = row.current.period if row.current else None
    table = cache.cells_many(
        [indicator], periods=shown_periods, layout=board.layout, version=board.version
    )
    dims = list(indicator.ordered_dimensions)
    axes = {d.pk: tables.Axis(d) for d in dims}
    for spec in level:
        axis = tables.parse_axis(spec, indicator, board.layout)
        axes[axis.dimension.pk] = axis
    if cross:
        cross_axes = [tables.parse_axis(spec, indicator, board.layout) for spec in cross]
        if len(cross_axes) != 2:
            raise tables.UnknownAxis("A cross-tab is of two dimensions.")
    else:
        cross_axes = [axes[d.pk] for d in dims[:2]]
    breakdowns, cross_tab, margins = [], None, {}
    if period is not None:
        for d in dims:
            margins[d.pk] = one = tables.table(board, indicator, table, period, [axes[d.pk]])
            breakdowns.append((d, {g: one.row_totals[g.pk] for g in one.rows}))
        if len(cross_axes) == 2:
            cross_tab = tables.table(board, indicator, table, period, cross_axes)
    chosen = ChosenTables(
        row=row,
        period=period,
        breakdowns=breakdowns,
        cross_tab=cross_tab,
        axes=axes,
        cross_axes=cross_axes,
        margins=margins,
        levels={d.pk: found for d in dims if (found := tables.levels(board.layout, d))},
    )
    return chosen, table


def _by_partner(board, initiative, indicator, period, person) -> tuple[list, list]:
    """Each partner's own value in the period, for those who may read partners' values:
    every partner for the backbone and evaluators, their own for partners, none for others.
    Then the partners without a value that said why, with their reasons."""
    if period is None:
        return [], []
    results = engine.by_partner(indicator, periods=[period], layout=board.layout)
    reasons = missing.reasons_by_partner(indicator, periods=[period])
    found, blank = [], []
    for partner, result in results.items():
        if result.is_gap and partner.pk not in reasons:
            continue
        if not can(person, "results.by_partner", initiative, partner):
            continue
        if result.is_gap:
            blank.append((partner, reasons[partner.pk]))
            continue
        small = privacy.is_small(indicator, result, threshold=board.threshold)
        found.append((partner, None if small and not board.shows_small else result.value))
    return found, blank


def _stories(initiative, indicator, person, periods: list[Period]) -> list[StoryOfPeriod]:
    """Stories and reporting narratives by period, newest first. Partners' narratives are
    their own words about their own data: shown to those who may read that partner's values."""
    by_period = {p.pk: StoryOfPeriod(p) for p in reversed(periods)}
    for story in (
        Story.objects.filter(indicator=indicator, period__in=periods)
        .select_related("partner__organisation", "updated_by")
        .order_by("partner_id")
    ):
        by_period[story.period_id].stories.append(story)
    submissions = (
        Submission.objects.filter(
            initiative=initiative, values__indicator=indicator, values__period__in=periods
        )
        .exclude(narrative="")
        .select_related("partner__organisation")
        .distinct()
    )
    period_of = dict(
        DataValue.objects.filter(submission__in=submissions, indicator=indicator).values_list(
            "submission_id", "period_id"
        )
    )
    for submission in submissions:
        if not can(person, "values.view_partner", initiative, submission.partner):
            continue
        period_id = period_of.get(submission.pk)
        if period_id in by_period:
            by_period[period_id].narratives.append(submission)
    return [s for s in by_period.values() if s.stories or s.narratives]
