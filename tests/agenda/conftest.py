"""A small agenda for the cast's initiative, built through the services as a person would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from backbone.agenda import services
from backbone.agenda.models import AgendaVersion, AgreedAction, Goal, Strategy
from backbone.workplan.models import Funder, Grant


@dataclass
class Built:
    goal: Goal
    strategy: Strategy
    action: AgreedAction
    version: AgendaVersion
    other_goal: Goal
    other_strategy: Strategy
    other_action: AgreedAction
    other_version: AgendaVersion


def publish(initiative, by, note: str = "") -> AgendaVersion:
    """Publish the draft as the next version, as staff do from the agenda page."""
    return services.version_publish(initiative=initiative, by=by, note=note)


@pytest.fixture
def built(cast) -> Built:
    """Four published versions in the cast's initiative, and one small agenda of three in the
    other initiative: each step published on its own."""
    services.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="Fewer than half of the children arrive at kindergarten ready to learn.",
        vision="Every child in Riverton succeeds from cradle to career.",
        community_aspirations="Safe places to learn and play.",
    )
    publish(cast.initiative, cast.staff, "Adopted at the launch")
    goal = services.goal_create(
        initiative=cast.initiative, by=cast.staff, title="Every child enters kindergarten ready"
    )
    publish(cast.initiative, cast.staff)
    strategy = services.strategy_create(
        goal=goal, by=cast.staff, title="Expand access to early learning"
    )
    publish(cast.initiative, cast.staff)
    action = services.action_create(
        strategy=strategy, by=cast.staff, title="Open 300 new pre-K seats"
    )
    version = publish(cast.initiative, cast.staff)
    other_goal = services.goal_create(
        initiative=cast.other_initiative, by=cast.other_staff, title="Fewer asthma admissions"
    )
    publish(cast.other_initiative, cast.other_staff)
    other_strategy = services.strategy_create(
        goal=other_goal, by=cast.other_staff, title="Healthy homes"
    )
    publish(cast.other_initiative, cast.other_staff)
    other_action = services.action_create(
        strategy=other_strategy, by=cast.other_staff, title="Inspect 500 homes"
    )
    other_version = publish(cast.other_initiative, cast.other_staff)
    return Built(
        goal=goal,
        strategy=strategy,
        action=action,
        version=version,
        other_goal=other_goal,
        other_strategy=other_strategy,
        other_action=other_action,
        other_version=other_version,
    )


def versions(initiative) -> int:
    return AgendaVersion.objects.filter(initiative=initiative).count()


def make_grant(initiative, title: str, **funds) -> Grant:
    """A committed grant of a new funder; `funds` is strategy=… or activity=…."""
    funder = Funder.objects.create(initiative=initiative, name=f"Funder of {title}")
    kind = Grant.Funds.STRATEGY if "strategy" in funds else Grant.Funds.ACTIVITY
    return Grant.objects.create(
        initiative=initiative,
        funder=funder,
        title=title,
        amount=Decimal(1000),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        status="committed",
        funds=kind,
        **funds,
    )
