"""The set-based intake: a staged file (`intake.staging`) checked in SQL, as sets, and
written by INSERT … SELECT — the same checks as the row-by-row intake, at the database's
speed.

Each code a file uses (indicator, period, partner, groups, reason for a blank) is looked up
once, however many rows carry it; the numbers are checked in SQL as whole millionths
(integers: exact on both databases), every row at once; duplicates and totals against their
parts by GROUP BY. What the set-based checks do not settle with certainty — a problem of
any kind, a number written in a way people write it ("1,234", "45 %"), a code with spaces
around it — raises `Unsure`, and the caller hands the file to the row-by-row reader,
which names every problem (file, row, column, reason) in the same words as before. The
set-based path therefore accepts exactly what the row reader accepts and stores the same
numbers; what it refuses, the row reader explains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.db import DatabaseError, connection

from backbone.initiatives.roles import PartnerStatus

from .. import missing
from ..models import Cell, Period
from .rows import IndicatorRules, accepted_range
from .staging import STAGE, column

MICRO = 1_000_000
TOO_LARGE_MICRO = 10**14 * MICRO  # a stored number is below 10^14
DISAGREES_MICRO = 50_000  # a rate's value may differ from numerator / denominator by 0.05
BOUND_MICRO = 4 * 10**18  # beyond every number the set-based checks take (12 digits)
ROWS = "intake_rows"
LOOKUPS = (
    "intake_indicators",
    "intake_periods",
    "intake_partners",
    "intake_reasons",
    "intake_cells",
)
#: A number the set-based checks read: twelve digits at most, six decimal places at most.
NUMBER_PATTERN = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$"
VALUE_FIELDS = ("value", "numerator", "denominator", "n")
SHORT = {"value": "v", "numerator": "num", "denominator": "den", "n": "w"}


class Unsure(Exception):
    """The set-based checks leave this file to the row-by-row reader."""


@dataclass(frozen=True)
class Layout:
    """Where each field is in the staging table."""

    fields: dict[str, str]  # field → staging column
    dimensions: list[tuple[str, str]]  # (dimension key, staging column), in the file's order
    unnamed: list[str]

    @classmethod
    def of(
        cls,
        header: list[str],
        *,
        fields: dict[str, str],
        dimensions: dict[str, str],
        unnamed: tuple[str, ...],
    ) -> Layout:
        """From the file's header and which of its columns carries which field."""
        at = {name: column(i) for i, name in enumerate(header)}
        return cls(
            fields={f: at[name] for f, name in fields.items()},
            dimensions=[(key, at[name]) for key, name in dimensions.items()],
            unnamed=[at[name] for name in unnamed],
        )

    @property
    def value_columns(self) -> list[str]:
        return [self.fields[f] for f in (*VALUE_FIELDS, "missing") if f in self.fields]

    @property
    def read_columns(self) -> list[str]:
        keys = [self.fields[f] for f in ("indicator", "period", "partner") if f in self.fields]
        return keys + [c for _, c in self.dimensions] + self.value_columns


def text(c: str | None) -> str:
    """A staged column's text; '' for a field the file does not have."""
    return c or "''"


def kept(layout: Layout) -> str:
    """The rows the row reader keeps: those with a value or a reason for its absence."""
    return "(" + " OR ".join(f"trim({text(c)}) <> ''" for c in layout.value_columns) + ")"


def execute(sql: str, params=None) -> list[tuple]:
    """Run one statement; its rows, if it returns any. Without parameters the SQL is sent
    as written (a LIKE's % is no placeholder)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


def create(table: str, columns: str, rows: list[tuple]) -> None:
    execute(f"DROP TABLE IF EXISTS {table}")
    execute(f"CREATE TEMP TABLE {table} ({columns})")
    if rows:
        marks = ", ".join(["%s"] * len(rows[0]))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    analyze(table)


def analyze(table: str) -> None:
    """Give PostgreSQL's planner the size of a temporary table, which autovacuum never
    looks at: without it, a join of a million staged rows to a lookup of fifty may be
    planned as a loop over both."""
    if connection.vendor == "postgresql":
        execute(f"ANALYZE {table}")


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
    _refuse_odd_cells(layout, where)
    cells = dict(intake.catalogue.cells)
    try:
        total_cell = _resolve_codes(intake, layout, where, period_problem)
        _build_rows(intake, layout, where, total_cell)
        _check_numbers()
        _check_together()
    except (Unsure, DatabaseError):
        intake.catalogue.cells.clear()
        intake.catalogue.cells.update(cells)
        raise Unsure from None


def _refuse_odd_cells(layout: Layout, where: str) -> None:
    """Formulas, a safe export's apostrophe, values without a header and GSS symbols in the
    value column: the row reader deals with each."""
    odd = [f"substr({c}, 1, 1) IN ('=', '''')" for c in layout.read_columns]
    odd += [f"{text(c)} <> ''" for c in layout.unnamed]
    if "value" in layout.fields:
        v = layout.fields["value"]
        odd.append(f"({v} LIKE '%[%' AND NOT {_symbol(v)})")
    if execute(f"SELECT 1 FROM {STAGE} WHERE {where} AND ({' OR '.join(odd)}) LIMIT 1"):
        raise Unsure


def _symbol(c: str) -> str:
    """Whether a staged cell holds a GSS symbol for a blank: [x], [c] or [z]."""
    signs = ", ".join(f"'{sign}'" for sign in missing.SYMBOLS)
    return f"(lower(trim({c})) IN ({signs}))"


def _distinct(expressions: list[str], where: str) -> list[tuple]:
    return execute(f"SELECT DISTINCT {', '.join(expressions)} FROM {STAGE} WHERE {where}")


def _resolve_codes(intake, layout: Layout, where: str, period_problem) -> int | None:
    """Each distinct code once, by the row intake's rules, into a lookup table. The id of
    the total's cell when the file has no groups."""
    cat = intake.catalogue
    f = layout.fields
    indicators: dict[str, IndicatorRules] = {}
    for (raw,) in _distinct([text(f["indicator"])], where):
        rules = cat.indicators.get(raw.strip())
        if rules is None:
            raise Unsure
        indicators[raw] = rules
    create(
        "intake_indicators",
        "raw text, indicator_id bigint, agg text, rate_per bigint, low_m bigint, "
        "high_m bigint, is_prop integer, n_dims integer, expected bigint, all_required integer",
        [(raw, *_rules_row(cat, rules)) for raw, rules in indicators.items()],
    )
    periods = []
    for (raw,) in _distinct([text(f["period"])], where):
        code = raw.strip()
        found = cat.periods.get(code)
        if not code or period_problem(code) or found is None or found[1] != Period.Status.OPEN:
            raise Unsure
        periods.append((raw, found[0]))
    create("intake_periods", "raw text, period_id bigint", periods)
    if "partner" in f:
        partners = []
        for (raw,) in _distinct([text(f["partner"])], where):
            partners.append((raw, _partner_id(intake, raw.strip())))
        create("intake_partners", "raw text, partner_id bigint", partners)
    elif intake.partner is None:
        raise Unsure
    if "missing" in f:
        reasons = []
        for (raw,) in _distinct([text(f["missing"])], where):
            code = "" if missing.is_blank(raw) else missing.reason_code(raw)
            if code is None:
                raise Unsure
            reasons.append((raw, code))
        create("intake_reasons", "raw text, code text", reasons)
    if layout.dimensions:
        combos = _distinct([text(f["indicator"])] + [text(c) for _, c in layout.dimensions], where)
        keys = {combo: _cell_key(cat, indicators[combo[0]], layout, combo[1:]) for combo in combos}
        ids = intake.ensure_cells(set(keys.values()))
        create(
            "intake_cells",
            "raw text, "
            + ", ".join(f"g{i} text" for i in range(len(layout.dimensions)))
            + ", cell_id bigint, n_groups integer",
            [(*combo, ids[key], len(key.split(".")) if key else 0) for combo, key in keys.items()],
        )
        return None
    return intake.ensure_cells({""})[""]


def _rules_row(cat, rules: IndicatorRules) -> tuple:
    low, high = accepted_range(rules)
    expected = 1
    for d in rules.dimensions:
        expected *= cat.leaf_counts[d]
    return (
        rules.id,
        rules.aggregation,
        rules.rate_per,
        None if low is None else _bounded(low * MICRO, ROUND_CEILING),
        None if high is None else _bounded(high * MICRO, ROUND_FLOOR),
        int(rules.is_proportion),
        len(rules.dimensions),
        expected,
        int(rules.all_cells_required),
    )


def _bounded(micro: Decimal, rounding: str) -> int:
    """A bound in whole millionths (a value in millionths is below it exactly when below
    the bound itself), kept within what the checked numbers can reach."""
    whole = int(micro.to_integral_value(rounding=rounding))
    return max(-BOUND_MICRO, min(BOUND_MICRO, whole))


def _partner_id(intake, slug: str) -> int:
    if not slug:
        if intake.partner is None:
            raise Unsure
        return intake.partner.pk
    found = intake.catalogue.partners.get(slug)
    if found is None:
        raise Unsure
    if not intake.many_partners and found[0] != (intake.partner.pk if intake.partner else None):
        raise Unsure
    if found[1] != PartnerStatus.ACTIVE:
        raise Unsure
    return found[0]


def _cell_key(cat, rules: IndicatorRules, layout: Layout, groups: tuple) -> str:
    ids = []
    for (dim_key, _), raw in zip(layout.dimensions, groups, strict=True):
        key = raw.strip()
        if not key:
            continue
        group = cat.groups.get((dim_key, key))
        if dim_key not in rules.dimensions or group is None:
            raise Unsure
        ids.append(group)
    return Cell.key_for(ids)


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
        symbol = _symbol(f["value"])
        codes = " ".join(f"WHEN '{sign}' THEN '{code}'" for sign, code in missing.SYMBOLS.items())
        reason = (
            f"CASE WHEN {symbol} AND {reason} = '' "
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
            blank = f"CASE WHEN {c} = '' OR {_symbol(c)} THEN 1 ELSE 0 END"
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
    if execute(f"SELECT 1 {joined} WHERE COALESCE(({disagree}), 1 = 1) LIMIT 1"):
        raise Unsure
    # the n-weighted mean, in Python's integers: one row per total, not per value
    means = execute(
        f"SELECT t.v_m, p.svw, p.sw {joined} WHERE t.agg = 'weighted' AND p.cells >= t.expected"
    )
    for total, weighted_sum, n in means:
        if weighted_sum is None or n is None or total is None:
            raise Unsure
        if abs(int(weighted_sum) - int(total) * int(n)) > DISAGREES_MICRO * int(n):
            raise Unsure
