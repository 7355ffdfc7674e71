"""Each kind of aggregation, first on small examples worked by hand, then on random reports
checked against an independent pandas computation of the same stored values."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal, localcontext
from itertools import product

import pytest

from backbone.measurement import aggregation as engine
from backbone.measurement.models import Indicator
from tests.measurement.conftest import make_period

from .conftest import KINDS, NEIGHBOURHOODS, SIX, generate, row, submit, write_all
from .reference import Reference, as_tuple, frame

pytestmark = pytest.mark.integration

D = Decimal


def put(world, indicator, period, partner, *, groups=None, status="approved", **nums):
    return submit(world, [row(indicator, period, partner, groups, **nums)], status=status)


def test_rate_of_partners_with_different_denominators_is_recomputed_not_averaged(world):
    ind = world.plain["rate"]
    jan, feb = world.months[:2]
    a, b = world.partners[:2]
    put(world, ind, jan, a, numerator=9, denominator=10)  # 90%
    put(world, ind, jan, b, numerator=10, denominator=100)  # 10%

    result = engine.aggregate(ind, periods=[jan])

    assert result.value == D("17.272727")  # 19 / 110, not the mean of 90% and 10%
    assert (result.numerator, result.denominator, result.weight) == (D(19), D(110), D(110))
    assert (result.partners, result.values) == (2, 2)


def test_rate_over_several_periods_sums_numerators_and_denominators_in_time(world):
    ind = world.plain["rate"]
    jan, feb = world.months[:2]
    a = world.partners[0]
    put(world, ind, jan, a, numerator=9, denominator=10)
    put(world, ind, feb, a, numerator=1, denominator=90)

    assert engine.aggregate(ind, periods=[jan, feb]).value == D("10.000000")


def test_rate_per_thousand_uses_the_indicators_rate_per(world):
    ind = world.plain["rate"]
    ind.unit, ind.rate_per = "rate", 1000
    ind.save()
    put(world, ind, world.months[0], world.partners[0], numerator=3, denominator=400)

    assert engine.aggregate(ind, periods=world.months[:1]).value == D("7.500000")


def test_sum_adds_across_partners_and_periods(world):
    ind = world.plain["sum"]
    jan, feb = world.months[:2]
    a, b = world.partners[:2]
    put(world, ind, jan, a, value="10.5")
    put(world, ind, feb, a, value="2")
    put(world, ind, feb, b, value="7")

    assert engine.aggregate(ind, periods=[jan, feb]).value == D("19.5")
    assert engine.aggregate(ind, periods=[feb]).value == D("9")


def test_weighted_average_is_weighted_by_n_in_space_and_time(world):
    ind = world.plain["weighted"]
    jan, feb = world.months[:2]
    a, b = world.partners[:2]
    put(world, ind, jan, a, value=200, weight=10)
    put(world, ind, jan, b, value=300, weight=30)
    put(world, ind, feb, a, value=100, weight=10)

    assert engine.aggregate(ind, periods=[jan]).value == D("275")
    both = engine.aggregate(ind, periods=[jan, feb])
    assert both.value == D("240")  # (2,000 + 9,000 + 1,000) / 50
    assert both.weight == D("50") and both.numerator is None


def test_stock_takes_each_partners_latest_value_and_sums_across_partners(world):
    ind = world.plain["stock"]
    jan, feb, mar = world.months[:3]
    a, b = world.partners[:2]
    put(world, ind, jan, a, value=10)
    put(world, ind, feb, a, value=12)
    put(world, ind, jan, b, value=5)
    put(world, ind, mar, b, value=7)

    assert engine.aggregate(ind, periods=[jan, feb, mar]).value == D("19")  # 12 + 7
    assert engine.aggregate(ind, periods=[mar, jan]).value == D("17")  # order given is moot
    assert engine.aggregate(ind, periods=[jan]).value == D("15")
    assert engine.aggregate(ind, periods=[jan, feb, mar]).values == 2


def test_stock_by_cells_keeps_a_cells_last_value_when_a_later_month_skipped_it(world):
    ind = world.by_cells["stock"]
    jan, feb = world.months[:2]
    a = world.partners[0]
    submit(
        world,
        [
            row(ind, jan, a, {"area": "n1", "race": "black"}, value=4),
            row(ind, jan, a, {"area": "s1", "race": "white"}, value=6),
        ],
    )
    put(world, ind, feb, a, groups={"area": "n1", "race": "black"}, value=5)

    result = engine.aggregate(ind, periods=[jan, feb])

    assert result.value == D("11")  # n1 × black from February, s1 × white from January
    assert result.values == 2


def test_cumulative_takes_the_latest_running_total(world):
    ind = world.plain["cumulative"]
    jan, feb, mar = world.months[:3]
    a, b = world.partners[:2]
    for period, value in ((jan, 10), (feb, 25), (mar, 40)):
        put(world, ind, period, a, value=value)
    put(world, ind, jan, b, value=3)

    assert engine.aggregate(ind, periods=[jan, feb, mar]).value == D("43")
    assert [r.value for _, r in engine.series(ind, periods=[mar, jan, feb])] == [
        D("13"),
        D("25"),
        D("40"),
    ]


def test_total_stands_in_for_a_partner_that_reported_no_cells(world):
    ind = world.by_cells["sum"]
    jan = world.months[0]
    a, b = world.partners[:2]
    put(world, ind, jan, a, groups={"area": "n1", "race": "black"}, value=4)
    put(world, ind, jan, b, value=100)

    assert engine.aggregate(ind, periods=[jan]).value == D("104")
    assert engine.aggregate(ind, periods=[jan], groups=[world.g("area:north")]).value == D("4")
    parts = engine.breakdown(ind, by=world.race, periods=[jan])
    assert parts[(world.g("race:black"),)].value == D("4")
    assert sum(r.value for r in parts.values() if r.value is not None) == D("4")


def test_total_is_not_used_where_the_partner_gave_some_cells(world):
    ind = world.by_cells["sum"]
    jan = world.months[0]
    a = world.partners[0]
    submit(
        world,
        [
            row(ind, jan, a, {"area": "n1", "race": "black"}, value=4),
            row(ind, jan, a, value=10),  # the groups not given make up the other 6
        ],
    )

    assert engine.aggregate(ind, periods=[jan]).value == D("4")


def test_stock_total_stands_in_only_when_it_is_the_partners_newest_report(world):
    ind = world.by_cells["stock"]
    jan, feb, mar = world.months[:3]
    a, b = world.partners[:2]
    cell = {"area": "n1", "race": "black"}
    put(world, ind, jan, a, groups=cell, value=4)
    put(world, ind, feb, a, value=9)  # total only, newest for a
    put(world, ind, jan, b, value=50)  # total only
    put(world, ind, mar, b, groups=cell, value=6)  # cells, newest for b

    assert engine.aggregate(ind, periods=[jan, feb, mar]).value == D("15")  # 9 + 6
    assert engine.aggregate(ind, periods=[jan]).value == D("54")
    parts = engine.breakdown(ind, by=world.area, periods=[jan, feb, mar])
    assert parts[(world.g("area:n1"),)].value == D("10")  # cells only: 4 + 6


def test_cells_with_only_some_dimensions_are_ignored(world):
    ind = world.by_cells["sum"]
    jan = world.months[0]
    a = world.partners[0]
    submit(
        world,
        [
            row(ind, jan, a, {"area": "n1", "race": "black"}, value=4),
            row(ind, jan, a, {"race": "black"}, value=40),  # a race margin typed by hand
        ],
    )

    assert engine.aggregate(ind, periods=[jan]).value == D("4")
    assert engine.breakdown(ind, by=world.race, periods=[jan])[(world.g("race:black"),)].value == D(
        "4"
    )


def _checks(world, ind):
    """The questions asked of the random data: many periods, partners, filters, statuses."""
    months = world.months
    g = world.g
    period_sets = [months[:1], months, [months[4], months[1], months[2]]]
    partner_sets = [None, world.partners[:1], [world.partners[0].pk, world.partners[2].pk]]
    if ind.dimensions.exists():
        group_sets = [
            (),
            (g("area:north"),),
            (g("area:n1"), g("area:s2")),
            (g("area:north"), g("race:black")),
            (g("race:black"), g("race:latino")),
            (g("area:city"),),
        ]
    else:
        group_sets = [(), (g("race:black"),)]
    # Every filter with every partner choice; periods and statuses vary alongside rather than
    # multiplying, which keeps the test quick without leaving any of them out.
    return [
        (period_sets[i % 3], partners, groups, bool(i % 2))
        for i, (partners, groups) in enumerate(product(partner_sets, group_sets))
    ] + [(periods, None, (), True) for periods in period_sets]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_agrees_with_pandas_on_random_reports(world, kind):
    rng = random.Random(f"kinds-{kind}")
    indicators = [world.by_cells[kind], world.plain[kind]]
    write_all(world, rng, generate(world, rng, indicators=indicators, periods=world.months))
    for ind in indicators:
        layout = engine.Layout(ind.initiative_id)
        reference = Reference(ind)
        for periods, partners, groups, provisional in _checks(world, ind):
            ask = {
                "periods": periods,
                "partners": partners,
                "groups": groups,
                "include_provisional": provisional,
            }
            got = engine.aggregate(ind, layout=layout, **ask)
            want = reference.expected(
                periods=periods, partners=partners, groups=groups, provisional=provisional
            )
            assert as_tuple(got) == want[None], (ind.code, ask)
            if groups:
                continue
            per_partner = engine.by_partner(ind, layout=layout, **ask)
            want = reference.expected(
                periods=periods, partners=partners, provisional=provisional, per="partner_id"
            )
            for partner, result in per_partner.items():
                assert as_tuple(result) == want.get(partner.pk, as_tuple(engine.NO_DATA))
            per_period = engine.series(ind, layout=layout, **ask)
            want = reference.expected(
                periods=periods, partners=partners, provisional=provisional, per="period_id"
            )
            assert [p.start for p, _ in per_period] == sorted(p.start for p in periods)
            for period, result in per_period:
                assert as_tuple(result) == want.get(period.pk, as_tuple(engine.NO_DATA))


def _axes(world):
    """Breakdowns asked of the random data, each with the reference's way to the same key."""
    layout = engine.Layout(world.cast.initiative.pk)
    area, race = world.area.pk, world.race.pk
    north = world.g("area:north").pk

    def at_depth(depth):
        def key(gs):
            chain = layout.ancestors_or_self(gs[area])
            return chain[-1 - depth] if len(chain) > depth else None

        return key

    def under_north(gs):
        chain = layout.ancestors_or_self(gs[area])
        return chain[chain.index(north) - 1] if north in chain[1:] else None

    def tupled(*parts):
        def key(gs):
            found = tuple(part(gs) for part in parts)
            return None if None in found else found

        return key

    def plain(dim):
        return lambda gs: gs[dim]

    return [
        (world.area, tupled(plain(area))),
        (world.race, tupled(plain(race))),
        (engine.Level(world.area, depth=1), tupled(at_depth(1))),
        (engine.Level(world.area, depth=0), tupled(at_depth(0))),
        (engine.Level.below(world.g("area:north")), tupled(under_north)),
        ([engine.Level(world.area, depth=1), world.race], tupled(at_depth(1), plain(race))),
        ([world.race, world.area], tupled(plain(race), plain(area))),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_breakdowns_of_every_kind_agree_with_pandas_on_random_reports(world, kind):
    rng = random.Random(f"breakdowns-{kind}")
    ind = world.by_cells[kind]
    write_all(world, rng, generate(world, rng, indicators=[ind], periods=world.months))
    layout = engine.Layout(ind.initiative_id)
    reference = Reference(ind)
    months = world.months
    questions = [
        {"periods": months},
        {"periods": months[2:3], "include_provisional": True},
        {"periods": months[:4], "partners": world.partners[1:3]},
        {"periods": months, "groups": (world.g("race:black"), world.g("area:south"))},
    ]
    for by, key in _axes(world):
        for ask in questions:
            got = engine.breakdown(ind, by=by, layout=layout, **ask)
            want = reference.expected(
                periods=ask["periods"],
                partners=ask.get("partners"),
                groups=ask.get("groups", ()),
                provisional=ask.get("include_provisional", False),
                key=key,
            )
            got_by_ids = {tuple(g.pk for g in k): as_tuple(r) for k, r in got.items()}
            assert set(want) <= set(got_by_ids), (by, ask)
            for k, answer in got_by_ids.items():
                assert answer == want.get(k, as_tuple(engine.NO_DATA)), (by, ask, k)


def test_random_reports_were_varied_enough_to_test_something(world):
    """Guards the test above: its random reports do hold gaps, stand-in totals, several
    statuses and values for every partner."""
    rng = random.Random("kinds-sum")
    ind = world.by_cells["sum"]
    write_all(
        world, rng, generate(world, rng, indicators=[ind, world.plain["sum"]], periods=world.months)
    )
    stored = frame(ind)
    assert set(stored["status"]) == {"approved", "submitted", "returned", "draft"}
    assert stored["partner_id"].nunique() == 4
    assert (stored["cell__key"] == "").sum() > 0
    everything = engine.aggregate(ind, periods=world.months)
    assert everything.partners == 4 and everything.value > 0


def test_stock_follows_dates_not_the_order_periods_were_created_in(world):
    ind = world.plain["stock"]
    jan = world.months[0]
    december = make_period(world.cast.initiative, "month", date(2023, 12, 1))  # made last
    a = world.partners[0]
    put(world, ind, december, a, value=99)
    put(world, ind, jan, a, value=5)

    assert engine.aggregate(ind, periods=[jan, december]).value == D(5)
    assert engine.aggregate(ind, periods=[december]).value == D(99)
    points = engine.series(ind, periods=[jan, december])
    assert [p.code for p, _ in points] == ["2023-12", "2024-01"]


@pytest.mark.parametrize("kind", ["stock", "cumulative"])
def test_latest_total_when_no_partner_ever_gave_cells(world, kind):
    ind = world.by_cells[kind]
    jan, feb, mar = world.months[:3]
    a, b = world.partners[:2]
    put(world, ind, jan, a, value=10)
    put(world, ind, feb, a, value=12)
    put(world, ind, mar, b, value=3)

    assert engine.aggregate(ind, periods=[jan, feb, mar]).value == D(15)
    assert {p.pk: r.value for p, r in engine.by_partner(ind, periods=[jan, feb]).items()}[
        a.pk
    ] == D(12)
    assert all(
        r.value is None for r in engine.breakdown(ind, by=world.race, periods=[jan, feb]).values()
    )


# --- exact sums ------------------------------------------------------------------------------


def _fifteen_digits(rng: random.Random) -> Decimal:
    """A number with fifteen significant digits, six of them decimals: 123456789.123456."""
    return D(rng.randint(10**14, 10**15 - 1)).scaleb(-6)


def _long_numbers(kind: str, rng: random.Random) -> dict:
    if kind == "rate":
        den = _fifteen_digits(rng)
        return {"numerator": den - D(rng.randint(0, 10**13)).scaleb(-6), "denominator": den}
    if kind == "weighted":
        return {"value": _fifteen_digits(rng), "weight": _fifteen_digits(rng)}
    return {"value": _fifteen_digits(rng)}


def _exact(kind: str, parts: list[dict], rate_per: int = 100) -> tuple:
    """(value, numerator, denominator, weight) of `parts` summed in decimal, as a Result
    holds them: the reference the engine's sums must equal to the last digit."""
    with localcontext() as ctx:
        ctx.prec = 60
        if kind == "rate":
            num = sum(p["numerator"] for p in parts)
            den = sum(p["denominator"] for p in parts)
            return ((num * rate_per / den).quantize(SIX), num, den, den)
        if kind == "weighted":
            n = sum(p["weight"] for p in parts)
            value = sum(p["value"] * p["weight"] for p in parts) / n
            return (value.quantize(SIX), None, None, n)
        return (sum(p["value"] for p in parts), None, None, None)


def _as_exact(result) -> tuple:
    return (result.value, result.numerator, result.denominator, result.weight)


@pytest.fixture
def long_numbers(world):
    """Every partner reports every cell of every kind in three months with numbers of fifteen
    significant digits: their totals run to eighteen, past what a float adds exactly."""
    rng = random.Random("exact")
    months = world.months[:3]
    reported = {kind: [] for kind in KINDS}  # kind → (period, partner, area, numbers)
    for partner, period in product(world.partners, months):
        rows = []
        for kind, (area, race) in product(KINDS, world.leaves):
            nums = _long_numbers(kind, rng)
            reported[kind].append((period, partner, area, nums))
            rows.append(
                row(world.by_cells[kind], period, partner, {"area": area, "race": race}, **nums)
            )
        submit(world, rows)
    return months, reported


def _expected(kind: str, found: list, *, periods, partner=None, areas=None) -> tuple:
    """The exact answer over some of the reported rows; stocks and running totals take the
    latest of the periods."""
    if kind in ("stock", "cumulative"):
        periods = [max(periods, key=lambda p: p.start)]
    chosen = [
        nums
        for period, by, area, nums in found
        if period in periods
        and (partner is None or by == partner)
        and (areas is None or area in areas)
    ]
    return _exact(kind, chosen)


@pytest.mark.parametrize("kind", KINDS)
def test_sums_are_exact_to_the_last_digit(world, long_numbers, kind):
    months, reported = long_numbers
    ind, found = world.by_cells[kind], reported[kind]

    assert _as_exact(engine.aggregate(ind, periods=months)) == _expected(
        kind, found, periods=months
    )
    for period, result in engine.series(ind, periods=months):
        assert _as_exact(result) == _expected(kind, found, periods=[period]), period.code
    for partner, result in engine.by_partner(ind, periods=months).items():
        assert _as_exact(result) == _expected(kind, found, periods=months, partner=partner)
    north = engine.breakdown(ind, by=engine.Level(world.area, depth=1), periods=months)
    for (district,), result in north.items():
        areas = NEIGHBOURHOODS[district.key]
        assert _as_exact(result) == _expected(kind, found, periods=months, areas=areas)


def test_sums_of_many_indicators_are_exact_to_the_last_digit(world, long_numbers):
    months, reported = long_numbers
    indicators = [world.by_cells[kind] for kind in KINDS]

    series = engine.series_many(indicators, periods=months)
    table = engine.cells_many(indicators, periods=months)
    for kind, period in product(("sum", "rate", "weighted"), months):
        ind, found = world.by_cells[kind], reported[kind]
        assert _as_exact(series[ind.pk][period.pk]) == _expected(kind, found, periods=[period])
        by_area = table.breakdown(ind, period, engine.Level(world.area, depth=1))
        for district, result in by_area.items():
            areas = NEIGHBOURHOODS[district.key]
            expected = _expected(kind, found, periods=[period], areas=areas)
            assert _as_exact(result) == expected, (kind, period.code, district.key)


EDGES = [
    "1073741823.99999",  # just below 2^30: added in SQL as whole part and millionths
    "1073741824.5",  # from 2^30 up: added in Python
    "-1073741824.25",
    "99999999999999",
    "-99999999999999",
    "0.000001",
    "-0.000001",
    "123456789.123456",
    "-0.5",
    "2147483647",
    "3037000499",
]


@pytest.mark.parametrize("kind", ["sum", "weighted"])
def test_sums_are_exact_across_every_way_sqlite_adds(world, kind):
    """Whole numbers, fractions, large and small, positive and negative, in one sum, and
    their products with large and small n."""
    ind, period = world.by_cells[kind], world.months[0]
    Indicator.objects.filter(pk=ind.pk).update(minimum=D("-99999999999999"))
    slots = product(world.partners, world.leaves)
    reported = []
    rows = []
    for value, weight, (partner, (area, race)) in zip(
        EDGES * 2, ["1", "2", "3037000499", "0.5", "-1"] * 5, slots, strict=False
    ):
        nums = {"value": D(value)} | ({"weight": abs(D(weight))} if kind == "weighted" else {})
        reported.append((period, partner, area, nums))
        rows.append(row(ind, period, partner, {"area": area, "race": race}, **nums))
    submit(world, rows)

    assert _as_exact(engine.aggregate(ind, periods=[period])) == _expected(
        kind, reported, periods=[period]
    )
