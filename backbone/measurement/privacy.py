"""What a reader may see of small numbers: the bridge between engine results and
`suppression`.

A result's *people* are those it was computed from: a rate's denominator, an average's n, a
count's own value; other units (money, scores without an n) count nobody and are never
hidden. Backbone staff, evaluators and data stewards see everything; everyone else — the
public, funders, partners — sees figures from fewer people than the initiative's threshold
hidden, together with the figures that would give them away.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from backbone.initiatives.models import Initiative
from backbone.permissions import can

from . import aggregation as engine
from . import suppression
from .aggregation import Result
from .models import Group, Indicator

TOTAL = "total"


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
        return result.value
    return None


def is_small(indicator: Indicator, result: Result, *, threshold: int) -> bool:
    found = people(indicator, result)
    return found is not None and 0 < found < threshold


def _counts(indicator: Indicator, results: Mapping) -> dict:
    # A figure that counts nobody is treated as a gap: never hidden, known to the reader.
    return {key: people(indicator, r) for key, r in results.items()}


def hidden_in_breakdown(
    indicator: Indicator, groups: Mapping[Group, Result], total: Result | None, *, threshold: int
) -> frozenset:
    """Keys (group ids, and TOTAL) to hide in a one-way table of `groups` and its total."""
    results = {g.pk: r for g, r in groups.items()}
    if total is not None:
        results[TOTAL] = total
    relations = (
        suppression.one_way(total=TOTAL, parts=[g.pk for g in groups]) if total is not None else ()
    )
    return suppression.suppressed(
        people=_counts(indicator, results), relations=relations, threshold=threshold
    )


def shown_breakdown(
    indicator: Indicator,
    groups: Mapping[Group, Result],
    *,
    total: Result | None,
    threshold: int,
    show_small: bool,
) -> dict[Group, Decimal | None]:
    """Each group's value as the reader may see it (None: a gap or hidden)."""
    if show_small:
        return {g: r.value for g, r in groups.items()}
    hidden = hidden_in_breakdown(indicator, groups, total, threshold=threshold)
    return {g: None if g.pk in hidden else r.value for g, r in groups.items()}


def hidden_in_cross_tab(
    indicator: Indicator,
    cells: Mapping[tuple[Group, Group], Result],
    rows: Mapping[Group, Result],
    columns: Mapping[Group, Result],
    total: Result,
    *,
    threshold: int,
) -> frozenset:
    """Keys to hide in a two-way table with its margins: (row id, column id) for a cell,
    (row id, None) and (None, column id) for margins, (None, None) for the total."""
    results: dict = {(r.pk, c.pk): v for (r, c), v in cells.items()}
    results |= {(r.pk, None): v for r, v in rows.items()}
    results |= {(None, c.pk): v for c, v in columns.items()}
    results[(None, None)] = total
    relations = suppression.cross_tab(rows=[r.pk for r in rows], columns=[c.pk for c in columns])
    return suppression.suppressed(
        people=_counts(indicator, results), relations=relations, threshold=threshold
    )


def hidden_filtered_periods(
    indicator: Indicator,
    groups: list[Group],
    periods: list,
    *,
    threshold: int,
    layout,
) -> set[int]:
    """Periods whose value for `groups` (filters, as the API takes them) must be hidden: where
    any filtered group is hidden in its dimension's table of that period — small itself, or
    hidden so that a small one cannot be worked out from the total and the others. Without
    this, asking group by group would undo the suppression of the breakdown."""
    if not groups:
        return set()
    table = engine.cells_many([indicator], periods=periods, layout=layout)
    totals = engine.series_many([indicator], periods=periods, layout=layout).get(indicator.pk, {})
    hidden: set[int] = set()
    for group in groups:
        dimension = group.dimension
        if dimension.pk not in layout.dimensions.get(indicator.pk, ()):
            continue  # matches nothing: the answer is a gap anyway
        by = (
            engine.Level(dimension, depth=layout.depth(group.pk))
            if dimension.is_geography
            else dimension
        )
        for period in periods:
            breakdown = table.breakdown(indicator, period, by)
            secret = hidden_in_breakdown(
                indicator, breakdown, totals.get(period.pk), threshold=threshold
            )
            if group.pk in secret:
                hidden.add(period.pk)
    return hidden
