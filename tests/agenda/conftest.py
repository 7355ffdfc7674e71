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


@pytest.fixture
def built(cast) -> Built:
    """Four versions in the cast's initiative, and one small agenda in the other initiative."""
    services.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="Fewer than half of the children arrive at kindergarten ready to learn.",
        vision="Every child in Riverton succeeds from cradle to career.",
        community_aspirations="Safe places to learn and play.",
        note="Adopted at the launch",
    )
    goal = services.goal_create(
        initiative=cast.initiative, by=cast.staff, title="Every child enters kindergarten ready"
    )
    strategy = services.strategy_create(
        goal=goal, by=cast.staff, title="Expand access to early learning"
    )
    action = services.action_create(
        strategy=strategy, by=cast.staff, title="Open 300 new pre-K seats"
    )
    other_goal = services.goal_create(
        initiative=cast.other_initiative, by=cast.other_staff, title="Fewer asthma admissions"
    )
    other_strategy = services.strategy_create(
        goal=other_goal, by=cast.other_staff, title="Healthy homes"
    )
    other_action = services.action_create(
        strategy=other_strategy, by=cast.other_staff, title="Inspect 500 homes"
    )
    return Built(
        goal=goal,
        strategy=strategy,
        action=action,
        version=AgendaVersion.objects.filter(initiative=cast.initiative).first(),
        other_goal=other_goal,
        other_strategy=other_strategy,
        other_action=other_action,
        other_version=AgendaVersion.objects.filter(initiative=cast.other_initiative).first(),
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
