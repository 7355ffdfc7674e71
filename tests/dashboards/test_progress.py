"""Progress rules on small cases worked by hand, and the forecast against numpy's fit."""

from decimal import Decimal

import numpy as np
import pytest

from backbone.dashboards import equity, progress

pytestmark = pytest.mark.unit

D = Decimal


def test_progress_to_target_is_the_share_of_the_distance_covered():
    assert progress.progress_to_target(current=D(50), baseline=D(40), target=D(60)) == D("0.5")
    assert progress.progress_to_target(current=D(35), baseline=D(40), target=D(60)) == D("-0.25")
    # Down is better: from 20% absent towards 15%, now 18%: 40% of the way.
    assert progress.progress_to_target(current=D(18), baseline=D(20), target=D(15)) == D("0.4")


def test_a_target_on_the_worse_side_of_the_baseline_has_no_distance_to_cover():
    kw = {"current": D("40.5"), "baseline": D("36.2"), "target": D("36.0")}
    assert progress.progress_to_target(**kw, direction="up") is None
    assert progress.progress_to_target(**kw, direction="down") is not None
    kw = {"current": D(18), "baseline": D(20), "target": D(22)}
    assert progress.progress_to_target(**kw, direction="down") is None
    assert progress.progress_to_target(**kw, direction="up") == D("-1")


@pytest.mark.parametrize(
    "current, baseline, target", [(None, 1, 2), (1, None, 2), (1, 2, None), (D(5), D(4), D(4))]
)
def test_progress_to_target_without_a_distance_is_unknown(current, baseline, target):
    assert progress.progress_to_target(current=current, baseline=baseline, target=target) is None


def test_change_since_baseline_follows_the_direction_of_good():
    up = progress.change_since_baseline(current=D(52), baseline=D(45), direction="up")
    assert (up.difference, up.relative, up.better) == (D(7), D("0.155556"), True)
    down = progress.change_since_baseline(current=D(52), baseline=D(45), direction="down")
    assert down.better is False
    flat = progress.change_since_baseline(current=D(45), baseline=D(45), direction="up")
    assert flat.better is None
    zero = progress.change_since_baseline(current=D(3), baseline=D(0), direction="up")
    assert zero.relative is None and zero.better is True


@pytest.mark.parametrize(
    "kind, current, baseline, direction, moving",
    [
        ("population", D(55), D(50), "up", True),  # +10% exactly
        ("population", D("54.99"), D(50), "up", False),
        ("population", D(18), D(20), "down", True),  # 10% fewer absent
        ("population", D(22), D(20), "down", False),  # 10% more: worse
        ("population", D(45), D(50), "up", False),
        ("how_much", D(80), D(50), "up", False),  # performance measures never move the needle
        ("population", D(5), D(0), "up", False),  # no relative change from zero
        ("population", None, D(50), "up", False),
    ],
)
def test_needle_moving_is_ten_percent_better_than_baseline(
    kind, current, baseline, direction, moving
):
    found = progress.is_needle_moving(
        kind=kind, current=current, baseline=baseline, direction=direction
    )
    assert found is moving


def test_variance_and_percent_of_target():
    assert progress.variance_from_target(current=D(48), target=D(50)) == D(-2)
    assert progress.percent_of_target(current=D(48), target=D(50), direction="up") == D(96)
    assert progress.percent_of_target(current=D(48), target=D(0), direction="up") is None
    assert progress.variance_from_target(current=None, target=D(50)) is None


@pytest.mark.parametrize(
    "current, target, percent",
    [
        (D(15), D(10), D("66.666667")),  # 15% absent against a target of 10%: short of it
        (D(10), D(10), D(100)),
        (D(8), D(10), D(125)),  # beyond the target, in the direction of good
        (D(0), D(10), None),  # nothing to divide by
        (D(15), D(0), D(0)),
        (None, D(10), None),
        (D(15), None, None),
    ],
)
def test_percent_of_target_when_down_is_better_is_target_over_current(current, target, percent):
    found = progress.percent_of_target(current=current, target=target, direction="down")
    assert found == percent


@pytest.mark.parametrize("direction", ["up", "down"])
def test_percent_of_target_of_negative_numbers_is_unknown(direction):
    for current, target in ((D(-5), D(10)), (D(5), D(-10)), (D(-5), D(-10))):
        found = progress.percent_of_target(current=current, target=target, direction=direction)
        assert found is None


def test_trend_counts_how_long_the_direction_held_and_skips_gaps():
    t = progress.trend([D(40), D(42), D(41), D(43), None, D(44), D(46)], "up")
    assert (t.direction, t.periods, t.better) == ("up", 3, True)
    t = progress.trend([D(20), D(19), D(18)], "up")
    assert (t.direction, t.periods, t.better) == ("down", 2, False)
    t = progress.trend([D(5), D(5)], "up")
    assert (t.direction, t.periods, t.better) == ("flat", 1, None)
    assert progress.trend([D(5), None], "up") is None


def test_forecast_is_the_least_squares_line_numpy_fits():
    points = [(0, D("44.8")), (1, D("46.1")), (2, D("47.9")), (3, D("48.2")), (4, D("50.6"))]
    slope, intercept = np.polyfit([x for x, _ in points], [float(y) for _, y in points], 1)
    found = progress.forecast(points, 6)
    assert float(found) == pytest.approx(slope * 6 + intercept, abs=1e-6)
    assert progress.forecast(points[:1], 3) is None


def test_gap_is_between_best_and_worst_groups_by_direction():
    rates = {"black": D(38), "latino": D(41), "white": D(53), "asian": None}
    g = equity.gap(rates, "up")
    assert (g.best, g.worst, g.difference) == ("white", "black", D(15))
    assert g.ratio == D("1.394737")
    absent = equity.gap({"low": D(24), "other": D(12)}, "down")
    assert (absent.best, absent.worst, absent.difference, absent.ratio) == (
        "other",
        "low",
        D(12),
        D(2),
    )
    assert equity.gap({"a": D(1), "b": None}, "up") is None
    assert equity.gap({"a": D(0), "b": D(4)}, "up").ratio is None


def test_gap_movement_compares_the_latest_two_gaps():
    a, b = equity.gap({"x": D(10), "y": D(20)}, "up"), equity.gap({"x": D(12), "y": D(18)}, "up")
    assert equity.gap_movement([a, None, b]) == equity.CLOSING
    assert equity.gap_movement([b, a]) == equity.WIDENING
    assert equity.gap_movement([a, a]) == equity.STEADY
    assert equity.gap_movement([a]) is None
    assert equity.widest({"race": a, "income": b, "place": None}) == ("race", a)
