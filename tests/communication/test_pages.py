"""Who may see and do what on the working group pages, role by role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backbone.communication.models import ActionItem, Meeting, WorkingGroup

pytestmark = pytest.mark.integration

SLUG = "riverton"


def url(name, *args):
    return reverse(f"communication:{name}", args=[SLUG, *args])


def status(client, path, method="get", data=None):
    response = getattr(client, method)(path, data or {})
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


# anonymous → sign-in; outsiders of a members-only initiative → 404; members see open things
VIEW_LIST = {
    "anonymous": "login",
    "public": 404,
    "other_staff": 404,
    "community": 200,
    "member_a": 200,
    "steward_a": 200,
    "steward_b": 200,
    "funder": 200,
    "evaluator": 200,
    "staff": 200,
}


@pytest.mark.parametrize("role", VIEW_LIST)
def test_group_list_by_role(groups, as_role, role):
    response = as_role(role).get(url("list"))
    code = "login" if response.status_code == 302 else response.status_code
    assert code == VIEW_LIST[role]
    if code == 200:
        body = response.content.decode()
        assert "Reading action team" in body
        assert ("Data sharing" in body) == (role in {"steward_b", "staff"})
        assert ("Backbone planning" in body) == (role == "staff")


SEES_PRIVATE_GROUP = {"steward_b", "staff"}
SEES_PRIVATE_MEETING = {"steward_a", "member_a", "community", "staff"}  # the open group's people


@pytest.mark.parametrize("role", VIEW_LIST)
def test_private_group_and_meetings_stay_private(groups, as_role, role):
    client = as_role(role)
    if VIEW_LIST[role] != 200:
        assert status(client, url("group", groups.open.uuid)) == VIEW_LIST[role]
        assert status(client, url("meeting", groups.open_meeting.uuid)) == VIEW_LIST[role]
        return
    assert status(client, url("group", groups.open.uuid)) == 200
    assert status(client, url("meeting", groups.open_meeting.uuid)) == 200
    assert status(client, url("meeting", groups.all_partners.uuid)) == 200
    expected = 200 if role in SEES_PRIVATE_GROUP else 404
    assert status(client, url("group", groups.private.uuid)) == expected
    assert status(client, url("meeting", groups.private_group_meeting.uuid)) == expected
    expected = 200 if role in SEES_PRIVATE_MEETING else 404
    assert status(client, url("meeting", groups.private_meeting.uuid)) == expected
    expected = 200 if role == "staff" else 404
    assert status(client, url("meeting", groups.private_all_partners.uuid)) == expected
    body = client.get(url("group", groups.open.uuid)).content.decode()
    assert ("Reading budget talk" in body) == (role in SEES_PRIVATE_MEETING)


MAY_MANAGE = {"staff"}
MAY_LEAD_OPEN = {"staff", "steward_a"}


@pytest.mark.parametrize("role", [r for r in VIEW_LIST if VIEW_LIST[r] == 200])
def test_who_creates_edits_and_records_by_role(groups, as_role, role):
    client = as_role(role)
    assert status(client, url("group_create")) == (200 if role in MAY_MANAGE else 403)
    assert status(client, url("meeting_create")) == (200 if role in MAY_MANAGE else 403)
    lead_code = 200 if role in MAY_LEAD_OPEN else 403
    assert status(client, url("group_edit", groups.open.uuid)) == lead_code
    assert status(client, url("group_meeting_create", groups.open.uuid)) == lead_code
    assert status(client, url("meeting_edit", groups.open_meeting.uuid)) == lead_code
    decided = status(
        client,
        url("decision_create", groups.open_meeting.uuid),
        "post",
        {
            "decision-text": "Meet monthly",
            "decision-decided_on": "2025-03-10",
            "decision-decided_by": "The group",
        },
    )
    assert decided == (302 if role in MAY_LEAD_OPEN else 403)
    assert groups.open_meeting.decisions.filter(text="Meet monthly").exists() == (
        role in MAY_LEAD_OPEN
    )


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("steward_a", True),  # the owner (and the lead)
        ("staff", True),
        ("member_a", False),
        ("community", False),
        ("evaluator", False),
        ("steward_b", False),
    ],
)
def test_action_done_by_owner_lead_or_staff(groups, as_role, cast, role, allowed):
    code = status(as_role(role), url("action_done", groups.action.uuid), "post")
    groups.action.refresh_from_db()
    assert code == (302 if allowed else 403)
    assert (groups.action.status == ActionItem.Status.DONE) == allowed


def test_action_done_by_owner_who_does_not_lead(groups, as_role, cast):
    item = ActionItem.objects.create(
        initiative=cast.initiative, meeting=groups.open_meeting, text="Print", owner=cast.member_a
    )
    assert status(as_role("member_a"), url("action_done", item.uuid), "post") == 302
    item.refresh_from_db()
    assert item.status == "done" and item.done_by == cast.member_a


def test_staff_create_group_with_lead_and_members(cast, as_role):
    response = as_role("staff").post(
        url("group_create"),
        {
            "name": "Attendance team",
            "purpose": "Fewer absences",
            "lead": cast.steward_a.pk,
            "members": [cast.steward_a.pk, cast.community.pk],
        },
    )
    group = WorkingGroup.objects.get(name="Attendance team")
    assert response.status_code == 302
    assert group.initiative == cast.initiative and not group.is_private
    assert set(group.members.all()) == {cast.steward_a, cast.community}


def test_group_lead_outside_initiative_is_a_field_error(cast, as_role):
    response = as_role("staff").post(
        url("group_create"), {"name": "Attendance team", "lead": cast.other_staff.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["lead"] == ["Choose a person of this initiative."]
    assert not WorkingGroup.objects.exists()


def meeting_data(cast, **changes):
    data = {
        "title": "April meeting",
        "start": "2025-04-07T18:00",
        "end": "2025-04-07T19:30",
        "time_zone": "America/Chicago",
        "place": "Library room 2",
        "attendees": [cast.steward_a.pk, cast.community.pk],
    }
    return {**data, **changes}


def test_lead_records_meeting_in_its_time_zone(groups, cast, as_role):
    response = as_role("steward_a").post(
        url("group_meeting_create", groups.open.uuid), meeting_data(cast)
    )
    found = Meeting.objects.get(title="April meeting")
    assert response.status_code == 302
    assert found.group == groups.open and found.created_by == cast.steward_a
    assert found.starts_at.isoformat() == "2025-04-07T23:00:00+00:00"  # 18:00 CDT
    assert found.local_start.hour == 18 and found.time_zone == "America/Chicago"
    page = as_role("steward_a").get(url("meeting", found.uuid)).content.decode()
    assert "18:00" in page and "America/Chicago" in page


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "is not a time zone"),
        ({"time_zone": "America"}, "time_zone", "is not a time zone"),
        ({"end": "2025-04-07T17:00"}, "end", "must end after it starts"),
        ({"end": "2025-04-07T18:00"}, "end", "must end after it starts"),
    ],
)
def test_meeting_bad_input_is_a_field_error(groups, cast, as_role, changes, field, message):
    response = as_role("staff").post(
        url("group_meeting_create", groups.open.uuid), meeting_data(cast, **changes)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Meeting.objects.filter(title="April meeting").exists()


def test_attendee_outside_initiative_is_a_field_error(groups, cast, as_role):
    response = as_role("staff").post(
        url("group_meeting_create", groups.open.uuid),
        meeting_data(cast, attendees=[cast.other_staff.pk]),
    )
    assert response.context["form"].errors["attendees"] == ["Choose a person of this initiative."]
    assert not Meeting.objects.filter(title="April meeting").exists()


def test_action_owner_outside_initiative_is_a_field_error(groups, cast, as_role):
    response = as_role("staff").post(
        url("action_create", groups.open_meeting.uuid),
        {
            "action-text": "Call the district",
            "action-owner": cast.other_staff.pk,
            "action-due_on": "2025-04-01",
        },
    )
    assert response.status_code == 200
    assert response.context["action_form"].errors["owner"] == [
        "Choose a person of this initiative."
    ]
    assert not ActionItem.objects.filter(text="Call the district").exists()


def test_meeting_page_shows_attendance_sectors_and_community(groups, cast, as_role):
    response = as_role("staff").get(url("meeting", groups.open_meeting.uuid))
    attendance = response.context["attendance"]
    assert [a.person for a in attendance.attendees] == [cast.steward_a, cast.community]
    assert attendance.community_members == 1
    assert attendance.by_sector == [("Education", 1)]
    body = response.content.decode()
    assert "Riverton Public Library" in body and "1 community member" in body


def test_home_shows_open_and_overdue_action_items_until_done(groups, cast, as_role):
    client = as_role("steward_a")
    body = client.get("/").content.decode()
    assert "Your action items" in body and "Send the minutes" in body and "Overdue" in body
    response = client.post(url("action_done", groups.action.uuid), {"next": "/"}, follow=True)
    assert "Marked done: Send the minutes" in response.content.decode()
    assert "Your action items" not in client.get("/").content.decode()
    assert "Send the minutes" not in as_role("member_a").get("/").content.decode()
