"""Communication figures on the initiative page, worked by hand on the cast's meetings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backbone.communication.figures import communication_figures
from backbone.communication.models import ActionItem, Decision
from backbone.links import keyed

from .conftest import CHICAGO, action, meeting

pytestmark = pytest.mark.integration

TODAY = date(2025, 3, 31)


def figures(cast):
    return communication_figures(initiative=cast.initiative, today=TODAY)


def test_only_open_meetings_count_by_month(cast, groups):
    found = figures(cast)
    by_month = dict(found.months)
    # March: the open group's meeting and the open all-partners meeting; the private meeting,
    # the private group's meeting and the private all-partners meeting are left out.
    assert by_month[date(2025, 3, 1)] == 2
    assert found.meetings == 2 and len(found.months) == 12
    assert found.months[0][0] == date(2024, 4, 1)


def test_attendance_by_sector_and_community_members(cast, groups):
    groups.all_partners.attendees.set(
        [cast.steward_b, cast.member_a], through_defaults=keyed(groups.all_partners)
    )
    groups.private_meeting.attendees.set(
        [cast.steward_b], through_defaults=keyed(groups.private_meeting)
    )  # private: not counted
    found = figures(cast)
    # Open meetings: steward_a (library, education) and Cam (community) at one;
    # steward_b (food bank, non-profit) and member_a (library) at the other.
    assert found.attendances == 4
    assert found.community == 1
    assert dict(found.by_sector) == {"Education": 2, "Non-profit": 1}


def test_share_of_partners_that_came_last_quarter(cast, groups, monkeypatch):
    now = datetime(2025, 3, 31, 12, 0, tzinfo=CHICAGO)
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert (figures(cast).partners_attending, figures(cast).partners_active) == (1, 2)
    old = meeting(cast, "Long ago", start=now - timedelta(days=120))
    old.attendees.set([cast.steward_b], through_defaults=keyed(old))  # before the last quarter
    assert figures(cast).partners_attending == 1
    groups.all_partners.attendees.set([cast.steward_b], through_defaults=keyed(groups.all_partners))
    assert figures(cast).partner_share == 1.0


def test_decisions_and_action_items_closed_on_time(cast, groups):
    m = groups.open_meeting
    done_late = action(cast, m, cast.member_a, text="Book the room", due=date(2025, 3, 12))
    done_late.status, done_late.done_at = "done", datetime(2025, 3, 14, 9, tzinfo=CHICAGO)
    done_late.save()
    on_time = action(cast, m, cast.steward_a, text="Share the list", due=date(2025, 3, 15))
    on_time.status, on_time.done_at = "done", datetime(2025, 3, 15, 23, tzinfo=CHICAGO)
    on_time.save()
    action(cast, m, cast.steward_a, text="Not due yet", due=date(2025, 4, 30))
    Decision.objects.create(
        initiative=cast.initiative,
        meeting=groups.private_meeting,
        text="Private",
        decided_on=date(2025, 3, 11),
        decided_by="x",
    )
    found = figures(cast)
    assert found.decisions == 1  # the private meeting's decision is not counted
    # Due by 31 March: the overdue open one (20 March), one done late, one done on its day.
    assert (found.actions_due, found.actions_on_time) == (3, 1)
    assert ActionItem.objects.count() == 4


def test_figures_take_the_same_queries_however_many_meetings(cast, groups):
    with CaptureQueriesContext(connection) as few:
        figures(cast)
    for n in range(6):
        extra = meeting(
            cast, f"Extra {n}", groups.open, start=datetime(2025, 2, 1 + n, 18, tzinfo=CHICAGO)
        )
        extra.attendees.set(
            [cast.steward_a, cast.steward_b, cast.community], through_defaults=keyed(extra)
        )
        action(cast, extra, cast.member_a)
    with CaptureQueriesContext(connection) as many:
        figures(cast)
    assert len(many) == len(few)


def test_initiative_page_shows_the_figures(cast, groups, as_role):
    meeting(cast, "This month", start=timezone.now() - timedelta(days=1))
    html = as_role("funder").get("/i/riverton/").content.decode()
    assert "Continuous communication" in html and "Meetings per month" in html
