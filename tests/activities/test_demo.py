"""The demo's activities: about forty, with the two gaps and two overlaps the demo shows."""

from __future__ import annotations

import pytest

from backbone.activities.demo import activities_demo
from backbone.activities.selectors import alignment_of

pytestmark = pytest.mark.integration


@pytest.fixture
def demo(demo):
    return demo, activities_demo(initiative=demo)


def test_activities_demo_builds_about_forty_for_many_partners(demo):
    _, made = demo
    assert 35 <= len(made) <= 45
    assert len({a.partner_id for a in made}) >= 20
    assert all(a.strategies.exists() for a in made)


def test_activities_demo_has_a_strategy_gap_and_a_place_gap(demo):
    found = alignment_of(initiative=demo[0])
    assert [s.title for s in found.strategy_gaps] == [
        "Align training with the region's growing jobs"
    ]
    assert [p.name for p in found.place_gaps] == ["Westfield", "Westfield Village", "Oak Hollow"]


def test_activities_demo_has_two_overlaps(demo):
    found = alignment_of(initiative=demo[0])
    pairs = {
        frozenset((a.partner.organisation.name, b.partner.organisation.name))
        for a, b, _, _ in found.overlaps
    }
    assert pairs == {
        frozenset({"Head Start of Riverton County", "Little Steps Early Learning Network"}),
        frozenset({"Riverton Reads", "Riverton Public Library"}),
    }
