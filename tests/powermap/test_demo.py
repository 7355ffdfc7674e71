"""The demo's power map: fifteen stakeholders in every quadrant, and a steering committee of
twelve seats, two of them held by residents."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.demo.builder import PASSWORD
from backbone.powermap import selectors
from backbone.powermap.models import Placement
from tests.conftest import signed_in

pytestmark = pytest.mark.integration


def test_demo_places_stakeholders_in_every_quadrant_some_moved(demo):
    found = selectors.power_map(initiative=demo)
    assert len(found.markers) == 15
    assert set(found.counts) == set(selectors.QUADRANTS) and min(found.counts.values()) >= 2
    assert {m.stakeholder.stance for m in found.markers} >= {"champion", "sceptic", "opponent"}
    assert Placement.objects.filter(initiative=demo).count() > len(found.markers)


def test_demo_steering_committee_has_twelve_seats_two_for_residents(demo):
    funder = Person.objects.get(email="helen.park@riverton.example")
    seats = selectors.decision_seats(initiative=demo, person=funder, today=timezone.localdate())
    committee = next(b for b in seats.bodies if b.name == "Steering committee")
    assert (committee.total, committee.community) == (12, 2)
    assert len(committee.not_held) == 1  # the withdrawn credit union's
    assert len(seats.groups) == 3  # the private working group is not counted for her
    staff = Person.objects.get(email="maya.okafor@riverton.example")
    everything = selectors.decision_seats(initiative=demo, person=staff, today=timezone.localdate())
    assert len(everything.groups) == 4


def test_a_resident_reads_the_power_map(demo):
    client = signed_in("rosa.delgado@riverton.example", PASSWORD)
    html = client.get(f"/i/{demo.slug}/power-map/").text
    assert "Riverton School Board" in html and "State Senator Maria Alvarez" in html
    seats = client.get(f"/i/{demo.slug}/power-map/seats/").text
    assert "Steering committee" in seats and "17%" in seats  # 2 of 12
