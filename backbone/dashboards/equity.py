"""Equity gaps: for one indicator, dimension and period, the distance between the group that
fares best and the group that fares worst, and whether that distance closes over time.

"Best" follows the indicator's direction of good: the highest readiness, the lowest chronic
absenteeism. The gap is given both ways people quote it — the difference (in the indicator's
unit: "12 points") and the ratio of the larger value to the smaller ("1.4 times") — and it
closes when the difference shrinks from one reported period to the next.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

CLOSING, WIDENING, STEADY = "closing", "widening", "steady"
_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Gap:
    best: Hashable
    worst: Hashable
    best_value: Decimal
    worst_value: Decimal
    difference: Decimal  # always ≥ 0
    ratio: Decimal | None  # larger / smaller; None when the smaller is 0


def gap(values: Mapping[Hashable, Decimal | None], direction: str) -> Gap | None:
    """The gap between the best and the worst group among those with a value; None with fewer
    than two. Ties keep the groups' order (the first listed wins)."""
    known = [(k, v) for k, v in values.items() if v is not None]
    if len(known) < 2:
        return None
    if direction == "up":
        best = max(known, key=lambda kv: kv[1])
        worst = min(known, key=lambda kv: kv[1])
    else:
        best = min(known, key=lambda kv: kv[1])
        worst = max(known, key=lambda kv: kv[1])
    high, low = max(best[1], worst[1]), min(best[1], worst[1])
    ratio = (high / low).quantize(_PLACES) if low > 0 else None
    return Gap(
        best=best[0],
        worst=worst[0],
        best_value=best[1],
        worst_value=worst[1],
        difference=(high - low).quantize(_PLACES),
        ratio=ratio,
    )


def gap_movement(gaps: Sequence[Gap | None]) -> str | None:
    """closing, widening or steady: the latest gap against the one before it (periods
    without a gap are skipped); None without two gaps."""
    known = [g for g in gaps if g is not None]
    if len(known) < 2:
        return None
    before, now = known[-2].difference, known[-1].difference
    if now < before:
        return CLOSING
    if now > before:
        return WIDENING
    return STEADY


def widest(gaps: Mapping[Hashable, Gap | None]) -> tuple[Hashable, Gap] | None:
    """The dimension whose gap is widest, by difference: one indicator's differences are in
    one unit, so they compare across its dimensions. Ties keep the dimensions' order."""
    known = [(k, g) for k, g in gaps.items() if g is not None]
    if not known:
        return None
    return max(known, key=lambda kg: kg[1].difference)
