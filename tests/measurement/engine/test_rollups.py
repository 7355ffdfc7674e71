"""The roll-ups kept on write equal a rebuild from scratch after any sequence of writes —
reports of cells and totals, approvals, returns, corrections, drafts and deletions — and
the engine's answers read from them equal the answers over the value rows."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backbone.measurement import aggregation as engine
from backbone.measurement import rollups
from backbone.measurement.approval import submission_approve, submission_return
from backbone.measurement.models import ROLLUP_SUMS, DataValue, Rollup, Submission
from backbone.measurement.versions import values_changed

from .conftest import generate, rolled_back, submit

pytestmark = pytest.mark.integration

EXAMPLES = settings(
    max_examples=3,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STEPS = st.lists(
    st.tuples(
        st.sampled_from(("report", "report", "approve", "return", "correct", "delete")),
        st.integers(0, 2**32),
    ),
    min_size=1,
    max_size=5,
)


def kept(initiative_id: int) -> dict:
    """Every roll-up row of the initiative, its sums as exact decimals."""
    rows = (
        Rollup.objects.filter(initiative_id=initiative_id)
        .with_exact_sums()
        .values_list(
            "indicator_id",
            "period_id",
            "cell_id",
            "provisional",
            "value_count",
            "partner_count",
            *(f"x_{s}" for s in ROLLUP_SUMS),
        )
    )
    assert len(rows) == len(set(r[:4] for r in rows)), "one row per key"
    return {
        (ind, period, cell, provisional): (values, partners, *(Decimal(x or 0) for x in found))
        for ind, period, cell, provisional, values, partners, *found in rows
    }


def step(world, kind: str, seed: int) -> None:
    rng = random.Random(seed)
    pending = list(Submission.objects.filter(initiative=world.cast.initiative, status="submitted"))
    staff = world.cast.staff
    indicators = [*world.by_cells.values(), *world.plain.values()]
    if kind == "report" or (kind in ("approve", "return") and not pending):
        partners = rng.sample(world.partners, rng.randint(1, 2))
        periods = rng.sample(world.months, rng.randint(1, 2))
        chosen = rng.sample(indicators, rng.randint(1, 4))
        found = generate(world, rng, indicators=chosen, periods=periods, partners=partners)
        for rows in found.values():
            if rows:
                submit(world, rows, status=rng.choice(("approved", "submitted", "draft")))
    elif kind == "approve":
        submission_approve(submission=rng.choice(pending), by=staff)
    elif kind == "return":
        submission_return(submission=rng.choice(pending), by=staff, comment="Check it.")
    elif kind == "correct":
        # The same cells again with other numbers: values change in place, with history.
        values = list(DataValue.objects.filter(initiative=world.cast.initiative)[:40])
        if not values:
            return
        value = rng.choice(values)
        same = [
            v
            for v in values
            if (v.partner_id, v.period_id, v.indicator_id)
            == (value.partner_id, value.period_id, value.indicator_id)
        ]
        found = generate(
            world,
            rng,
            indicators=[value.indicator],
            periods=[value.period],
            partners=[value.partner],
        )
        rows = next(iter(found.values()), [])
        if rows and same:
            submit(world, rows, status="approved")
    elif kind == "delete":
        values = DataValue.objects.filter(initiative=world.cast.initiative)
        doomed = list(values.values_list("pk", "indicator_id", "period_id")[: rng.randint(1, 9)])
        DataValue.objects.filter(pk__in=[d[0] for d in doomed]).delete()
        values_changed(world.cast.initiative.pk, {(d[1], d[2]) for d in doomed})


@EXAMPLES
@given(steps=STEPS)
def test_rollups_kept_on_write_equal_a_rebuild(world, steps):
    initiative_id = world.cast.initiative.pk
    with rolled_back():
        for kind, seed in steps:
            step(world, kind, seed)
        incremental = kept(initiative_id)
        rollups.rebuild(initiative_id)
        assert kept(initiative_id) == incremental


@EXAMPLES
@given(seed=st.integers(0, 2**32))
def test_answers_from_rollups_equal_answers_from_values(world, seed):
    """`series_many` and `cells_many` read the roll-ups; `series` and `breakdown` read the
    value rows: for any reports they agree."""
    rng = random.Random(seed)
    indicators = [*world.by_cells.values(), *world.plain.values()]
    with rolled_back():
        found = generate(world, rng, indicators=indicators, periods=world.months[:3])
        for rows in found.values():
            if rows:
                submit(world, rows, status=rng.choice(("approved", "submitted")))
        layout = engine.Layout(initiative_id := world.cast.initiative.pk)
        for provisional in (False, True):
            many = engine.series_many(
                indicators, periods=world.months[:3], layout=layout, include_provisional=provisional
            )
            table = engine.cells_many(
                indicators, periods=world.months[:3], layout=layout, include_provisional=provisional
            )
            for ind in indicators:
                one = dict(
                    engine.series(
                        ind,
                        periods=world.months[:3],
                        layout=layout,
                        include_provisional=provisional,
                    )
                )
                for period in world.months[:3]:
                    expected = one.get(period, engine.NO_DATA)
                    assert many.get(ind.pk, {}).get(period.pk, engine.NO_DATA) == expected
                    if ind in world.by_cells.values():
                        by_race = engine.breakdown(
                            ind,
                            by=world.race,
                            periods=[period],
                            layout=layout,
                            include_provisional=provisional,
                        )
                        for (group,), result in by_race.items():
                            got = table.breakdown(ind, period, world.race)[group]
                            assert got == (result if result.is_gap else replace(result, partners=0))
        assert Rollup.objects.filter(initiative_id=initiative_id).exists()


def test_rebuild_command_recomputes_what_was_lost(world):
    rng = random.Random(7)
    indicators = [*world.by_cells.values(), *world.plain.values()]
    found = generate(world, rng, indicators=indicators, periods=world.months[:2])
    for rows in found.values():
        if rows:
            submit(world, rows)
    before = kept(world.cast.initiative.pk)
    assert before
    Rollup.objects.all().delete()
    assert engine.series_many(indicators, periods=world.months[:2]) == {}
    call_command("rebuild_rollups", world.cast.initiative.slug, stdout=open("/dev/null", "w"))
    assert kept(world.cast.initiative.pk) == before
