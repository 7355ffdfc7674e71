"""Goals and strategies for the measurement set-up pages, and helpers to report a value."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from backbone.agenda.models import Goal, Strategy
from backbone.measurement.intake import Intake, Reported


@dataclass
class Agenda:
    goal: Goal
    strategy: Strategy
    second_goal: Goal
    other_goal: Goal  # of the other initiative


@pytest.fixture
def agenda(cast) -> Agenda:
    i = cast.initiative
    goal = Goal.objects.create(initiative=i, title="Every child enters school ready", position=0)
    second = Goal.objects.create(initiative=i, title="Every student reads by grade 3", position=1)
    strategy = Strategy.objects.create(
        initiative=i, goal=second, title="Reduce chronic absence", position=0
    )
    other = Goal.objects.create(initiative=cast.other_initiative, title="Fewer asthma admissions")
    return Agenda(goal=goal, strategy=strategy, second_goal=second, other_goal=other)


def report(cast, code: str, period: str, value, groups=None) -> None:
    """Partner A reports one value (by its steward), through the one intake path."""
    Intake(
        initiative=cast.initiative, by=cast.steward_a, channel="web", partner=cast.partner_a
    ).submit([Reported(code, period, groups or {}, value=value, row=1)])


def make_public(cast) -> None:
    cast.initiative.visibility = "public"
    cast.initiative.save(update_fields=["visibility"])
