"""Working groups, meetings, attendance, decisions and action items over the API: who reads
and writes what, private groups and meetings never leak, stale revisions, refusals."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.communication.models import ActionItem, Meeting
from backbone.notifications.models import Notification
from tests.api import callers
from tests.api.callers import EVERYONE, MEMBERS

pytestmark = pytest.mark.integration

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

BASE = "/api/initiatives/riverton"

READERS = MEMBERS
OPEN_GROUP = {"steward_a", "member_a", "community", "personal_token"}  # it sits in the open one
LEADS_OPEN = {"staff", "steward_a", "personal_token"}  # the open group's lead, and the backbone


def expected(who: str, allowed: set[str], *, hidden: bool = False) -> int:
    """What a caller gets: 401 revoked, 404 outside, 404 for what they may not see (hidden),
    403 for what they read but may not write."""
    if who == "revoked_token":
        return 401
    if who not in READERS:
        return 404
    if who in allowed:
        return 200
    return 404 if hidden else 403


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["items"]]


@pytest.mark.parametrize("who", EVERYONE)
def test_groups_by_role(cast, groups, call, who):
    listed = call(who, "get", f"{BASE}/groups")
    assert listed.status_code == expected(who, READERS)
    if listed.status_code == 200:
        names = [g["name"] for g in listed.json()["items"]]
        sees_private = who in {"staff", "steward_b"}
        assert names == (
            ["Data sharing", "Reading action team"] if sees_private else ["Reading action team"]
        )
    one = call(who, "get", f"{BASE}/groups/{groups.open.uuid}")
    assert one.status_code == expected(who, READERS)
    if one.status_code == 200:
        found = one.json()
        assert found["lead"]["name"] == "Ada Steward"
        assert {m["name"] for m in found["members"]} == {"Ada Steward", "Mo Member", "Cam Resident"}
        assert "email" not in found["lead"]
    private = call(who, "get", f"{BASE}/groups/{groups.private.uuid}")
    assert private.status_code == expected(who, {"staff", "steward_b"}, hidden=True)


def test_group_filters(cast, groups, call):
    mine = call("steward_b", "get", f"{BASE}/groups", mine="true").json()["items"]
    assert [g["name"] for g in mine] == ["Data sharing"]
    assert call("partner_token", "get", f"{BASE}/groups", mine="true").json()["items"] == []


@pytest.mark.parametrize("who", EVERYONE)
def test_meetings_by_role(cast, groups, call, who):
    listed = call(who, "get", f"{BASE}/meetings")
    assert listed.status_code == expected(who, READERS)
    if listed.status_code != 200:
        return
    seen = set(titles(listed))
    everyone = {"Reading March", "All partners spring"}
    if who == "staff":
        assert seen == everyone | {
            "Reading budget talk",
            "Data agreement review",
            "Backbone planning",
        }
    elif who in OPEN_GROUP:
        assert seen == everyone | {"Reading budget talk"}
    elif who == "steward_b":
        assert seen == everyone | {"Data agreement review"}
    else:
        assert seen == everyone
    hidden = call(who, "get", f"{BASE}/meetings/{groups.private_all_partners.uuid}")
    assert hidden.status_code == (200 if who == "staff" else 404)


def test_meeting_filters(cast, groups, call):
    def seen(**query):
        return titles(call("staff", "get", f"{BASE}/meetings", **query))

    assert seen(group=str(groups.private.uuid)) == ["Data agreement review"]
    assert set(seen(all_partners="true")) == {"All partners spring", "Backbone planning"}
    assert len(seen(starts_from="2025-03-10", starts_until="2025-03-10")) == 5
    assert seen(starts_from="2025-03-11") == []
    assert seen(starts_until="2025-03-09") == []
    assert call("staff", "get", f"{BASE}/meetings", starts_from="0001-01-01").status_code == 422
    # others filtering by the private group see none of its meetings
    assert set(seen(group=str(groups.open.uuid))) == {"Reading March", "Reading budget talk"}
    assert titles(call("funder", "get", f"{BASE}/meetings", group=str(groups.private.uuid))) == []


def test_meeting_read_shows_attendance_decisions_and_actions(cast, groups, call):
    found = call("funder", "get", f"{BASE}/meetings/{groups.open_meeting.uuid}").json()
    assert found["group"] == str(groups.open.uuid)
    assert found["starts_at"].startswith("2025-03-10T18:00:00-05:00")  # where it is held
    assert found["time_zone"] == "America/Chicago"
    attendance = found["attendance"]
    assert {a["person"]["name"] for a in attendance["attendees"]} == {
        "Ada Steward",
        "Cam Resident",
    }
    assert attendance["community_members"] == 1
    assert attendance["by_sector"] == [{"sector": "Education", "people": 1}]
    assert [d["text"] for d in found["decisions"]] == ["Adopt the shared referral form"]
    assert [a["uuid"] for a in found["action_items"]] == [str(groups.action.uuid)]
    assert found["action_items"][0]["overdue"] is True


def meeting_body(group=None, **extra) -> dict:
    return {
        "group": str(group.uuid) if group else None,
        "title": "Reading April",
        "starts_at": "2025-04-14T18:00:00",
        "ends_at": "2025-04-14T19:30:00",
        "time_zone": "America/Chicago",
        "place": "Main library",
        **extra,
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_create_meeting_by_role(cast, groups, call, who):
    body = meeting_body(groups.open, attendees=[str(cast.member_a.uuid)])
    response = call(who, "post", f"{BASE}/meetings", body)
    want = expected(who, LEADS_OPEN)
    assert response.status_code == (201 if want == 200 else want), response.content
    if response.status_code == 201:
        made = Meeting.objects.get(uuid=response.json()["uuid"])
        assert made.group == groups.open and made.initiative == cast.initiative
        assert made.local_start.hour == 18
        assert [p.pk for p in made.attendees.all()] == [cast.member_a.pk]
        assert made.created_by == (cast.staff if who == "staff" else cast.steward_a)
    # an all-partners meeting: the backbone alone
    everyone = call(who, "post", f"{BASE}/meetings", meeting_body(title="All partners June"))
    want = expected(who, {"staff"})
    assert everyone.status_code == (201 if want == 200 else want)


def test_meeting_refusals_are_422(cast, groups, call):
    late = meeting_body(groups.open, ends_at="2025-04-14T17:00:00")
    response = call("staff", "post", f"{BASE}/meetings", late)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ends_at"]
    assert "end after it starts" in response.json()["detail"][0]["msg"]
    zone = call("staff", "post", f"{BASE}/meetings", meeting_body(time_zone="Mars/Olympus"))
    assert zone.status_code == 422 and zone.json()["detail"][0]["loc"] == ["body", "time_zone"]
    outsider = meeting_body(attendees=[str(cast.other_staff.uuid)])
    assert call("staff", "post", f"{BASE}/meetings", outsider).status_code == 422
    # a group the caller may not see is as good as none
    hidden = meeting_body(groups.private)
    assert call("steward_a", "post", f"{BASE}/meetings", hidden).status_code == 422


@pytest.mark.parametrize("who", EVERYONE)
def test_change_meeting_and_attendance_by_role(cast, groups, call, who):
    path = f"{BASE}/meetings/{groups.open_meeting.uuid}"
    response = call(who, "patch", path, {"revision": 0, "minutes": "We met."})
    assert response.status_code == expected(who, LEADS_OPEN), response.content
    groups.open_meeting.refresh_from_db()
    assert (groups.open_meeting.minutes == "We met.") == (response.status_code == 200)
    if response.status_code == 200:
        assert response.json()["revision"] == 1
        assert response.json()["starts_at"].startswith("2025-03-10T18:00:00")  # unchanged
    attendance = call(
        who,
        "put",
        f"{path}/attendance",
        {"revision": groups.open_meeting.revision, "attendees": [str(cast.community.uuid)]},
    )
    assert attendance.status_code == expected(who, LEADS_OPEN)
    if attendance.status_code == 200:
        assert [a["person"]["name"] for a in attendance.json()["attendance"]["attendees"]] == [
            "Cam Resident"
        ]


def test_all_partners_meeting_is_changed_by_the_backbone_only(cast, groups, call):
    path = f"{BASE}/meetings/{groups.all_partners.uuid}"
    assert call("steward_a", "patch", path, {"revision": 0, "title": "X"}).status_code == 403
    assert call("staff", "patch", path, {"revision": 0, "title": "X"}).status_code == 200


def test_stale_revision_is_refused_with_the_current_meeting(cast, groups, call):
    path = f"{BASE}/meetings/{groups.open_meeting.uuid}"
    assert call("staff", "patch", path, {"revision": 0, "title": "First"}).status_code == 200
    stale = call("steward_a", "patch", path, {"revision": 0, "title": "Second"})
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "First"
    assert stale.json()["current"]["revision"] == 1
    late = call("steward_a", "put", f"{path}/attendance", {"revision": 0, "attendees": []})
    assert late.status_code == 409
    groups.open_meeting.refresh_from_db()
    assert groups.open_meeting.title == "First"
    assert groups.open_meeting.attendees.count() == 2


def test_time_with_an_offset_is_kept_as_the_same_instant(cast, groups, call):
    body = meeting_body(groups.open, starts_at="2025-04-14T23:00:00Z", ends_at="2025-04-15T00:00Z")
    made = call("steward_a", "post", f"{BASE}/meetings", body).json()
    assert made["starts_at"].startswith("2025-04-14T18:00:00-05:00")


@pytest.mark.parametrize("who", EVERYONE)
def test_decisions_by_role(cast, groups, call, who):
    listed = call(who, "get", f"{BASE}/decisions")
    assert listed.status_code == expected(who, READERS)
    if listed.status_code == 200:
        assert [d["text"] for d in listed.json()["items"]] == ["Adopt the shared referral form"]
    body = {"text": "Meet monthly", "decided_on": "2025-03-10", "decided_by": "The group"}
    made = call(who, "post", f"{BASE}/meetings/{groups.open_meeting.uuid}/decisions", body)
    want = expected(who, LEADS_OPEN)
    assert made.status_code == (201 if want == 200 else want)
    if made.status_code == 201:
        assert made.json()["meeting"] == str(groups.open_meeting.uuid)
    # a private meeting's decisions: only who sees it, and its lead or the backbone record them
    private = call(
        who, "post", f"{BASE}/meetings/{groups.private_group_meeting.uuid}/decisions", body
    )
    want = expected(who, {"staff", "steward_b"}, hidden=True)
    assert private.status_code == (201 if want == 200 else want)


def test_decision_filters_and_refusals(cast, groups, call):
    def texts(**query):
        response = call("staff", "get", f"{BASE}/decisions", **query)
        assert response.status_code == 200
        return [d["text"] for d in response.json()["items"]]

    assert texts(meeting=str(groups.open_meeting.uuid)) == ["Adopt the shared referral form"]
    assert texts(group=str(groups.private.uuid)) == []
    assert texts(decided_from="2025-03-11") == []
    assert texts(decided_until="2025-03-10") == ["Adopt the shared referral form"]
    empty = {"text": "", "decided_on": "2025-03-10", "decided_by": "x"}
    path = f"{BASE}/meetings/{groups.open_meeting.uuid}/decisions"
    assert call("staff", "post", path, empty).status_code == 422


@pytest.mark.parametrize("who", EVERYONE)
def test_action_items_by_role(cast, groups, call, who):
    listed = call(who, "get", f"{BASE}/action-items")
    assert listed.status_code == expected(who, READERS)
    if listed.status_code == 200:
        assert [a["uuid"] for a in listed.json()["items"]] == [str(groups.action.uuid)]
    one = call(who, "get", f"{BASE}/action-items/{groups.action.uuid}")
    assert one.status_code == expected(who, READERS)
    # closing it: the owner (steward A, also the lead) and the backbone
    done = call(who, "patch", f"{BASE}/action-items/{groups.action.uuid}", {"status": "done"})
    assert done.status_code == expected(who, LEADS_OPEN)
    groups.action.refresh_from_db()
    assert (groups.action.status == "done") == (done.status_code == 200)
    if done.status_code == 200:
        assert done.json()["status"] == "done" and done.json()["overdue"] is False
        assert done.json()["done_by"]["name"] in {"Sam Staff", "Ada Steward"}


def test_an_owner_closes_their_own_action_item_but_not_another(cast, groups, call):
    mine = ActionItem.objects.create(
        initiative=cast.initiative, meeting=groups.open_meeting, text="Call", owner=cast.member_a
    )
    assert (
        call("member_a", "patch", f"{BASE}/action-items/{mine.uuid}", {"status": "done"})
    ).status_code == 200
    other = f"{BASE}/action-items/{groups.action.uuid}"
    assert call("member_a", "patch", other, {"status": "done"}).status_code == 403
    assert call("member_a", "patch", other, {"status": "open"}).status_code == 422


@pytest.mark.parametrize("who", EVERYONE)
def test_create_action_item_by_role_notifies_its_owner(cast, groups, call, who):
    body = {"text": "Book the room", "owner": str(cast.member_a.uuid), "due_on": "2025-04-01"}
    path = f"{BASE}/meetings/{groups.open_meeting.uuid}/action-items"
    response = call(who, "post", path, body)
    want = expected(who, LEADS_OPEN)
    assert response.status_code == (201 if want == 200 else want), response.content
    told = Notification.objects.filter(person=cast.member_a).count()
    assert told == (1 if response.status_code == 201 else 0)
    if response.status_code == 201:
        assert response.json()["owner"]["uuid"] == str(cast.member_a.uuid)
        assert response.json()["status"] == "open"


def test_action_item_refusals(cast, groups, call):
    path = f"{BASE}/meetings/{groups.open_meeting.uuid}/action-items"
    outsider = {"text": "x", "owner": str(cast.other_staff.uuid)}
    response = call("staff", "post", path, outsider)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "owner"]
    assert (
        call("staff", "post", path, {"text": "", "owner": str(cast.staff.uuid)}).status_code == 422
    )


def test_action_item_filters(cast, groups, call):
    ActionItem.objects.create(
        initiative=cast.initiative,
        meeting=groups.all_partners,
        text="Later",
        owner=cast.member_a,
        due_on=date(2999, 1, 1),
    )

    def texts(who="staff", **query):
        response = call(who, "get", f"{BASE}/action-items", **query)
        assert response.status_code == 200, response.content
        return [a["text"] for a in response.json()["items"]]

    assert texts() == ["Send the minutes", "Later"]
    assert texts(overdue="true") == ["Send the minutes"]
    assert texts(overdue="false") == ["Later"]
    assert texts(owner=str(cast.member_a.uuid)) == ["Later"]
    assert texts("member_a", mine="true") == ["Later"]
    assert texts("partner_token", mine="true") == []
    assert texts(status="done") == []
    assert texts(group=str(groups.open.uuid)) == ["Send the minutes"]
    assert texts(meeting=str(groups.all_partners.uuid)) == ["Later"]
    assert call("staff", "get", f"{BASE}/action-items", status="late").status_code == 422


def test_public_initiative_does_not_open_working_groups(cast, groups, call):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert call("anonymous", "get", f"{BASE}/meetings").status_code == 401
    assert call("public", "get", f"{BASE}/meetings").status_code == 403  # as the page
    assert call("other_initiative_token", "get", f"{BASE}/meetings").status_code == 404
    body = meeting_body(groups.open)
    assert call("anonymous", "post", f"{BASE}/meetings", body).status_code == 401
