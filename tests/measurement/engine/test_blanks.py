"""A blank with a reason is a gap, never a zero: it adds nothing to a sum, a rate, a weighted
average or a stock, counts no partner and no value, and ends no stock's last value. Written
as a property: any reports answer the same with and without blanks beside them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backbone.measurement import aggregation as engine
from backbone.measurement.models import Cell, Missing

from .conftest import KINDS, RACES, World, rolled_back, row, submit
from .test_properties import EXAMPLES, NEIGHBOURHOODS, as_rows, reports

pytestmark = pytest.mark.integration

D = Decimal
NUMBERS = {
    "sum": {"value": 7},
    "rate": {"numerator": 3, "denominator": 4},
    "weighted": {"value": 200, "weight": 10},
    "stock": {"value": 7},
    "cumulative": {"value": 7},
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_partner_that_gave_only_a_reason_adds_nothing(world, kind):
    ind = world.plain[kind]
    jan = world.months[0]
    a, b = world.partners[:2]
    submit(world, [row(ind, jan, a, **NUMBERS[kind]), row(ind, jan, b, missing="suppressed")])

    result = engine.aggregate(ind, periods=[jan])
    per_partner = engine.by_partner(ind, periods=[jan])

    assert (result.partners, result.values) == (1, 1)
    expected = {"rate": D(75), "weighted": D(200)}.get(kind, D(7))
    assert result.value == expected
    assert per_partner[b].is_gap and per_partner[a].value == expected


@pytest.mark.parametrize("kind", KINDS)
def test_only_reasons_is_a_gap(world, kind):
    ind = world.by_cells[kind]
    jan = world.months[0]
    rows = [
        row(ind, jan, world.partners[0], {"area": n, "race": r}, missing="not_collected")
        for n, r in world.leaves
    ]
    submit(world, [*rows, row(ind, jan, world.partners[0], missing="not_collected")])

    assert engine.aggregate(ind, periods=[jan]) == engine.NO_DATA
    assert engine.series(ind, periods=[jan]) == [(jan, engine.NO_DATA)]
    assert all(r.is_gap for r in engine.breakdown(ind, by=world.race, periods=[jan]).values())


@pytest.mark.parametrize("kind", ["stock", "cumulative"])
def test_a_blank_month_does_not_end_a_stock(world, kind):
    ind = world.plain[kind]
    jan, feb = world.months[:2]
    a = world.partners[0]
    submit(world, [row(ind, jan, a, value=40), row(ind, feb, a, missing="not_collected")])

    assert engine.aggregate(ind, periods=[jan, feb]).value == D(40)


def test_a_total_stands_in_beside_cells_blank_with_a_reason(world):
    """Cells suppressed at the source leave the partner's total to speak for it."""
    ind = world.by_cells["sum"]
    jan = world.months[0]
    a = world.partners[0]
    cells = [row(ind, jan, a, {"area": "n1", "race": r}, missing="suppressed") for r in RACES]

    submit(world, [*cells, row(ind, jan, a, value=12)])

    assert engine.aggregate(ind, periods=[jan]).value == D(12)


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
        engine.series_many([ind], periods=months, layout=layout),
        _by_cell_key(engine.cells_many([ind], periods=months, layout=layout).rows),
    ]


def _by_cell_key(rows: dict) -> dict:
    """Cells keyed by their groups, not their ids: a cell made again after a rollback gets a
    new id on PostgreSQL, whose sequences do not roll back."""
    keys = dict(Cell.objects.values_list("pk", "key"))
    return {pair: {keys[c]: sums for c, sums in cells.items()} for pair, cells in rows.items()}


CELLS = st.one_of(st.none(), st.tuples(st.sampled_from(NEIGHBOURHOODS), st.sampled_from(RACES)))
BLANK_KEYS = st.sets(st.tuples(st.integers(0, 3), st.integers(0, 3), CELLS), min_size=1)


@pytest.mark.parametrize("kind", KINDS)
def test_blanks_with_a_reason_never_change_an_answer(world, kind):
    ind = world.by_cells[kind]

    @EXAMPLES
    @given(
        found=reports(kind=kind, totals=True),
        keys=BLANK_KEYS,
        reasons=st.lists(st.sampled_from(Missing.values), min_size=1),
        provisional=st.booleans(),
    )
    def check(found, keys, reasons, provisional):
        blanks = []
        for n, (partner, month, cell) in enumerate(sorted(keys, key=str)):
            if (partner, month, cell) in found:
                continue
            groups = {"area": cell[0], "race": cell[1]} if cell else None
            reason = reasons[n % len(reasons)]
            blanks.append(
                row(ind, world.months[month], world.partners[partner], groups, missing=reason)
            )
        rows = as_rows(world, kind, found)
        with rolled_back():
            submit(world, rows)
            without = _answers(world, kind)
        with rolled_back():
            submit(world, rows)
            if blanks:
                submit(world, blanks, status="submitted" if provisional else "approved")
            beside = _answers(world, kind)
        assert beside == without

    check()
