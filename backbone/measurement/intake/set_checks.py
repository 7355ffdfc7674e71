"""The staged rows resolved — partner, indicator, period and cell ids, the reason for a
blank, every number as whole millionths — and checked in SQL, every row at once: each row's
numbers, then the rows together (duplicates, required cells, totals against their parts)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connection

from .. import missing
from .set_codes import refuse_odd_cells, resolve_codes
from .sets import (
    DISAGREES_MICRO,
    MICRO,
    NUMBER_PATTERN,
    ROWS,
    SHORT,
    TOO_LARGE_MICRO,
    VALUE_FIELDS,
    Layout,
    Unsure,
    analyze,
    execute,
    kept,
    symbol,
    text,
)
from .staging import STAGE


def check_staged(intake, layout: Layout, *, period_problem: Callable[[str], str | None]) -> None:
    """Check the staged rows and leave them, resolved, in ROWS: partner, indicator, period
    and cell ids, the reason for a blank, and every number as whole millionths. Unsure for
    anything the row reader should look at. The cells it makes for new combinations of
    groups are rolled back with the rest by the caller; the catalogue forgets them here."""
    if intake.correction_reason:
        raise Unsure  # corrections of closed periods are audited value by value
    analyze(STAGE)
    where = kept(layout)
    (count,) = execute(f"SELECT count(*) FROM {STAGE} WHERE {where}")[0]
    if not count:
        raise Unsure  # "no values": the row reader says so
    refuse_odd_cells(layout, where)
    cells = dict(intake.catalogue.cells)
    try:
        total_cell = resolve_codes(intake, layout, where, period_problem)
        _build_rows(intake, layout, where, total_cell)
        _check_numbers()
        _check_together()
    except (Unsure, DatabaseError):
        intake.catalogue.cells.clear()
        intake.catalogue.cells.update(cells)
        raise Unsure from None


def _micro(c: str | None) -> str:
    """A staged number as whole millionths; NULL for a blank or for anything else. Blanks
    and whole numbers (most cells) are told apart before the pattern, which costs more."""
    if c is None:
        return "NULL"
    if connection.vendor == "postgresql":
        return (
            f"CASE WHEN {c} = '' THEN NULL "
            f"WHEN length({c}) <= 12 AND translate({c}, '0123456789', '') = '' "
            f"THEN {c}::bigint * {MICRO} "
            f"WHEN {c} ~ '{NUMBER_PATTERN}' THEN ({c}::numeric * {MICRO})::bigint END"
        )
    u = f"(CASE WHEN substr({c}, 1, 1) = '-' THEN substr({c}, 2) ELSE {c} END)"
    dot = f"instr({u}, '.')"
    fraction = f"substr({u}, {dot} + 1)"
    valid = (
        f"{u} <> '' AND {u} NOT GLOB '*[^0-9.]*' AND ("
        f"({dot} = 0 AND length({u}) <= 12) OR ({dot} BETWEEN 2 AND 13 "
        f"AND length({u}) - {dot} BETWEEN 1 AND 6 AND instr({fraction}, '.') = 0))"
    )
    whole = f"CAST(CASE WHEN {dot} = 0 THEN {u} ELSE substr({u}, 1, {dot} - 1) END AS INTEGER)"
    places = f"CASE WHEN {dot} = 0 THEN '' ELSE {fraction} END"
    millionths = f"CAST(substr({places} || '000000', 1, 6) AS INTEGER)"
    sign = f"(CASE WHEN substr({c}, 1, 1) = '-' THEN -1 ELSE 1 END)"
    return (
        f"CASE WHEN {c} = '' THEN NULL "
        f"WHEN length({c}) <= 12 AND {c} NOT GLOB '*[^0-9]*' THEN CAST({c} AS INTEGER) * {MICRO} "
        f"WHEN {valid} THEN {sign} * ({whole} * {MICRO} + {millionths}) END"
    )


def _derived() -> str:
    """A rate's value from its numerator and denominator, in millionths, rounded half away
    from zero as the row intake rounds: exact integer arithmetic. NULL where the row intake
    might round otherwise (its division keeps 28 digits) or the product would not fit."""
    if connection.vendor == "postgresql":
        # in bigint where the doubled product fits (most rows), else in numeric
        return (
            "CASE WHEN agg = 'rate' AND num_m >= 0 AND den_m > 0 THEN CASE "
            f"WHEN num_m <= 4000000000000 / rate_per "
            f"THEN (2 * num_m * rate_per * {MICRO} + den_m) / (2 * den_m) "
            "WHEN num_m::numeric * rate_per < 500000000000000000000 "
            f"THEN div(2 * num_m::numeric * rate_per * {MICRO} + den_m, 2 * den_m::numeric) "
            "END END"
        )
    return (
        "CASE WHEN agg = 'rate' AND num_m >= 0 AND den_m > 0 "
        "AND num_m * rate_per <= 4000000000000 THEN "
        f"(2 * num_m * rate_per * {MICRO} + den_m) / (2 * den_m) END"
    )


def _build_rows(intake, layout: Layout, where: str, total_cell: int | None) -> None:
    f = layout.fields
    joins = [
        f"JOIN intake_indicators i ON i.raw = {text(f['indicator'])}",
        f"JOIN intake_periods pe ON pe.raw = {text(f['period'])}",
    ]
    partner = "%s"
    params: list = []
    if "partner" in f:
        joins.append(f"JOIN intake_partners pa ON pa.raw = {text(f['partner'])}")
        partner = "pa.partner_id"
    reason = "''"
    if "missing" in f:
        joins.append(f"JOIN intake_reasons re ON re.raw = {text(f['missing'])}")
        reason = "re.code"
    if "value" in f:
        # a GSS symbol in the value column is a blank with its reason, unless the row gives one
        is_symbol = symbol(f["value"])
        codes = " ".join(f"WHEN '{sign}' THEN '{code}'" for sign, code in missing.SYMBOLS.items())
        reason = (
            f"CASE WHEN {is_symbol} AND {reason} = '' "
            f"THEN CASE lower(trim({f['value']})) {codes} END ELSE {reason} END"
        )
    cell, groups = "%s", "0"
    if layout.dimensions:
        on = [f"ce.raw = {text(f['indicator'])}"] + [
            f"ce.g{i} = {text(c)}" for i, (_, c) in enumerate(layout.dimensions)
        ]
        joins.append(f"JOIN intake_cells ce ON {' AND '.join(on)}")
        cell, groups = "ce.cell_id", "ce.n_groups"
    numbers = []
    for name in VALUE_FIELDS:
        c = f.get(name)
        short = SHORT[name]
        blank = f"CASE WHEN {text(c)} = '' THEN 1 ELSE 0 END" if c else "1"
        if name == "value" and c:
            blank = f"CASE WHEN {c} = '' OR {symbol(c)} THEN 1 ELSE 0 END"
        numbers.append(f"{blank} AS {short}_blank, {_micro(c)} AS {short}_m")
    inner = (
        f"SELECT s.row_no, {partner} AS partner_id, i.indicator_id, pe.period_id, "
        f"{cell} AS cell_id, {groups} AS n_groups, {reason} AS missing, i.agg, i.rate_per, "
        f"i.low_m, i.high_m, i.is_prop, i.n_dims, i.expected, i.all_required, {', '.join(numbers)} "
        f"FROM {STAGE} s {' '.join(joins)} WHERE {where}"
    )
    # the subquery is not merged into the outer one, which would read each number again for
    # every use the rate's arithmetic makes of it
    apart = "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"
    if partner == "%s":
        params.append(intake.partner.pk)
    if cell == "%s":
        params.append(total_cell)
    execute(f"DROP TABLE IF EXISTS {ROWS}")
    if connection.vendor == "postgresql":
        # joins to lookups of a few rows: by hash, whatever the planner guesses of them
        execute("SET LOCAL enable_nestloop = off")
    execute(
        f"CREATE TEMP TABLE {ROWS} AS SELECT q.*, {_derived()} AS derived_m "
        f"FROM ({inner} {apart}) q",
        params,
    )
    if connection.vendor == "postgresql":
        execute("RESET enable_nestloop")
    analyze(ROWS)


def _check_numbers() -> None:
    """Every row's numbers as the row intake checks them, for every row at once: a blank
    with a reason carries none; a value, or a numerator and denominator, in place and in
    range; a rate's value agrees with them; a weighted average has its n."""
    sqlite_weighted = (
        "" if connection.vendor == "postgresql" else " OR abs(v_m) > 3000000000 OR w_m > 3000000000"
    )
    bad = f"""
        CASE WHEN missing <> '' THEN NOT (v_blank = 1 AND num_blank = 1 AND den_blank = 1
                                          AND w_blank = 1)
        ELSE (v_blank = 0 AND v_m IS NULL) OR CASE WHEN agg = 'rate' THEN
            num_m IS NULL OR den_m IS NULL OR num_m < 0 OR den_m <= 0
            OR (is_prop = 1 AND num_m > den_m)
            OR derived_m IS NULL OR derived_m >= {TOO_LARGE_MICRO}
            OR (v_m IS NOT NULL AND abs(v_m - derived_m) > {DISAGREES_MICRO})
            OR (low_m IS NOT NULL AND derived_m < low_m)
            OR (high_m IS NOT NULL AND derived_m > high_m)
        ELSE v_m IS NULL
            OR (low_m IS NOT NULL AND v_m < low_m) OR (high_m IS NOT NULL AND v_m > high_m)
            OR (agg = 'weighted' AND (w_m IS NULL OR w_m <= 0{sqlite_weighted}))
        END END"""
    if execute(f"SELECT 1 FROM {ROWS} WHERE COALESCE(({bad}), 1 = 1) LIMIT 1"):
        raise Unsure


def _check_together() -> None:
    """The rows together: no cell twice; every cell where all are required; a total agrees
    with its parts (equal to their sum when every part has a number, at least their sum
    when some are missing); a weighted total with the n-weighted mean of its parts."""
    key = "partner_id, indicator_id, period_id"
    if execute(f"SELECT 1 FROM {ROWS} GROUP BY {key}, cell_id HAVING count(*) > 1 LIMIT 1"):
        raise Unsure
    if execute(
        f"SELECT 1 FROM {ROWS} WHERE n_dims > 0 AND all_required = 1 "
        f"AND (n_groups = 0 OR n_groups = n_dims) GROUP BY {key} "
        f"HAVING sum(CASE WHEN n_groups = n_dims THEN 1 ELSE 0 END) < max(expected) LIMIT 1"
    ):
        raise Unsure
    product = "v_m::numeric * w_m" if connection.vendor == "postgresql" else "v_m * w_m"
    totals = (
        f"SELECT {key}, agg, expected, v_m, num_m, den_m, w_m FROM {ROWS} "
        "WHERE n_dims > 0 AND n_groups = 0 AND missing = ''"
    )
    parts = (
        f"SELECT {key}, count(*) AS cells, sum(v_m) AS sv, sum(num_m) AS sn, "
        f"sum(den_m) AS sd, sum(w_m) AS sw, sum({product}) AS svw FROM {ROWS} "
        f"WHERE n_dims > 0 AND n_groups = n_dims AND missing = '' GROUP BY {key}"
    )
    disagree = """
        CASE WHEN p.cells >= t.expected THEN CASE t.agg
            WHEN 'rate' THEN p.sn <> t.num_m OR p.sd <> t.den_m
            WHEN 'weighted' THEN p.sw <> t.w_m
            ELSE p.sv <> t.v_m END
        ELSE CASE t.agg
            WHEN 'rate' THEN p.sn > t.num_m OR p.sd > t.den_m
            WHEN 'weighted' THEN p.sw > t.w_m
            ELSE p.sv > t.v_m END
        END"""
    joined = (
        f"FROM ({totals}) t JOIN ({parts}) p ON p.partner_id = t.partner_id "
        "AND p.indicator_id = t.indicator_id AND p.period_id = t.period_id"
    )
    # one grouping of the parts: the totals that disagree, and the weighted totals with
    # every part, whose mean is compared in Python's integers (one row per total)
    found = execute(
        f"SELECT COALESCE(({disagree}), 1 = 1), t.v_m, p.svw, p.sw {joined} "
        f"WHERE COALESCE(({disagree}), 1 = 1) "
        "OR (t.agg = 'weighted' AND p.cells >= t.expected)"
    )
    for disagrees, total, weighted_sum, n in found:
        if disagrees or weighted_sum is None or n is None or total is None:
            raise Unsure
        if abs(int(weighted_sum) - int(total) * int(n)) > DISAGREES_MICRO * int(n):
            raise Unsure
