"""A partner's own page: what it gets back for reporting.

Four sections, each for the readers the rules let see it:

- its contribution: for each indicator it reports, its own value in the latest closed period
  it has approved values for (an open one only where none is closed, as the scorecard
  chooses), beside the initiative's figure for that period and, where a share means
  something (counts and sums), its share of it. Its own values are for those who may read
  the partner's data (`values.view_partner`); the initiative's figure is the one the
  dashboards' `Board` publishes for the reader, so a figure hidden there is hidden here, and
  no share is shown where it would give a hidden figure away (share × total, or own ÷ share);
- its performance measures (how much, how well, is anyone better off) as a programme
  scorecard: its latest value, the one before and the trend, within one series;
- what it owes per period, from the completeness app;
- its activities and commitments.

Everything is read in a fixed number of queries, whatever the number of indicators and
periods: the partner's own values come from one grouping over its value rows (the engine's
`value_sums`, the grouping the roll-ups are written from, kept to this partner), the
initiative's figures from one `Board`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy

from backbone.activities.models import Activity
from backbone.advocacy.selectors import commitments_of
from backbone.dashboards.progress import Trend, trend
from backbone.dashboards.scorecard import Board
from backbone.initiatives.models import Initiative, Partner
from backbone.measurement import aggregation as engine
from backbone.measurement import breaks as series
from backbone.measurement import privacy
from backbone.measurement import selectors as measurement
from backbone.measurement.aggregation.questions import result_of
from backbone.measurement.completeness import selectors as completeness
from backbone.measurement.models import Aggregation, Indicator, Period, SeriesBreak
from backbone.permissions import can

QUESTIONS = (
    (Indicator.Kind.HOW_MUCH, gettext_lazy("How much did we do?")),
    (Indicator.Kind.HOW_WELL, gettext_lazy("How well did we do it?")),
    (Indicator.Kind.BETTER_OFF, gettext_lazy("Is anyone better off?")),
)
# A part of a whole: values that add up across partners, in a unit that adds up.
SHARE_AGGREGATIONS = {Aggregation.SUM, Aggregation.STOCK, Aggregation.CUMULATIVE}
SHARE_UNITS = {Indicator.Unit.COUNT, Indicator.Unit.CURRENCY}
_SUMMED = ("total", "num", "den", "vw", "w")
PERIODS_LISTED = 6  # of what it owes: a year of months runs on the completeness page


@dataclass(frozen=True)
class Figure:
    """A number as this reader may see it. Hidden figures carry no value, so no template
    can print one by mistake; `value` None and not hidden is a gap."""

    value: Decimal | None
    hidden: bool = False


@dataclass(frozen=True)
class Contribution:
    """One indicator: the partner's value in its latest reported period, the initiative's."""

    indicator: Indicator
    period: Period
    own: Figure
    overall: Figure | None  # None: the reader may not see the indicator's results
    share: Decimal | None  # of the initiative's figure, 0…1; None where not shown

    @property
    def is_part_of_whole(self) -> bool:
        """Counts and sums are parts of the initiative's figure; rates and averages are
        compared side by side."""
        return is_part_of_whole(self.indicator)


@dataclass(frozen=True)
class Point:
    period: Period
    figure: Figure


@dataclass(frozen=True)
class Measure:
    """One performance measure on the partner's programme scorecard."""

    indicator: Indicator
    latest: Point
    prior: Point | None
    trend: Trend | None  # within the latest value's series, over the values shown
    breaks: list[SeriesBreak] = field(default_factory=list)

    @property
    def series_break(self) -> SeriesBreak | None:
        """The break the latest value's series starts at."""
        return series.break_at_or_before(self.breaks, self.latest.period.start)

    @property
    def prior_in_series(self) -> bool:
        return self.prior is not None and (
            series.break_at_or_before(self.breaks, self.prior.period.start) is self.series_break
        )


@dataclass(frozen=True)
class Question:
    kind: str
    title: str
    measures: list[Measure]


@dataclass(frozen=True)
class Owed:
    """What the partner owes: its figures over every period open or past its due date, and
    those of the latest periods (newest first); the completeness page lists the rest."""

    figures: completeness.Figures
    periods: list[tuple[Period, completeness.Figures]]
    more_periods: int  # periods with reports owed beyond those listed
    expects_reports: bool  # an active partner; a paused or withdrawn one owes nothing


@dataclass
class PartnerPage:
    """The sections of a partner's page; a section the reader may not see is None."""

    contributions: list[Contribution] | None = None
    questions: list[Question] | None = None
    owed: Owed | None = None
    activities: list[Activity] | None = None
    commitments: list | None = None
    may_report: bool = False
    shows_small: bool = False
    threshold: int = 0
    hidden_any: bool = False  # some figure is hidden: the page says why


def is_part_of_whole(indicator: Indicator) -> bool:
    return indicator.aggregation in SHARE_AGGREGATIONS and indicator.unit in SHARE_UNITS


def partner_series(
    indicators: Sequence[Indicator],
    *,
    partner: Partner,
    periods: Sequence[Period],
    layout: engine.Layout,
) -> dict[int, dict[int, engine.Result]]:
    """indicator id → period id → the partner's own approved value in that period alone, as
    `engine.series(indicator, periods=…, partners=[partner])` answers it, for every
    indicator in two queries. Periods without a value are left out."""
    indicators = list(indicators)
    if not indicators or not periods:
        return {}
    sums: dict[tuple[int, int], dict] = {}
    parts = engine.value_sums(
        indicators, period_ids=[p.pk for p in periods], provisional=False, layout=layout
    )
    for kind, rows in parts:
        if kind == "cells":  # the same rows again, by cell: not needed for totals
            continue
        for row in rows.filter(partner_id=partner.pk):
            key = (row["indicator_id"], row["period_id"])
            found = sums.setdefault(
                key, {"n_values": 0, "n_partners": 1, **{k: Decimal(0) for k in _SUMMED}}
            )
            found["n_values"] += row["n_values"]
            for name in _SUMMED:
                if row[name] is not None:
                    found[name] += Decimal(str(row[name]))
    by_pk = {i.pk: i for i in indicators}
    answers: dict[int, dict[int, engine.Result]] = defaultdict(dict)
    for (ind_id, period_id), row in sums.items():
        answers[ind_id][period_id] = result_of(by_pk[ind_id], row)
    return dict(answers)


def _own(indicator: Indicator, result: engine.Result, *, shows_small: bool, threshold: int):
    """The partner's own value, hidden from readers without the small-numbers right where it
    comes from fewer people than the threshold (as the indicator page's partners' values)."""
    if not shows_small and privacy.is_small(indicator, result, threshold=threshold):
        return Figure(None, hidden=True)
    return Figure(result.value)


def _overall(board: Board, indicator: Indicator, period: Period) -> Figure:
    """The initiative's figure for the period as the Board publishes it to this reader."""
    result = board.totals.get(indicator.pk, {}).get(period.pk, engine.NO_DATA)
    if not result.is_gap and board.total_hidden(indicator, period):
        return Figure(None, hidden=True)
    return Figure(result.value)


def share_of(indicator: Indicator, own: Figure, overall: Figure | None) -> Decimal | None:
    """The partner's share of the initiative's figure, only where both are shown (a share
    beside one of them gives the other away) and the indicator adds up across partners."""
    if not is_part_of_whole(indicator) or overall is None:
        return None
    if own.hidden or overall.hidden or own.value is None or overall.value is None:
        return None
    if overall.value <= 0 or own.value < 0 or own.value > overall.value:
        return None
    return (own.value / overall.value).quantize(Decimal("0.0001"))


def _reported(
    indicators: list[Indicator],
    periods_of: dict[str, list[Period]],
    own: dict[int, dict[int, engine.Result]],
) -> list[tuple[Indicator, list[Period]]]:
    """Each indicator the partner has approved values for, with the periods it has them for,
    oldest first."""
    found = []
    for ind in indicators:
        values = own.get(ind.pk, {})
        periods = [p for p in periods_of.get(ind.frequency, []) if p.pk in values]
        if periods:
            found.append((ind, periods))
    return found


def _settled(periods: list[Period]) -> list[Period]:
    """The periods whose figures have stopped moving: the closed ones, as the scorecard
    chooses its current value (an open period's figure of all partners still grows as
    reports come in, so a share of it would mislead). Only where none is closed, the open
    ones."""
    return [p for p in periods if not p.is_open] or periods


def _measure(
    ind: Indicator,
    periods: list[Period],
    own: dict[int, engine.Result],
    breaks: list[SeriesBreak],
    *,
    shows_small: bool,
    threshold: int,
) -> Measure:
    points = [
        Point(p, _own(ind, own[p.pk], shows_small=shows_small, threshold=threshold))
        for p in periods
    ]
    latest = points[-1]
    prior = points[-2] if len(points) > 1 else None
    current_break = series.break_at_or_before(breaks, latest.period.start)
    found = None
    if not latest.figure.hidden:
        # Only values shown, and only within the latest value's series: a trend drawn to a
        # hidden value would say which way it lies.
        within = [
            p.figure.value
            for p in points
            if not p.figure.hidden
            and series.break_at_or_before(breaks, p.period.start) is current_break
        ]
        found = trend(within, ind.direction)
    return Measure(ind, latest, prior, found, breaks)


def _owed(initiative: Initiative, partner: Partner) -> Owed:
    found = completeness.completeness(initiative=initiative, partner=partner)
    owed = found.by_period_reports()
    periods = []
    for period, reports in owed[:PERIODS_LISTED]:
        figures = completeness.Figures()
        for report in reports:
            figures.add(report)
        periods.append((period, figures))
    return Owed(
        figures=found.by_partner.get(partner.pk, completeness.Figures()),
        periods=periods,
        more_periods=max(len(owed) - PERIODS_LISTED, 0),
        expects_reports=partner.status == "active",
    )


def _activities(partner: Partner) -> list[Activity]:
    return list(
        Activity.objects.filter(initiative_id=partner.initiative_id, partner=partner)
        .prefetch_related("strategies")
        .order_by("-starts_on", "name", "id")
    )


def partner_page(*, initiative: Initiative, partner: Partner, person) -> PartnerPage:
    """The partner's page as `person` may see it."""
    page = PartnerPage(threshold=initiative.small_number_threshold)
    if can(person, "values.view_partner", initiative, partner):
        _fill_measurement(page, initiative, partner, person)
    if can(person, "completeness.view_partner", initiative, partner):
        page.owed = _owed(initiative, partner)
        page.may_report = can(person, "values.submit", initiative, partner)
    if can(person, "activities.view", initiative):
        page.activities = _activities(partner)
    if can(person, "commitments.view", initiative):
        page.commitments = list(commitments_of(partner=partner))
    return page


def _fill_measurement(page: PartnerPage, initiative, partner, person) -> None:
    """Sections one and two: the partner's values against the initiative's, and its
    performance measures."""
    shows_small = page.shows_small = privacy.sees_small_numbers(person, initiative)
    indicators = measurement.indicators_of(initiative)
    # The scorecard's own board over every indicator the reader may see: its figures are the
    # scorecard's, and so are the answers it keeps in the cache.
    results_shown = [i for i in indicators if can(person, "indicator.results", initiative, i)]
    board = Board.read(initiative, results_shown, shows_small=shows_small)
    all_periods = [p for found in board.periods_of.values() for p in found]
    own = partner_series(indicators, partner=partner, periods=all_periods, layout=board.layout)
    reported = _reported(indicators, board.periods_of, own)
    breaks = {pk: row.breaks for pk, row in board.rows.items()}
    breaks |= series.breaks_by_indicator([i for i, _ in reported if i.pk not in board.rows])
    kw = {"shows_small": shows_small, "threshold": page.threshold}
    page.contributions, measures = [], defaultdict(list)
    for ind, periods in reported:
        periods = _settled(periods)
        latest = periods[-1]
        mine = _own(ind, own[ind.pk][latest.pk], **kw)
        overall = _overall(board, ind, latest) if ind.pk in board.rows else None
        page.contributions.append(
            Contribution(ind, latest, mine, overall, share_of(ind, mine, overall))
        )
        if ind.kind != Indicator.Kind.POPULATION:
            found = _measure(ind, periods, own[ind.pk], breaks.get(ind.pk, []), **kw)
            measures[ind.kind].append(found)
    page.questions = [Question(kind, title, measures[kind]) for kind, title in QUESTIONS]
    page.hidden_any = any(
        c.own.hidden or (c.overall is not None and c.overall.hidden) for c in page.contributions
    )
