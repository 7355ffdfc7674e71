"""Roll-ups kept on write: what each indicator's values add up to per period and cell, over
every partner, in the `Rollup` table.

Every write of values (the intake, approval and return, deletions) calls `values_changed`
with the (indicator, period) pairs it touched, in its own transaction; `refresh` recomputes
just those pairs from the value rows with one `INSERT … SELECT` per part, so the sums never
leave the database and are never stale. The engine's `series_many` and `cells_many` — the
scorecard's, indicator page's and disclosure's questions — read the few roll-up rows instead
of every value. `backbone rebuild_rollups` recomputes them all from scratch; a test holds
incremental updates after any sequence of writes equal to a rebuild.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Q

from .aggregation import Layout, value_sums
from .models import DataValue, Indicator, Period, Rollup

COLUMNS = (
    "initiative_id",
    "indicator_id",
    "period_id",
    "cell_id",
    "provisional",
    "value_count",
    "partner_count",
    "total",
    "numerator",
    "denominator",
    "weighted",
    "weight",
)
# Where each part's rows go: the whole period (no cell), the total cell, or their own cell.
_CELL = {"whole": "NULL", "stand_in": "%s", "cells": "part.cell_id"}


def refresh(
    initiative_id: int,
    pairs: Iterable[tuple[int, int]] | None = None,
    *,
    provisional_only: bool = False,
    added: int = 0,
) -> None:
    """Recompute the roll-ups of these (indicator id, period id) pairs, or of the whole
    initiative with None; with `provisional_only`, only those that count submitted values
    (no approved value changed). Call it inside the transaction that changed the values,
    saying how many value rows it `added`."""
    analyze_grown(DataValue._meta.db_table, added)
    layout = Layout(initiative_id)
    if pairs is None:
        Rollup.objects.filter(initiative_id=initiative_id).delete()
        indicators = list(Indicator.objects.filter(initiative_id=initiative_id))
        period_ids = list(
            Period.objects.filter(initiative_id=initiative_id).values_list("id", flat=True)
        )
        _write(layout, indicators, period_ids)
        return
    by_indicator: dict[int, set[int]] = defaultdict(set)
    for indicator_id, period_id in pairs:
        by_indicator[indicator_id].add(period_id)
    if not by_indicator:
        return
    # Indicators touched in the same periods share their queries.
    by_periods: dict[frozenset[int], list[int]] = defaultdict(list)
    for indicator_id, period_ids in by_indicator.items():
        by_periods[frozenset(period_ids)].append(indicator_id)
    touched = Q()
    for period_ids, indicator_ids in by_periods.items():
        touched |= Q(indicator_id__in=indicator_ids, period_id__in=period_ids)
    kinds = (True,) if provisional_only else (False, True)
    Rollup.objects.filter(touched, initiative_id=initiative_id, provisional__in=kinds).delete()
    found = Indicator.objects.filter(initiative_id=initiative_id).in_bulk(list(by_indicator))
    for period_ids, indicator_ids in by_periods.items():
        indicators = [found[i] for i in indicator_ids if i in found]
        _write(layout, indicators, sorted(period_ids), kinds)


def analyze_grown(table: str, added: int) -> None:
    """Give the planner the new size of a table that has just grown by more than a tenth in
    this transaction, as autovacuum would after it commits: the roll-ups written next in the
    same transaction are planned from these figures, and planned for an empty table a
    million values' refresh took seconds, ten million minutes."""
    if connection.vendor != "postgresql" or added < 10_000:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        ((known,),) = cursor.fetchall()
        if added > 50 + 0.1 * max(known, 0):
            cursor.execute(f"ANALYZE {table}")


def rebuild(initiative_id: int | None = None) -> int:
    """Recompute every roll-up of one initiative, or of all; returns how many rows."""
    from backbone.initiatives.models import Initiative

    ids = (
        [initiative_id]
        if initiative_id is not None
        else list(Initiative.objects.values_list("id", flat=True))
    )
    for pk in ids:
        refresh(pk)
    return Rollup.objects.filter(initiative_id__in=ids).count()


def _write(
    layout: Layout,
    indicators: Sequence[Indicator],
    period_ids: Sequence[int],
    kinds: Sequence[bool] = (False, True),
) -> None:
    if not indicators or not period_ids:
        return
    table = connection.ops.quote_name(Rollup._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        for provisional in kinds:
            parts = value_sums(
                indicators, period_ids=period_ids, provisional=provisional, layout=layout
            )
            for kind, rows in parts:
                sql, params = rows.query.get_compiler(connection=connection).as_sql()
                cell_params = [layout.total_cell] if kind == "stand_in" else []
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "
                    f"SELECT %s, part.indicator_id, part.period_id, {_CELL[kind]}, %s, "
                    "part.n_values, part.n_partners, part.total, part.num, part.den, "
                    f"part.vw, part.w FROM ({sql}) part",
                    [layout.initiative_id, *cell_params, provisional, *params],
                )
