"""Each answer takes a fixed, small number of queries, however many partners and periods it
covers: the grouping happens in the database."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.measurement import aggregation as engine

from .conftest import KINDS, generate, write_all

pytestmark = pytest.mark.integration

LAYOUT_QUERIES = 3  # groups, cells, the indicators' dimensions


def _counts(world, ind, *, periods, partners, layout=None) -> dict[str, int]:
    level = engine.Level(world.area, depth=1)
    asks = {
        "aggregate": lambda: engine.aggregate(
            ind, periods=periods, partners=partners, layout=layout
        ),
        "filtered": lambda: engine.aggregate(
            ind, periods=periods, partners=partners, groups=[world.g("area:north")], layout=layout
        ),
        "breakdown": lambda: engine.breakdown(
            ind, by=level, periods=periods, partners=partners, layout=layout
        ),
        "cross-tab": lambda: engine.breakdown(
            ind, by=[world.area, world.race], periods=periods, partners=partners, layout=layout
        ),
        "by_partner": lambda: engine.by_partner(
            ind, periods=periods, partners=partners, layout=layout
        ),
        "series": lambda: engine.series(ind, periods=periods, partners=partners, layout=layout),
    }
    counts = {}
    for name, ask in asks.items():
        with CaptureQueriesContext(connection) as queries:
            ask()
        counts[name] = len(queries)
    return counts


@pytest.mark.parametrize("kind", KINDS)
def test_queries_do_not_grow_with_partners_and_periods(world, kind):
    ind = world.by_cells[kind]
    rng = random.Random(kind)
    reports = generate(world, rng, indicators=[ind], periods=world.months, modes=("cells", "total"))
    write_all(world, rng, reports, statuses=("approved",))

    few = _counts(world, ind, periods=world.months[:1], partners=world.partners[:1])
    many = _counts(world, ind, periods=world.months, partners=None)

    assert few == many
    one = 1 + LAYOUT_QUERIES
    assert many == {
        "aggregate": one,
        "filtered": one,
        "breakdown": one,
        "cross-tab": one,
        "by_partner": one + 1,  # the partners themselves
        "series": one,
    }


def test_a_shared_layout_leaves_one_query_per_answer(world):
    ind = world.by_cells["stock"]
    rng = random.Random(3)
    write_all(world, rng, generate(world, rng, indicators=[ind], periods=world.months))
    layout = engine.Layout(ind.initiative_id)

    counts = _counts(world, ind, periods=world.months, partners=None, layout=layout)

    assert counts == {
        "aggregate": 1,
        "filtered": 1,
        "breakdown": 1,
        "cross-tab": 1,
        "by_partner": 2,
        "series": 1,
    }
