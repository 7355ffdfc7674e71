"""A small plan of action for the cast's initiative: two goals' strategies, a geography
(city › districts › neighbourhoods), population groups, an indicator, and an activity maker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from backbone.activities.models import Activity
from backbone.agenda.models import Goal, Strategy
from backbone.links import keyed
from backbone.measurement.models import Group, Indicator
from tests.api.callers import call, tokens  # noqa: F401 (fixtures of the API tests)
from tests.measurement.conftest import make_dimension


@dataclass
class Plan:
    reading: Strategy
    attendance: Strategy
    summer: Strategy
    city: Group
    northside: Group
    millbrook: Group
    cedar: Group
    southside: Group
    black: Group
    latino: Group
    readiness: Indicator


@pytest.fixture
def plan(cast) -> Plan:
    i = cast.initiative
    goal = Goal.objects.create(initiative=i, title="Every child reads by third grade")
    strategies = [
        Strategy.objects.create(initiative=i, goal=goal, title=title, position=n)
        for n, title in enumerate(
            ["Tutor early readers", "Reduce chronic absence", "Keep children reading in summer"]
        )
    ]
    make_dimension(
        i,
        "place",
        "Place",
        [
            ("riverton", "Riverton"),
            ("northside", "Northside", "riverton"),
            ("millbrook", "Millbrook", "northside"),
            ("cedar-heights", "Cedar Heights", "northside"),
            ("southside", "Southside", "riverton"),
        ],
        is_geography=True,
    )
    make_dimension(i, "race", "Race/ethnicity", [("black", "Black"), ("latino", "Latino")])
    g = {grp.key: grp for grp in Group.objects.filter(initiative=i)}
    return Plan(
        *strategies,
        city=g["riverton"],
        northside=g["northside"],
        millbrook=g["millbrook"],
        cedar=g["cedar-heights"],
        southside=g["southside"],
        black=g["black"],
        latino=g["latino"],
        readiness=Indicator.objects.create(initiative=i, code="readiness", name="Readiness"),
    )


def make_activity(
    partner,
    name="Reading buddies",
    *,
    strategies=(),
    places=(),
    groups=(),
    starts_on=date(2024, 1, 1),
    ends_on=None,
    status="active",
    **extra,
) -> Activity:
    activity = Activity.objects.create(
        initiative=partner.initiative,
        partner=partner,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        **extra,
    )
    activity.strategies.set(strategies, through_defaults=keyed(activity))
    activity.places.set(places, through_defaults=keyed(activity))
    activity.groups.set(groups, through_defaults=keyed(activity))
    return activity
