"""Working groups and meetings for the cast: an open group led by steward_a, a private one led
by steward_b, and meetings of every kind of privacy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backbone.communication.models import ActionItem, Decision, Meeting, WorkingGroup
from backbone.links import keyed

CHICAGO = ZoneInfo("America/Chicago")


@dataclass
class Groups:
    open: WorkingGroup
    private: WorkingGroup
    open_meeting: Meeting
    private_meeting: Meeting  # private meeting of the open group
    private_group_meeting: Meeting
    all_partners: Meeting
    private_all_partners: Meeting
    action: ActionItem  # steward_a's, overdue


def meeting(cast, title, group=None, *, private=False, start=None) -> Meeting:
    start = start or datetime(2025, 3, 10, 18, 0, tzinfo=CHICAGO)
    return Meeting.objects.create(
        initiative=cast.initiative,
        group=group,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="America/Chicago",
        is_private=private,
    )


def action(cast, m: Meeting, owner, text="Send the minutes", due=date(2025, 3, 20)) -> ActionItem:
    return ActionItem.objects.create(
        initiative=cast.initiative, meeting=m, text=text, owner=owner, due_on=due
    )


def group(cast, name, lead, members, *, private=False) -> WorkingGroup:
    g = WorkingGroup.objects.create(
        initiative=cast.initiative, name=name, lead=lead, is_private=private
    )
    g.members.set(members, through_defaults=keyed(g))
    return g


@pytest.fixture
def groups(cast) -> Groups:
    open_group = group(
        cast, "Reading action team", cast.steward_a, [cast.steward_a, cast.member_a, cast.community]
    )
    private_group = group(cast, "Data sharing", cast.steward_b, [cast.steward_b], private=True)
    open_meeting = meeting(cast, "Reading March", open_group)
    open_meeting.attendees.set(
        [cast.steward_a, cast.community], through_defaults=keyed(open_meeting)
    )
    Decision.objects.create(
        initiative=cast.initiative,
        meeting=open_meeting,
        text="Adopt the shared referral form",
        decided_on=date(2025, 3, 10),
        decided_by="The group",
    )
    return Groups(
        open=open_group,
        private=private_group,
        open_meeting=open_meeting,
        private_meeting=meeting(cast, "Reading budget talk", open_group, private=True),
        private_group_meeting=meeting(cast, "Data agreement review", private_group),
        all_partners=meeting(cast, "All partners spring"),
        private_all_partners=meeting(cast, "Backbone planning", private=True),
        action=action(cast, open_meeting, cast.steward_a),
    )
