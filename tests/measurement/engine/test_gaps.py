"""Missing values are gaps, never zeros; only approved values count unless provisional ones
are asked for, and drafts and returned values never count."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from backbone.measurement import aggregation as engine
from backbone.measurement.approval import submission_approve, submission_submit
from backbone.measurement.models import DataValue

from .conftest import KINDS, numbers, row, submit

pytestmark = pytest.mark.integration

D = Decimal


@pytest.mark.parametrize("kind", KINDS)
def test_no_values_is_a_gap_not_a_zero(world, kind):
    for ind in (world.plain[kind], world.by_cells[kind]):
        result = engine.aggregate(ind, periods=world.months)

        assert result == engine.Result(value=None)
        assert (result.partners, result.values) == (0, 0)
        assert result.is_gap


def test_a_reported_zero_is_a_zero(world):
    ind = world.plain["sum"]
    submit(world, [row(ind, world.months[0], world.partners[0], value=0)])

    result = engine.aggregate(ind, periods=world.months[:1])

    assert result.value == D(0) and result.values == 1 and not result.is_gap


@pytest.mark.parametrize("kind", KINDS)
def test_a_period_with_only_unapproved_values_is_a_gap(world, kind):
    ind = world.plain[kind]
    jan, feb = world.months[:2]
    a = world.partners[0]
    rng = random.Random(kind)
    submit(world, [row(ind, jan, a, **numbers(kind, rng))], status="approved")
    submit(world, [row(ind, feb, a, **numbers(kind, rng))], status="submitted")

    points = engine.series(ind, periods=[jan, feb])

    assert points[0][1].value is not None
    assert points[1][1].value is None
    assert engine.aggregate(ind, periods=[feb]).value is None
    assert engine.aggregate(ind, periods=[feb], include_provisional=True).value is not None


def test_provisional_adds_submitted_values_but_never_drafts_or_returned(world):
    ind = world.plain["sum"]
    jan = world.months[0]
    a, b, c, d = world.partners
    submit(world, [row(ind, jan, a, value=1)], status="approved")
    submit(world, [row(ind, jan, b, value=10)], status="submitted")
    submit(world, [row(ind, jan, c, value=100)], status="draft")
    submit(world, [row(ind, jan, d, value=1000)], status="returned")

    assert engine.aggregate(ind, periods=[jan]).value == D(1)
    provisional = engine.aggregate(ind, periods=[jan], include_provisional=True)
    assert provisional.value == D(11) and provisional.partners == 2


def test_values_count_once_approved_through_the_approval_steps(world):
    ind = world.plain["sum"]
    jan = world.months[0]
    staff = world.cast.staff
    draft = submit(world, [row(ind, jan, world.partners[0], value=5)], status="draft")
    assert engine.aggregate(ind, periods=[jan], include_provisional=True).value is None

    submission_submit(submission=draft, by=world.cast.steward_a)
    assert engine.aggregate(ind, periods=[jan]).value is None
    assert engine.aggregate(ind, periods=[jan], include_provisional=True).value == D(5)

    submission_approve(submission=draft, by=staff)
    assert engine.aggregate(ind, periods=[jan]).value == D(5)


def test_a_corrected_value_replaces_the_old_one(world):
    ind = world.plain["sum"]
    jan = world.months[0]
    a = world.partners[0]
    submit(world, [row(ind, jan, a, value=5)])
    submit(world, [row(ind, jan, a, value=8)])

    assert engine.aggregate(ind, periods=[jan]).value == D(8)


def test_a_row_without_its_numbers_is_a_gap(world):
    ind = world.plain["weighted"]
    jan = world.months[0]
    a, b = world.partners[:2]
    submit(world, [row(ind, jan, a, value=200, weight=10)])
    submit(world, [row(ind, jan, b, value=100, weight=10)])
    DataValue.objects.filter(partner=b).update(weight=None)

    result = engine.aggregate(ind, periods=[jan])

    assert result.value == D(200) and result.partners == 1


def test_no_periods_or_no_partners_is_a_gap(world):
    ind = world.plain["sum"]
    submit(world, [row(ind, world.months[0], world.partners[0], value=5)])

    assert engine.aggregate(ind, periods=[]).value is None
    assert engine.aggregate(ind, periods=world.months, partners=[]).value is None
    assert engine.series(ind, periods=[]) == []
    assert all(r.value is None for r in engine.by_partner(ind, periods=[]).values())


def test_a_partner_without_values_is_a_gap(world):
    ind = world.plain["sum"]
    submit(world, [row(ind, world.months[0], world.partners[0], value=5)])

    assert engine.aggregate(ind, periods=world.months, partners=[world.partners[1]]).value is None
