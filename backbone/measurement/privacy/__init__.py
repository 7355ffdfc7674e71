"""What a reader may see of small numbers: who sees them, and how many people a result
counts. The decision of what else to hide with them is `disclosure`'s, made once per
indicator and period for every page, file and API answer.

A result's *people* are those it was computed from: a rate's denominator, an average's n, a
count's own value; other units (money, scores without an n) count nobody and are never
hidden. Backbone staff, evaluators and data stewards see everything; everyone else — the
public, funders, partners — sees figures from fewer people than the initiative's threshold
hidden, together with the figures that would give them away.
"""

from __future__ import annotations

from decimal import Decimal

from backbone.initiatives.models import Initiative
from backbone.permissions import can

from ..aggregation import Result
from ..models import Indicator


def sees_small_numbers(person, initiative: Initiative) -> bool:
    return can(person, "results.small_numbers", initiative)


def people(indicator: Indicator, result: Result) -> Decimal | None:
    """How many people a result was computed from; None for a gap or a unit that counts
    nobody."""
    if result.is_gap:
        return None
    if result.weight is not None:
        return result.weight
    if indicator.unit == Indicator.Unit.COUNT:
        # A count of people below zero is no one's count: never hidden.
        return result.value if result.value is not None and result.value >= 0 else None
    return None


def is_small(indicator: Indicator, result: Result, *, threshold: int) -> bool:
    found = people(indicator, result)
    return found is not None and 0 < found < threshold
