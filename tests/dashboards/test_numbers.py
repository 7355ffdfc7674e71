"""Every figure of the scorecard and the indicator page, recomputed independently from the raw
stored value rows with pandas and numpy (never through the engine or the dashboards), and the
small-number rules checked as a reader would attack them: with linear algebra over what is shown.

The data is generated and read back by `Reference` (see conftest.py): four partners, six months
(the last one open), a rate by race × area, a count by area, a weighted score by race and a rate
without dimensions."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from backbone.dashboards.indicator_page import indicator_page
from backbone.dashboards.scorecard import scorecard
from backbone.measurement.models import Target
from backbone.measurement.selectors import indicator_in
from tests.measurement.conftest import make_indicator
from tests.measurement.engine.conftest import row as reported
from tests.measurement.engine.conftest import submit

from .conftest import Reference, q

pytestmark = pytest.mark.integration

TOTAL = "total"
D = Decimal


# --- expected figures: the reference values through the rules of the scorecard -----------


def expected_gap(values: dict[int, Decimal], direction: str, ref: Reference):
    """(best, worst, best value, worst value, difference, ratio) among the groups with a
    value; ties go to the group listed first."""
    if len(values) < 2:
        return None
    listed = sorted(values, key=ref.order)
    best_v = max(values.values()) if direction == "up" else min(values.values())
    worst_v = min(values.values()) if direction == "up" else max(values.values())
    best = next(g for g in listed if values[g] == best_v)
    worst = next(g for g in listed if values[g] == worst_v)
    high, low = max(best_v, worst_v), min(best_v, worst_v)
    return (best, worst, best_v, worst_v, q(high - low), q(high / low) if low > 0 else None)


def movement(gaps: list) -> str | None:
    known = [g for g in gaps if g is not None]
    if len(known) < 2:
        return None
    before, now = known[-2][4], known[-1][4]
    return "closing" if now < before else "widening" if now > before else "steady"


def expected_row(ref: Reference, ind, months, *, shows_small: bool, breaks=()) -> dict:
    """The scorecard row's figures as the docstrings define them, from the reference totals
    and the stored targets of the total cell. The forecast is numpy's least-squares line.
    `breaks` are the first days of new series: baseline, change, trend and forecast use only
    the periods of the current value's series."""
    totals = ref.totals(ind)
    points = []
    for p in months:
        value, people = totals.get(p.pk, (None, None))
        hidden = value is not None and not shows_small and ref.small(people)
        points.append((p.code, None if hidden else value, hidden))
    while points and points[-1][1] is None and not points[-1][2]:
        points.pop()
    shown = [i for i, point in enumerate(points) if point[1] is not None]
    settled = [i for i in shown if months[i].status == "closed"] or shown
    stored = Target.objects.filter(indicator=ind, cell__key="").order_by("period__start")
    stored = list(stored.values("kind", "period__code", "period__start", "value"))
    baselines = [t for t in stored if t["kind"] == "baseline"]
    out = dict.fromkeys(["current", "prior", "target", "next_target", "trend", "change"])
    out |= dict.fromkeys(["progress", "variance", "percent_of_target", "forecast"])
    out |= {"points": points, "needle_moving": False, "forecast_period": None}
    cur = settled[-1] if settled else None
    start = months[cur].start if cur is not None else None
    since = max((d for d in breaks if start and d <= start), default=None)
    until = min((d for d in breaks if start and d > start), default=None)

    def in_series(day) -> bool:
        return (since is None or day >= since) and (until is None or day < until)

    baselines = [b for b in baselines if in_series(b["period__start"])]
    before = [b for b in baselines if start and b["period__start"] <= start]
    base = before[-1] if before else baselines[0] if baselines else None
    out["baseline"] = base and (base["period__code"], base["value"])
    if cur is None:
        return out
    now, b = points[cur][1], base and base["value"]
    goals = [t for t in stored if t["kind"] == "target"]
    target = next((t for t in goals if t["period__code"] == months[cur].code), None)
    upcoming = next((t for t in goals if t["period__start"] > start), None)
    out["current"] = (months[cur].code, now)
    out["prior"] = (months[settled[-2]].code, points[settled[-2]][1]) if len(settled) > 1 else None
    out["target"] = target and (target["period__code"], target["value"])
    out["next_target"] = upcoming and (upcoming["period__code"], upcoming["value"])

    def better(step):
        return None if step == 0 else (step > 0) == (ind.direction == "up")

    values = [
        v
        for i, (_, v, _) in enumerate(points[: cur + 1])
        if v is not None and in_series(months[i].start)
    ]
    signs = [(y > x) - (y < x) for x, y in zip(values, values[1:], strict=False)]
    if signs:
        held = next((k for k, s in enumerate(reversed(signs)) if s != signs[-1]), len(signs))
        way = {1: "up", -1: "down", 0: "flat"}[signs[-1]]
        out["trend"] = (way, held, better(values[-1] - values[-2]))
    if b is not None:
        diff = now - b
        relative = q(diff / abs(b)) if b else None
        out["change"] = (q(diff), relative, better(diff))
        out["needle_moving"] = bool(
            ind.kind == "population" and relative is not None and better(diff)
        ) and abs(relative) >= Decimal("0.1")
        aim = (target or upcoming or {}).get("value")
        # A target on the worse side of the baseline leaves no distance to cover.
        covers = aim is not None and better(aim - b)
        out["progress"] = q(diff / (aim - b)) if covers else None
    if target is not None:
        out["variance"] = q(now - target["value"])
        achieved, aim = (now, target["value"])[:: 1 if ind.direction == "up" else -1]
        out["percent_of_target"] = q(achieved * 100 / aim) if aim else None
    xs = [
        i
        for i in shown
        if i <= cur
        and (not base or months[i].start >= base["period__start"])
        and in_series(months[i].start)
    ]
    if cur + 1 < len(months) and not in_series(months[cur + 1].start):
        return out  # the next period starts a new series: no forecast into it
    if len(xs) >= 2:
        slope, intercept = np.polyfit(xs, [float(points[i][1]) for i in xs], 1)
        out["forecast"] = slope * (cur + 1) + intercept
    out["forecast_period"] = months[cur + 1].code if cur + 1 < len(months) else None
    return out


def gap_tuple(gap):
    if gap is None:
        return None
    return (gap.best.pk, gap.worst.pk, gap.best_value, gap.worst_value, gap.difference, gap.ratio)


def figures(row) -> dict:
    """The same figures read off a ScorecardRow."""

    def target(t):
        return t and (t.period.code, t.value)

    trend, change = row.trend, row.change
    return {
        "points": [(p.period.code, p.value, p.hidden) for p in row.points],
        "current": row.current and (row.current.period.code, row.current.value),
        "prior": row.prior and (row.prior.period.code, row.prior.value),
        "baseline": target(row.baseline),
        "target": target(row.target),
        "next_target": target(row.next_target),
        "trend": trend and (trend.direction, trend.periods, trend.better),
        "change": change and (change.difference, change.relative, change.better),
        "progress": row.progress,
        "variance": row.variance,
        "percent_of_target": row.percent_of_target,
        "needle_moving": row.needle_moving,
        "forecast": row.forecast,
        "forecast_period": row.forecast_period and row.forecast_period.code,
    }


def assert_same_figures(row, expected: dict) -> None:
    found = figures(row)
    forecast, wanted = found.pop("forecast"), expected.pop("forecast")
    assert found == expected, row.indicator.code
    # numpy fits in binary floating point, the scorecard in decimals: equal to 1e-6.
    assert (forecast is None) == (wanted is None)
    assert wanted is None or float(forecast) == pytest.approx(wanted, abs=1e-6)


def determined(relations: list[tuple], hidden: set) -> set:
    """The hidden figures a reader can work out from the shown ones through `total = Σ parts`
    relations: x_i is determined iff appending e_i to the relation matrix restricted to the
    hidden unknowns does not raise its rank."""
    columns = sorted(hidden, key=repr)
    index = {key: i for i, key in enumerate(columns)}
    rows = []
    for total, parts in relations:
        row = np.zeros(len(columns))
        for key, sign in ((total, 1), *((p, -1) for p in parts)):
            if key in index:
                row[index[key]] += sign
        rows.append(row)
    matrix = np.array(rows).reshape(len(rows), len(columns))
    rank = np.linalg.matrix_rank(matrix) if matrix.any() else 0
    found = set()
    for key, i in index.items():
        unit = np.zeros((1, len(columns)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(key)
    return found


# --- the tables of a page ---------------------------------------------------------------


def page_of(setting, ind, person, period=None):
    initiative = setting.cast.initiative
    found = indicator_in(initiative, ind.code)
    return indicator_page(initiative=initiative, indicator=found, person=person, period=period)


def tables(page, *, with_gaps: bool = False) -> tuple[dict, list[tuple]]:
    """What the page's tables and chart show of its period — key → shown value — and the
    relations `total = Σ parts` between those figures. Keys: (group id,) in a one-way table,
    (row id, column id) for cross-tab cells, (row id, None) and (None, column id) for its
    margins (also shown as one-way tables), TOTAL for the period's total. `with_gaps` adds the
    group values the page's equity gaps show (best and worst) for the period."""
    shown, relations = _tables(page)
    for i, over_time in enumerate(page.gaps_over_time if with_gaps else []):
        gap = dict(over_time.gaps).get(page.period)
        for group, value in (
            [(gap.best, gap.best_value), (gap.worst, gap.worst_value)] if gap else []
        ):
            key = (group.pk,) if page.cross_tab is None else [(group.pk, None), (None, group.pk)][i]
            shown[key] = value
    return shown, relations


def _tables(page) -> tuple[dict, list[tuple]]:
    point = next(p.value for p in page.row.points if p.period.pk == page.period.pk)
    cross = page.cross_tab
    if cross is None:
        ((_, values),) = page.breakdowns
        shown = {(g.pk,): v for g, v in values.items()} | {TOTAL: point}
        return shown, [(TOTAL, [k for k in shown if k != TOTAL])]
    one_way = {g.pk: v for _, values in page.breakdowns for g, v in values.items()}
    shown = dict(cross.cells) | {TOTAL: point if point is not None else cross.total}
    for key, margin in [((r, None), v) for r, v in cross.row_totals.items()] + [
        ((None, c), v) for c, v in cross.column_totals.items()
    ]:
        shown[key] = margin if margin is not None else one_way[key[0] or key[1]]
    rows, cols = [g.pk for g in cross.rows], [g.pk for g in cross.columns]
    relations = [((r, None), [(r, c) for c in cols]) for r in rows]
    relations += [((None, c), [(r, c) for r in rows]) for c in cols]
    relations += [(TOTAL, [(r, None) for r in rows]), (TOTAL, [(None, c) for c in cols])]
    return shown, relations


def reference_tables(ref, ind, period) -> dict:
    """The same keys as `tables`, with the reference's (value, people)."""
    found = {TOTAL: ref.totals(ind).get(period.pk, (None, None))}
    dims = ref.dims(ind)
    if len(dims) < 2:
        return found | ref.by_group(ind, period, tuple(dims))
    found |= ref.by_group(ind, period, tuple(dims[:2]))
    found |= {(r, None): f for (r,), f in ref.by_group(ind, period, (dims[0],)).items()}
    return found | {(None, c): f for (c,), f in ref.by_group(ind, period, (dims[1],)).items()}


def gap_series(ref, ind, dim: int, periods) -> list:
    """The reference gap of one dimension in each period, from every group's value."""
    values = [{k[0]: f[0] for k, f in ref.by_group(ind, p, (dim,)).items()} for p in periods]
    return [expected_gap(v, ind.direction, ref) for v in values]


def reference_gaps(ref, ind, periods) -> list[tuple]:
    """(dimension id, gap in the last period, movement) per dimension."""
    out = []
    for dim in ref.dims(ind):
        found = gap_series(ref, ind, dim, periods)
        out.append((dim, found[-1] if found else None, movement(found)))
    return out


def row_periods(row) -> list:
    return [p.period for p in (row.prior, row.current) if p is not None]


def shown_periods(setting, ind, person) -> list:
    return [p.period for p in page_of(setting, ind, person).row.points]


# --- the tests ---------------------------------------------------------------------------


def test_generated_data_has_every_case_the_checks_need(setting, ref):
    months = setting.months
    assert [p.status for p in months] == ["closed"] * 5 + ["open"]
    assert set(ref.df["status"]) == {"approved", "submitted", "draft", "returned"}
    for ind in setting.indicators:
        assert (ref.df[ref.df["indicator_id"] == ind.pk]["status"] != "approved").any()
    for ind in (setting.readiness, setting.enrolled, setting.score):
        assert (~ref.overall(ind)["full"]).any(), f"{ind.code}: no total stands in for cells"
        dims = tuple(ref.dims(ind))
        people = [f[1] for p in months for f in ref.by_group(ind, p, dims).values()]
        assert any(ref.small(n) for n in people), f"{ind.code}: no small group"
    assert months[4].pk not in ref.totals(setting.score)  # a gap in a closed month
    assert ref.small(ref.totals(setting.absent)[months[1].pk][1])  # a small total


def test_scorecard_rows_match_the_reference_for_staff(setting, ref):
    card = scorecard(initiative=setting.cast.initiative, person=setting.cast.staff)

    assert card.shows_small_numbers
    assert {r.indicator.code for r in card.rows} == {i.code for i in setting.indicators}
    for row in card.rows:
        ind = row.indicator
        assert_same_figures(row, expected_row(ref, ind, setting.months, shows_small=True))
        gaps = reference_gaps(ref, ind, row_periods(row))
        assert [(g.dimension.pk, gap_tuple(g.gap), g.movement) for g in row.gaps] == gaps
        known = [(dim, gap) for dim, gap, _ in gaps if gap is not None]
        widest = max(known, key=lambda dg: dg[1][4])[0] if known else None
        assert (row.widest_gap and row.widest_gap.dimension.pk) == widest


@pytest.mark.parametrize(
    "viewer, public_only, visible",
    [
        ("funder", False, {"readiness", "enrolled", "absent"}),
        ("staff", True, {"readiness", "absent"}),
    ],
)
def test_scorecard_rows_hide_small_numbers_without_the_right(
    setting, ref, viewer, public_only, visible
):
    person = getattr(setting.cast, viewer)
    card = scorecard(initiative=setting.cast.initiative, person=person, public_only=public_only)

    assert not card.shows_small_numbers
    assert {r.indicator.code for r in card.rows} == visible
    hidden = []
    for row in card.rows:
        ind = row.indicator
        assert_same_figures(row, expected_row(ref, ind, setting.months, shows_small=False))
        hidden += [p.period.code for p in row.points if p.hidden]
        for g in filter(lambda g: g.gap is not None, row.gaps):
            groups = ref.by_group(ind, row.current.period, (g.dimension.pk,))
            for group, value in ((g.gap.best, g.gap.best_value), (g.gap.worst, g.gap.worst_value)):
                assert groups[(group.pk,)][0] == value
                assert not ref.small(groups[(group.pk,)][1])
    assert hidden == ["2024-02"]  # the absence rate of February, from 7 children


@pytest.mark.parametrize("where", ["scorecard", "gaps over time"])
def test_equity_gaps_show_only_group_values_the_indicator_page_shows(setting, where):
    """A gap names the best and the worst group with their values: the page's tables must
    not hide a value a gap gives away (the cross-tab's complements hide margins)."""
    cast = setting.cast
    for row in scorecard(initiative=cast.initiative, person=cast.funder).rows:
        for period in [p.period for p in row.points if p.value is not None and row.gaps]:
            page = page_of(setting, row.indicator, cast.funder, period)
            shown = {g: v for _, values in page.breakdowns for g, v in values.items()}
            if where == "scorecard":
                gaps = [g.gap for g in row.gaps] if period == row.current.period else []
            else:
                gaps = [dict(g.gaps)[period] for g in page.gaps_over_time]
            for gap in filter(None, gaps):
                revealed = {gap.best: gap.best_value, gap.worst: gap.worst_value}
                in_table = {g.key: shown[g] for g in revealed}
                assert in_table == {g.key: v for g, v in revealed.items()}, (
                    f"{row.indicator.code} {period.code}: the gap shows values the table hides"
                )


def test_public_gaps_give_away_no_small_cell_of_a_cross_tab(setting):
    """The smallest case: children by race × area, one partner, 3 Latino children in N1. The
    page hides every cell and margin but the total; the gaps must not print the margins."""
    cast, june = setting.cast, setting.months[5]
    ind = make_indicator(
        cast.initiative,
        "kids",
        "sum",
        (setting.race, setting.area),
        frequency="month",
        unit="count",
        visibility="public",
    )
    cells = [("black", "n1", 17), ("black", "n2", 0), ("latino", "n1", 3), ("latino", "n2", 20)]
    submit(
        setting,
        [reported(ind, june, cast.partner_a, {"race": r, "area": a}, value=v) for r, a, v in cells],
    )
    card = scorecard(initiative=cast.initiative, person=cast.staff, public_only=True)
    row = next(r for r in card.rows if r.indicator.code == "kids")
    printed = {g.dimension.key: g.gap and (g.gap.best_value, g.gap.worst_value) for g in row.gaps}
    shown, relations = tables(page_of(setting, ind, cast.funder, june), with_gaps=True)
    ref = Reference(setting)
    expected = reference_tables(ref, ind, june)
    hidden = {k for k, (v, _) in expected.items() if v is not None and shown.get(k) is None}

    # The cross-tab hides every margin to protect latino × n1, so no gap can be printed.
    assert printed == {"race": None, "area": None}
    found = {ref.named(k) for k in determined(relations, hidden)}
    assert found == set()  # black × n1 = Black − black × n2 = 17, latino × n1 = N1 − 17 = 3


@pytest.mark.parametrize("code", ["readiness", "enrolled", "score"])
def test_indicator_page_matches_the_reference_for_staff(setting, ref, code):
    ind, staff = getattr(setting, code), setting.cast.staff
    periods = shown_periods(setting, ind, staff)
    for period in periods:
        page = page_of(setting, ind, staff, period)
        shown, _ = tables(page)
        expected = reference_tables(ref, ind, period)

        assert page.shows_small and page.period == period
        assert {k: v for k, v in shown.items() if v is not None} == {
            k: f[0] for k, f in expected.items() if f[0] is not None
        }
        for over_time, (dim, _, moved) in zip(
            page.gaps_over_time, reference_gaps(ref, ind, periods), strict=True
        ):
            assert [gap_tuple(g) for _, g in over_time.gaps] == gap_series(ref, ind, dim, periods)
            assert over_time.movement == moved


@pytest.mark.parametrize("with_gaps", [False, True], ids=["tables", "tables and gaps"])
@pytest.mark.parametrize(
    "code, viewer", [("readiness", "funder"), ("enrolled", "funder"), ("score", "steward_a")]
)
def test_indicator_page_hides_small_numbers_and_leaves_none_recoverable(
    setting, ref, code, viewer, with_gaps
):
    ind, person = getattr(setting, code), getattr(setting.cast, viewer)
    any_hidden = False
    for period in shown_periods(setting, ind, person):
        page = page_of(setting, ind, person, period)
        shown, relations = tables(page, with_gaps=with_gaps)
        expected = reference_tables(ref, ind, period)

        assert not page.shows_small
        for key, value in shown.items():
            assert value is None or value == expected[key][0], (period.code, key)
        small = {k for k, (_, people) in expected.items() if ref.small(people)}
        assert all(shown.get(k) is None for k in small), period.code
        hidden = {k for k, (v, _) in expected.items() if v is not None and shown.get(k) is None}
        any_hidden |= bool(hidden)
        found = {ref.named(k) for k in determined(relations, hidden)}
        assert found == set(), f"{code} {period.code}: hidden figures can be worked out"
    assert any_hidden


@pytest.mark.parametrize("viewer", ["staff", "steward_a", "funder"])
def test_by_partner_shows_partners_to_those_who_may_see_them(setting, ref, viewer):
    person, partner_a = getattr(setting.cast, viewer), setting.cast.partner_a
    for ind in setting.indicators:
        for period in shown_periods(setting, ind, person):
            found = page_of(setting, ind, person, period).by_partner
            expected = ref.by_partner(ind, period)
            if viewer == "staff":
                wanted = {pk: value for pk, (value, _) in expected.items()}
            elif viewer == "steward_a" and partner_a.pk in expected:
                value, people = expected[partner_a.pk]
                wanted = {partner_a.pk: None if ref.small(people) else value}
            else:
                wanted = {}
            assert len({p.pk for p, _ in found}) == len(found)
            assert {p.pk: v for p, v in found} == wanted, (ind.code, period.code)
