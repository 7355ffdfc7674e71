"""The decision seats overview over the API: every member reads what the decision seats page
shows them (outsiders 404), the governance bodies' seats held today and those not, the
working groups the caller may see, and the community members' share of them all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from backbone.communication.models import WorkingGroup
from backbone.links import keyed
from tests.api import callers
from tests.api.callers import EVERYONE

from .conftest import make_body, make_seat

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

pytestmark = pytest.mark.integration

SEATS = "/api/initiatives/riverton/power-map/seats"
MEMBERS = {"community", "member_a", "steward_a", "steward_b", "funder", "evaluator", "staff"}
MEMBERS |= {"partner_token", "personal_token"}
SEES_PRIVATE = {"staff", "steward_b"}  # the private group's one member, and the backbone


def status_for(who: str) -> int:
    if who == "revoked_token":
        return 401
    return 200 if who in MEMBERS else 404


@pytest.fixture
def seated(cast):
    i, today = cast.initiative, timezone.localdate()
    committee = make_body(i, "Steering committee", decides="Adopts the common agenda")
    chair = make_seat(
        committee, person=cast.steward_a, organisation=cast.org_a, is_chair=True, title="Chair"
    )
    make_seat(committee, person=cast.community, title="Resident member")  # by role
    ended = make_seat(
        committee, person=cast.member_a, since=date(2023, 1, 1), until=date(2024, 12, 31)
    )
    make_seat(committee, person=cast.evaluator, since=today + timedelta(days=30))
    advisory = make_body(i, "Community advisory council", kind="advisory")
    make_seat(advisory, person=cast.community, is_chair=True)
    reading = WorkingGroup.objects.create(initiative=i, name="Reading team", lead=cast.community)
    reading.members.set([cast.steward_a, cast.member_a], through_defaults=keyed(reading))
    private = WorkingGroup.objects.create(
        initiative=i, name="Data sharing", lead=cast.steward_b, is_private=True
    )
    private.members.set([cast.steward_b], through_defaults=keyed(private))
    theirs = make_body(cast.other_initiative, "Lakeside board")
    make_seat(theirs, person=cast.other_staff)
    WorkingGroup.objects.create(
        initiative=cast.other_initiative, name="Theirs", lead=cast.other_staff
    )
    return {
        "committee": committee,
        "advisory": advisory,
        "chair": chair,
        "ended": ended,
        "reading": reading,
        "private": private,
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_every_member_reads_the_decision_seats(cast, seated, call, who):
    response = call(who, "get", SEATS)
    assert response.status_code == status_for(who), response.content
    if response.status_code != 200:
        return
    found = response.json()
    names = [b["name"] for b in found["bodies"]]
    groups = ["Data sharing", "Reading team"] if who in SEES_PRIVATE else ["Reading team"]
    assert names == ["Community advisory council", "Steering committee", *groups]
    by_name = {b["name"]: b for b in found["bodies"]}
    counts = ("total", "community", "community_percent", "leads", "community_leads")
    assert [by_name["Steering committee"][k] for k in counts] == [2, 1, 50, 1, 0]
    assert [by_name["Community advisory council"][k] for k in counts] == [1, 1, 100, 1, 1]
    assert [by_name["Reading team"][k] for k in counts] == [3, 1, 33, 1, 1]
    if who in SEES_PRIVATE:
        assert [by_name["Data sharing"][k] for k in counts] == [1, 0, 0, 1, 0]
        overall = [7, 3, 43, 4, 2, 50]
    else:
        overall = [6, 3, 50, 3, 2, 67]
    assert [found[k] for k in (*counts, "community_leads_percent")] == overall


def test_a_body_shows_its_seats_as_the_page_does(cast, seated, call):
    found = {b["name"]: b for b in call("member_a", "get", SEATS).json()["bodies"]}
    committee = found["Steering committee"]
    assert committee["kind"] == "steering" and committee["kind_label"] == "Steering committee"
    assert committee["body"] == str(seated["committee"].uuid) and committee["group"] is None
    assert committee["decides"] == "Adopts the common agenda"
    chair, resident = committee["seats"]
    assert chair == {
        "holder": "Ada Steward",
        "organisations": ["Riverton Public Library"],
        "title": "Chair",
        "lead": True,
        "community_member": False,
        "since": "2024-01-01",
        "until": None,
        "seat": str(seated["chair"].uuid),
    }
    assert (resident["holder"], resident["community_member"]) == ("Cam Resident", True)
    # an ended seat and one not begun are listed apart
    assert sorted(s["holder"] for s in committee["not_held"]) == ["Eve Evaluator", "Mo Member"]
    ended = next(s for s in committee["not_held"] if s["holder"] == "Mo Member")
    assert ended["until"] == "2024-12-31" and ended["seat"] == str(seated["ended"].uuid)


def test_a_working_group_shows_its_lead_and_members(cast, seated, call):
    found = {b["name"]: b for b in call("steward_a", "get", SEATS).json()["bodies"]}
    reading = found["Reading team"]
    assert reading["kind"] == "working_group" and reading["kind_label"] == "Working group"
    assert reading["group"] == str(seated["reading"].uuid) and reading["body"] is None
    assert reading["not_held"] == []
    assert [
        (s["holder"], s["title"], s["lead"], s["community_member"]) for s in reading["seats"]
    ] == [
        ("Cam Resident", "Lead", True, True),
        ("Ada Steward", "Member", False, False),
        ("Mo Member", "Member", False, False),
    ]
    assert all(s["seat"] is None and s["since"] is None for s in reading["seats"])
    assert reading["seats"][1]["organisations"] == ["Riverton Public Library"]


def test_the_other_initiatives_bodies_are_not_shown_and_its_token_reads_its_own(cast, seated, call):
    names = [b["name"] for b in call("staff", "get", SEATS).json()["bodies"]]
    assert "Lakeside board" not in names and "Theirs" not in names
    lakeside = call("other_initiative_token", "get", "/api/initiatives/lakeside/power-map/seats")
    assert [b["name"] for b in lakeside.json()["bodies"]] == ["Lakeside board", "Theirs"]
    assert (
        call("partner_token", "get", "/api/initiatives/lakeside/power-map/seats").status_code == 404
    )


def test_no_body_and_no_group_is_an_empty_overview(cast, call):
    found = call("staff", "get", SEATS).json()
    assert found == {
        "bodies": [],
        "total": 0,
        "community": 0,
        "community_percent": None,
        "leads": 0,
        "community_leads": 0,
        "community_leads_percent": None,
    }
