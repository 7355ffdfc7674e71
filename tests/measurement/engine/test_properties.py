"""Properties that hold for any reports: parts add up to their total, and the answers do not
depend on the order of the rows or on how they were split into files.

Each example writes its reports inside a savepoint that is rolled back at its end, so the
examples of one test share the world (partners, places, indicators) but never each other's
values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backbone.measurement import aggregation as engine

from .conftest import KINDS, RACES, World, rolled_back, row, submit

pytestmark = pytest.mark.integration

NEIGHBOURHOODS = ("n1", "n2", "s1", "s2", "s3")
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def numbers_for(kind: str):
    if kind == "rate":
        return st.integers(1, 80).flatmap(
            lambda den: st.fixed_dictionaries(
                {"numerator": st.integers(0, den), "denominator": st.just(den)}
            )
        )
    if kind == "weighted":
        return st.fixed_dictionaries({"value": st.integers(0, 500), "weight": st.integers(1, 50)})
    return st.fixed_dictionaries({"value": st.decimals(min_value=0, max_value=5000, places=2)})


@st.composite
def reports(draw, *, kind: str, totals: bool):
    """{(partner index, month index, cell or None for the total): numbers}. With `totals`,
    some (partner, month) pairs report their total only."""
    keys = draw(
        st.sets(
            st.tuples(
                st.integers(0, 3),
                st.integers(0, 3),
                st.tuples(st.sampled_from(NEIGHBOURHOODS), st.sampled_from(RACES)),
            ),
            min_size=1,
            max_size=18,
        )
    )
    found = {key: draw(numbers_for(kind)) for key in keys}
    if totals:
        pairs = draw(st.sets(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=4))
        for partner, month in pairs:
            if not any(k[:2] == (partner, month) for k in found):
                found[(partner, month, None)] = draw(numbers_for(kind))
    return found


def as_rows(world: World, kind: str, found: dict) -> list:
    ind = world.by_cells[kind]
    out = []
    for (partner, month, cell), nums in found.items():
        groups = {"area": cell[0], "race": cell[1]} if cell else None
        out.append(row(ind, world.months[month], world.partners[partner], groups, **nums))
    return out


def _sum(results, field):
    picked = [getattr(r, field) for r in results if getattr(r, field) is not None]
    return sum(picked, Decimal(0)) if picked else None


def assert_parts_make_the_whole(kind, whole, parts):
    """Sums, stocks and running totals add up; rates add up their numerators and
    denominators; weighted averages their n."""
    parts = list(parts)
    if kind == "rate":
        assert _sum(parts, "numerator") == whole.numerator
        assert _sum(parts, "denominator") == whole.denominator
    elif kind == "weighted":
        assert _sum(parts, "weight") == whole.weight
        spread = _sum([p for p in parts if p.value is not None], "weight") or 0
        weighted = sum((p.value * p.weight for p in parts if p.value is not None), Decimal(0))
        if whole.value is not None:
            assert abs(weighted - whole.value * whole.weight) <= spread * Decimal("0.000001")
    else:
        assert _sum(parts, "value") == whole.value
    assert sum(p.values for p in parts) == whole.values


@pytest.mark.parametrize("kind", KINDS)
def test_parts_add_up_to_their_total(world, kind):
    level = engine.Level(world.area, depth=1)
    axes = [world.race, world.area, level, [level, world.race], [world.race, world.area]]

    @EXAMPLES
    @given(found=reports(kind=kind, totals=False), months=st.integers(1, 4))
    def check(found, months):
        with rolled_back():
            submit(world, as_rows(world, kind, found))
            ind = world.by_cells[kind]
            periods = world.months[:months]
            layout = engine.Layout(ind.initiative_id)
            whole = engine.aggregate(ind, periods=periods, layout=layout)
            for by in axes:
                parts = engine.breakdown(ind, by=by, periods=periods, layout=layout)
                assert_parts_make_the_whole(kind, whole, parts.values())
            per_partner = engine.by_partner(ind, periods=periods, layout=layout)
            assert_parts_make_the_whole(kind, whole, per_partner.values())
            north = world.g("area:north")
            south = world.g("area:south")
            halves = [
                engine.aggregate(ind, periods=periods, groups=[g], layout=layout)
                for g in (north, south)
            ]
            assert_parts_make_the_whole(kind, whole, halves)
            if kind in ("sum", "rate", "weighted"):  # these add across time too
                points = [r for _, r in engine.series(ind, periods=periods, layout=layout)]
                assert_parts_make_the_whole(kind, whole, points)

    check()


def _answers(world: World, kind: str) -> list:
    ind = world.by_cells[kind]
    layout = engine.Layout(ind.initiative_id)
    months = world.months[:4]
    level = engine.Level(world.area, depth=1)
    return [
        engine.aggregate(ind, periods=months, layout=layout),
        engine.aggregate(ind, periods=months[1:3], include_provisional=True, layout=layout),
        engine.aggregate(ind, periods=months, groups=[world.g("race:black")], layout=layout),
        engine.breakdown(ind, by=[level, world.race], periods=months, layout=layout),
        {p.pk: r for p, r in engine.by_partner(ind, periods=months, layout=layout).items()},
        engine.series(ind, periods=months, layout=layout),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_answers_do_not_depend_on_row_order_or_files(world, kind):
    @EXAMPLES
    @given(
        found=reports(kind=kind, totals=True),
        order=st.randoms(use_true_random=False),
        files=st.integers(1, 4),
    )
    def check(found, order, files):
        rows = as_rows(world, kind, found)
        with rolled_back():
            submit(world, rows)
            in_one = _answers(world, kind)
        shuffled = rows[:]
        order.shuffle(shuffled)
        with rolled_back():
            for i in range(files):
                batch = shuffled[i::files]
                if batch:
                    submit(world, batch)
            in_many = _answers(world, kind)
        assert in_one == in_many

    check()
