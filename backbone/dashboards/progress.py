"""Progress rules, as results-based accountability scorecards state them (PRODUCT.md §5).

Plain functions of numbers, so that every column of the scorecard can be checked by hand:

- change since baseline = current − baseline, "better" when it moves in the direction of good;
- progress to target = (current − baseline) / (target − baseline): 0 at the baseline, 1 at the
  target, negative when the indicator moved away from it;
- needle-moving: a population indicator that has improved by at least 10% relative to its
  baseline;
- variance from target = current − target; percent of target = how much of the target is
  achieved, in the direction of good (see `percent_of_target`);
- trend: the direction of the latest change and for how many periods it has held;
- forecast: the least-squares line through the values since the baseline, carried forward —
  where the curve goes if nothing changes.

Missing values are gaps: every function answers None rather than guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

NEEDLE_MOVING = Decimal("0.10")
UP, DOWN, FLAT = "up", "down", "flat"
_PLACES = Decimal("0.000001")


def _q(number: Decimal | None) -> Decimal | None:
    return None if number is None else number.quantize(_PLACES)


def is_better(change: Decimal | None, direction: str) -> bool | None:
    """Whether a change moves in the direction of good (None for no change or no data)."""
    if change is None or change == 0:
        return None
    return change > 0 if direction == UP else change < 0


@dataclass(frozen=True)
class Change:
    difference: Decimal  # current − baseline
    relative: Decimal | None  # difference / |baseline|; None for a zero baseline
    better: bool | None  # None: no change


def change_since_baseline(
    *, current: Decimal | None, baseline: Decimal | None, direction: str
) -> Change | None:
    if current is None or baseline is None:
        return None
    difference = current - baseline
    relative = _q(difference / abs(baseline)) if baseline else None
    return Change(_q(difference), relative, is_better(difference, direction))


def progress_to_target(
    *,
    current: Decimal | None,
    baseline: Decimal | None,
    target: Decimal | None,
    direction: str | None = None,
) -> Decimal | None:
    """(current − baseline) / (target − baseline); None when a number is missing, or when
    there is no distance to cover: the target is the baseline, or lies on the worse side of
    it for the direction of good (a target of 36% against a baseline of 36.2%, higher being
    better, is met before any work; a share of that distance would read −2,000%)."""
    if current is None or baseline is None or target is None or target == baseline:
        return None
    if direction == UP and target < baseline or direction == DOWN and target > baseline:
        return None
    return _q((current - baseline) / (target - baseline))


def is_needle_moving(
    *, kind: str, current: Decimal | None, baseline: Decimal | None, direction: str
) -> bool:
    """A population indicator improved by at least 10% relative to its baseline."""
    if kind != "population":
        return False
    change = change_since_baseline(current=current, baseline=baseline, direction=direction)
    if change is None or change.relative is None or not change.better:
        return False
    return abs(change.relative) >= NEEDLE_MOVING


def variance_from_target(*, current: Decimal | None, target: Decimal | None) -> Decimal | None:
    if current is None or target is None:
        return None
    return _q(current - target)


def percent_of_target(
    *, current: Decimal | None, target: Decimal | None, direction: str
) -> Decimal | None:
    """How much of the target the current value achieves: 100 on target, more beyond it in
    the direction of good, less short of it. Up is better: current / target × 100 (48 of a
    target of 50 is 96%). Down is better: target / current × 100, so that 15% absent against
    a target of 10% is 67% of target, not 150%, and 8% is 125%. (How far the indicator has
    come from its baseline is `progress_to_target`.) None where a ratio means nothing: a
    number missing, a zero to divide by, or a negative current value or target."""
    if current is None or target is None or current < 0 or target < 0:
        return None
    achieved, aim = (current, target) if direction == UP else (target, current)
    if not aim:
        return None
    return _q(achieved * 100 / aim)


@dataclass(frozen=True)
class Trend:
    direction: str  # up, down or flat
    periods: int  # for how many consecutive changes it has held
    better: bool | None


def trend(values: Sequence[Decimal | None], direction: str) -> Trend | None:
    """The direction of the latest change between reported values, and how many changes in
    a row went the same way. Gaps are skipped: the change runs from the last value before."""
    points = [v for v in values if v is not None]
    if len(points) < 2:
        return None
    steps = [b - a for a, b in zip(points, points[1:], strict=False)]

    def way(step: Decimal) -> str:
        return UP if step > 0 else DOWN if step < 0 else FLAT

    latest = way(steps[-1])
    held = 0
    for step in reversed(steps):
        if way(step) != latest:
            break
        held += 1
    return Trend(latest, held, is_better(steps[-1], direction))


def fit_line(points: Sequence[tuple[int, Decimal]]) -> tuple[Decimal, Decimal] | None:
    """(slope, intercept) of the least-squares line through (x, y); None under two x's."""
    if len({x for x, _ in points}) < 2:
        return None
    n = Decimal(len(points))
    sx = sum((Decimal(x) for x, _ in points), Decimal(0))
    sy = sum((y for _, y in points), Decimal(0))
    sxx = sum((Decimal(x) * x for x, _ in points), Decimal(0))
    sxy = sum((Decimal(x) * y for x, y in points), Decimal(0))
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    return slope, (sy - slope * sx) / n


def forecast(points: Sequence[tuple[int, Decimal]], at: int) -> Decimal | None:
    """The value the baseline trend line gives at position `at`."""
    line = fit_line(points)
    if line is None:
        return None
    slope, intercept = line
    return _q(slope * at + intercept)
