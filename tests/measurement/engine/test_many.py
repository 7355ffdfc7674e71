"""The answers for many indicators at once equal the one-indicator answers, on random reports
of every kind (cells, totals standing in, partial cells, every status), in a fixed number of
queries."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.measurement import aggregation as engine
from tests.conftest import build_cast
from tests.measurement.conftest import build_measured
from tests.snapshots import once_per_session

from .conftest import KINDS, World, build_world, generate, write_all

pytestmark = pytest.mark.integration


def _reported_world() -> tuple[World, list]:
    cast = build_cast()
    world = build_world(cast, build_measured(cast))
    rng = random.Random(11)
    indicators = [*world.by_cells.values(), *world.plain.values()]
    write_all(world, rng, generate(world, rng, indicators=indicators, periods=world.months))
    return world, indicators


reported_world = once_per_session(_reported_world)


@pytest.fixture
def world_and_reported(db, reported_world) -> tuple[World, list]:
    """The world with random reports of every kind, built once a session."""
    return reported_world.restore()


@pytest.fixture
def world(world_and_reported) -> World:
    return world_and_reported[0]


@pytest.fixture
def reported(world_and_reported) -> list:
    return world_and_reported[1]


@pytest.mark.parametrize("provisional", [False, True])
def test_series_of_many_indicators_equals_each_series(world, reported, provisional):
    found = engine.series_many(reported, periods=world.months, include_provisional=provisional)
    for ind in reported:
        one = engine.series(ind, periods=world.months, include_provisional=provisional)
        assert {p.pk: r for p, r in one if not r.is_gap} == found.get(ind.pk, {}), ind.code


@pytest.mark.parametrize("kind", KINDS)
def test_cell_table_breakdowns_equal_each_breakdown(world, reported, kind):
    ind = world.by_cells[kind]
    table = engine.cells_many(reported, periods=world.months)
    for axis in (world.area, world.race, engine.Level(world.area, depth=1)):
        for period in world.months:
            one = engine.breakdown(ind, by=axis, periods=[period])
            many = table.breakdown(ind, period, axis)
            assert list(many) == [key[0] for key in one]
            for (group,), result in one.items():
                expected = result if result.is_gap else replace(result, partners=0)
                assert many[group] == expected, (axis, period.code, group.key)


def test_many_indicators_take_a_fixed_number_of_queries(world, reported):
    layout = engine.Layout(world.cast.initiative.pk)
    with CaptureQueriesContext(connection) as queries:
        engine.series_many(reported, periods=world.months, layout=layout)
        engine.cells_many(reported, periods=world.months[-2:], layout=layout)
    assert len(queries) == 2  # one read of the roll-ups each
    assert all("measurement_rollup" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("kind", KINDS)
def test_cell_table_cross_tabs_equal_each_cross_tab_breakdown(world, reported, kind):
    ind = world.by_cells[kind]
    table = engine.cells_many(reported, periods=world.months)
    for period in world.months:
        one = engine.breakdown(ind, by=[world.area, world.race], periods=[period])
        many = table.cross_tab(ind, period, world.area, world.race)
        assert list(many) == list(one)
        for key, result in one.items():
            assert many[key] == (result if result.is_gap else replace(result, partners=0))


@pytest.mark.parametrize("seed", range(4))
def test_cells_of_some_pairs_are_those_pairs_of_every_cell(world, reported, seed):
    """Read for chosen (indicator, period) pairs, the cell table holds exactly those pairs'
    cells, each as the full table has it, in one query."""
    layout = engine.Layout(world.cast.initiative.pk)
    full = engine.cells_many(reported, periods=world.months, layout=layout).rows
    rng = random.Random(seed)
    everything = [(i.pk, p.pk) for i in reported for p in world.months]
    chosen = set(rng.sample(everything, rng.randint(1, len(everything) // 2)))
    with CaptureQueriesContext(connection) as queries:
        some = engine.cells_many(reported, periods=world.months, layout=layout, pairs=chosen)
    some = some.rows
    assert len(queries) == 1
    assert some == {pair: cells for pair, cells in full.items() if pair in chosen}
    assert some, "the chosen pairs hold cells"
