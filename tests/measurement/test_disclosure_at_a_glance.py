"""Periods in which no atom is small are decided from the roll-ups' people, without their
cells: the decision is the one the cube would give, for rates, counts and averages alike."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backbone.measurement import aggregation as engine
from backbone.measurement.approval import submission_approve
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.privacy import disclosure
from tests.measurement.conftest import make_dimension, make_indicator, make_period
from tests.measurement.test_disclosure import INCOMES, PLACES, RACES, REPORTED_ON, THRESHOLD

pytestmark = pytest.mark.integration
ATOMS = list(itertools.product(RACES, INCOMES, REPORTED_ON))


@pytest.fixture
def indicators(cast):
    i = cast.initiative
    i.small_number_threshold = THRESHOLD
    i.save()
    dims = (
        make_dimension(i, "race", "Race", list(RACES)),
        make_dimension(i, "income", "Income", list(INCOMES)),
        make_dimension(i, "place", "Place", list(PLACES), is_geography=True),
    )
    return [
        make_indicator(i, "ready", "rate", dims, unit="percent", frequency="month"),
        make_indicator(i, "served", "sum", dims, unit="count", frequency="month"),
        make_indicator(i, "score", "weighted", dims, unit="score", frequency="month"),
    ]


def report(cast, indicators, period, people: dict, stand_in: int | None) -> None:
    """Each atom's people as every indicator counts them: a rate's denominator, a count's
    value, an average's n; the stand-in as partner B's total."""
    rows = []
    for ind in indicators:
        for (race, income, place), n in people.items():
            groups = {"race": race, "income": income, "place": place}
            rows.append(_row(ind, period, groups, n, cast.partner_a))
        if stand_in is not None:
            rows.append(_row(ind, period, {}, stand_in, cast.partner_b))
    intake = Intake(initiative=cast.initiative, by=cast.staff, channel="csv", many_partners=True)
    submission_approve(submission=intake.submit(rows, status="submitted"), by=cast.staff)


def _row(ind, period, groups, n, partner) -> Reported:
    numbers = {
        "rate": {"numerator": n // 2, "denominator": n},
        "sum": {"value": n},
        "weighted": {"value": 50, "weight": n},
    }[ind.aggregation]
    return Reported(
        indicator=ind.code,
        period=period.code,
        groups=groups,
        partner=partner.organisation.slug,
        **numbers,
    )


def people():
    return st.dictionaries(
        st.sampled_from(ATOMS),
        st.one_of(st.integers(1, 2 * THRESHOLD), st.integers(THRESHOLD, 400)),
        min_size=0,
        max_size=len(ATOMS),
    )


def test_a_period_decided_at_a_glance_is_decided_as_the_cube_decides(cast, indicators):
    months = itertools.count()

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(people(), st.one_of(st.none(), st.integers(1, 3 * THRESHOLD)))
    def attempt(cells, stand_in):
        if not cells and stand_in is None:
            return
        n = next(months)
        period = make_period(cast.initiative, "month", date(2000 + n // 12, n % 12 + 1, 1))
        report(cast, indicators, period, cells, stand_in)
        layout = engine.Layout(cast.initiative.pk)
        quick = disclosure.decisions(
            layout, indicators, [period], threshold=THRESHOLD, version=None
        )
        totals = engine.series_many(indicators, periods=[period], layout=layout)
        wanted = [(i, i.pk, period, period.pk) for i in indicators]
        cleared = disclosure._clear(layout, indicators, wanted, totals, THRESHOLD)
        table = engine.cells_many(indicators, periods=[period], layout=layout)
        for ind in indicators:
            rows = table.rows.get((ind.pk, period.pk), {})
            cube = disclosure.decide(
                layout,
                ind,
                {cid: sums.result(ind, partners=0) for cid, sums in rows.items()},
                totals[ind.pk][period.pk],
                threshold=THRESHOLD,
            )
            assert quick[(ind.pk, period.pk)] == cube
            small = [n for n in cells.values() if n < THRESHOLD]
            if not small and (stand_in is None or stand_in >= THRESHOLD):
                assert (ind.pk, period.pk) in cleared  # nothing small: no cell is read
            if small or (stand_in is not None and stand_in < THRESHOLD):
                assert (ind.pk, period.pk) not in cleared

    attempt()
