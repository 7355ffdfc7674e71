"""Working groups, links and small factories for the decisions tests.

The open reading team is led by steward_a with member_a and the resident; the private data
group has steward_b alone. Proposals are made through the services, as a user would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backbone.agenda.models import Goal, Strategy
from backbone.communication.models import Meeting, WorkingGroup
from backbone.decisions import services
from backbone.decisions.models import Proposal
from backbone.links import keyed
from backbone.measurement.models import Indicator

CHICAGO = ZoneInfo("America/Chicago")


@dataclass
class World:
    group: WorkingGroup  # open: steward_a (lead), member_a, community
    private: WorkingGroup  # steward_b only
    meeting: Meeting  # of the open group
    strategy: Strategy
    indicator: Indicator
    other_meeting: Meeting  # of the other initiative
    other_strategy: Strategy
    other_indicator: Indicator


def make_group(initiative, name, lead, members, *, private=False) -> WorkingGroup:
    group = WorkingGroup.objects.create(
        initiative=initiative, name=name, lead=lead, is_private=private
    )
    group.members.set(members, through_defaults=keyed(group))
    return group


def make_meeting(initiative, title, group=None) -> Meeting:
    start = datetime(2025, 3, 10, 18, 0, tzinfo=CHICAGO)
    return Meeting.objects.create(
        initiative=initiative,
        group=group,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="America/Chicago",
    )


def make_strategy(initiative, title) -> Strategy:
    goal = Goal.objects.create(initiative=initiative, title=f"Goal for {title}")
    return Strategy.objects.create(initiative=initiative, goal=goal, title=title)


@pytest.fixture
def world(cast) -> World:
    group = make_group(
        cast.initiative,
        "Reading action team",
        cast.steward_a,
        [cast.steward_a, cast.member_a, cast.community],
    )
    other = cast.other_initiative
    return World(
        group=group,
        private=make_group(
            cast.initiative, "Data sharing", cast.steward_b, [cast.steward_b], private=True
        ),
        meeting=make_meeting(cast.initiative, "Reading March", group),
        strategy=make_strategy(cast.initiative, "Keep children reading through the summer"),
        indicator=Indicator.objects.create(
            initiative=cast.initiative, code="third-grade-reading", name="Third-grade reading"
        ),
        other_meeting=make_meeting(other, "Lakeside board"),
        other_strategy=make_strategy(other, "Lakeside strategy"),
        other_indicator=Indicator.objects.create(
            initiative=other, code="third-grade-reading", name="Lakeside reading"
        ),
    )


def propose(cast, *, group=None, method="consent", unit="person", by=None, **extra) -> Proposal:
    fields = {
        "title": "Adopt the shared referral form",
        "text": "Every partner uses the same referral form from September.",
        "closes_at": timezone.now() + timedelta(days=7),
        **extra,
    }
    return services.proposal_create(
        initiative=cast.initiative,
        proposer=by or cast.staff,
        group=group,
        method=method,
        unit=unit,
        **fields,
    )


def poll(cast, options=("Tuesday", "Wednesday", "Thursday"), **extra) -> Proposal:
    return propose(cast, method="poll", options=list(options), **extra)
