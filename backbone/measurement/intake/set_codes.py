"""The codes of a staged file, each looked up once however many rows carry it, by the row
intake's rules, into lookup tables the checks join: indicators with their rules, periods,
partners, reasons for a blank, and the cells of each combination of groups."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from backbone.initiatives.roles import PartnerStatus

from .. import missing
from ..models import Cell, Period
from .rows import IndicatorRules, accepted_range
from .sets import BOUND_MICRO, MICRO, Layout, Unsure, create, execute, symbol, text
from .staging import STAGE


def refuse_odd_cells(layout: Layout, where: str) -> None:
    """Formulas, a safe export's apostrophe, values without a header and GSS symbols in the
    value column: the row reader deals with each."""
    odd = [f"substr({c}, 1, 1) IN ('=', '''')" for c in layout.read_columns]
    odd += [f"{text(c)} <> ''" for c in layout.unnamed]
    if "value" in layout.fields:
        v = layout.fields["value"]
        odd.append(f"({v} LIKE '%[%' AND NOT {symbol(v)})")
    if execute(f"SELECT 1 FROM {STAGE} WHERE {where} AND ({' OR '.join(odd)}) LIMIT 1"):
        raise Unsure


def _distinct(expressions: list[str], where: str) -> list[tuple]:
    return execute(f"SELECT DISTINCT {', '.join(expressions)} FROM {STAGE} WHERE {where}")


def resolve_codes(intake, layout: Layout, where: str, period_problem) -> int | None:
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
