"""The power map over the API: every member reads stakeholders, bodies and seats; only
backbone staff write them (others 403, outsiders 404); moves are kept as placements; a stale
revision is 409; what the services refuse is 422."""

from __future__ import annotations

import pytest

from backbone.powermap.models import Placement, Stakeholder
from tests.api import callers
from tests.api.callers import EVERYONE

from .conftest import make_body, make_seat, make_stakeholder

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/power-map"
MEMBERS = {"community", "member_a", "steward_a", "steward_b", "funder", "evaluator", "staff"}
MEMBERS |= {"partner_token", "personal_token"}


def status_for(who: str, allowed: set[str], ok: int = 200) -> int:
    if who == "revoked_token":
        return 401
    if who not in MEMBERS:
        return 404
    return ok if who in allowed else 403


@pytest.fixture
def things(cast):
    body = make_body(cast.initiative)
    return {
        "council": make_stakeholder(cast.initiative, influence=5, interest=4),
        "paper": make_stakeholder(cast.initiative, "Local paper", influence=2, interest=2),
        "body": body,
        "seat": make_seat(body, person=cast.steward_a, organisation=cast.org_a),
        "other": make_stakeholder(cast.other_initiative, "Lakeside council"),
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_every_member_reads_the_map(things, call, who):
    listed = call(who, "get", f"{BASE}/stakeholders")
    assert listed.status_code == status_for(who, MEMBERS)
    one = call(who, "get", f"{BASE}/stakeholders/{things['council'].uuid}")
    assert one.status_code == status_for(who, MEMBERS)
    bodies = call(who, "get", f"{BASE}/bodies")
    assert bodies.status_code == status_for(who, MEMBERS)
    if listed.status_code == 200:
        assert [s["name"] for s in listed.json()["items"]] == ["City Council", "Local paper"]
        assert one.json()["quadrant"] == "manage_closely"
        assert len(one.json()["placements"]) == 1
        (body,) = bodies.json()["items"]
        assert body["seats"][0]["person"] == str(things["seat"].person.uuid)
        assert body["seats"][0]["organisation"] == things["seat"].organisation.slug


def test_filters_and_the_other_initiatives_rows(things, call):
    found = call("member_a", "get", f"{BASE}/stakeholders", quadrant="monitor").json()
    assert [s["name"] for s in found["items"]] == ["Local paper"]
    assert call("member_a", "get", f"{BASE}/stakeholders", stance="champion").json()["count"] == 0
    assert call("member_a", "get", f"{BASE}/stakeholders", quadrant="x").status_code == 422
    other = f"{BASE}/stakeholders/{things['other'].uuid}"
    assert call("staff", "get", other).status_code == 404
    lakeside = "/api/initiatives/lakeside/power-map/stakeholders"
    assert call("other_initiative_token", "get", lakeside).status_code == 200
    assert call("partner_token", "get", lakeside).status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_only_backbone_staff_write(things, call, who):
    created = call(
        who,
        "post",
        f"{BASE}/stakeholders",
        {"name": "School Board", "kind": "group", "influence": 5, "interest": 5},
    )
    assert created.status_code == status_for(who, {"staff"}, 201)
    council = things["council"]
    moved = call(
        who,
        "patch",
        f"{BASE}/stakeholders/{council.uuid}",
        {"revision": council.revision, "stance": "champion", "note": "Voted for it"},
    )
    assert moved.status_code == status_for(who, {"staff"})
    body = call(who, "post", f"{BASE}/bodies", {"name": "Leadership table"})
    assert body.status_code == status_for(who, {"staff"}, 201)
    seat = call(
        who,
        "post",
        f"{BASE}/bodies/{things['body'].uuid}/seats",
        {"organisation": "northside-food-bank", "since": "2024-02-01"},
    )
    assert seat.status_code in {status_for(who, {"staff"}, 201), 422}
    assert Stakeholder.objects.filter(name="School Board").exists() == (who == "staff")
    council.refresh_from_db()
    assert (council.stance == "champion") == (who == "staff")
    if who == "staff":
        (latest, first) = Placement.objects.filter(stakeholder=council)
        assert (latest.stance, latest.note) == ("champion", "Voted for it")
        assert moved.json()["placements"][0]["note"] == "Voted for it"


def test_stale_revisions_and_refusals(things, cast, call):
    council = things["council"]
    path = f"{BASE}/stakeholders/{council.uuid}"
    assert (
        call("staff", "patch", path, {"revision": council.revision, "interest": 5}).status_code
        == 200
    )
    stale = call("staff", "patch", path, {"revision": council.revision, "interest": 1})
    assert stale.status_code == 409
    assert stale.json()["current"]["interest"] == 5
    twice = call(
        "staff",
        "post",
        f"{BASE}/stakeholders",
        {"name": "Local paper", "kind": "group", "influence": 1, "interest": 1},
    )
    assert twice.status_code == 422
    nameless = call(
        "staff", "post", f"{BASE}/stakeholders", {"kind": "group", "influence": 1, "interest": 1}
    )
    assert nameless.status_code == 422
    assert nameless.json()["detail"][0]["loc"] == ["body", "name"]
    stranger = call(
        "staff",
        "post",
        f"{BASE}/stakeholders",
        {"kind": "organisation", "organisation": "no-such-org", "influence": 1, "interest": 1},
    )
    assert stranger.status_code == 422
    body = things["body"]
    empty = call("staff", "post", f"{BASE}/bodies/{body.uuid}/seats", {"since": "2024-01-01"})
    assert empty.status_code == 422
    assert "holds the seat" in empty.json()["detail"][0]["msg"]
    seat = things["seat"]
    seat_path = f"{BASE}/seats/{seat.uuid}"
    ended = call("staff", "patch", seat_path, {"revision": seat.revision, "until": "2024-06-30"})
    assert ended.status_code == 200 and ended.json()["held"] is False
    backwards = call(
        "staff", "patch", seat_path, {"revision": seat.revision + 1, "until": "2023-01-01"}
    )
    assert backwards.status_code == 422
    again = call("staff", "patch", seat_path, {"revision": seat.revision, "title": "Chair"})
    assert again.status_code == 409
    body_path = f"{BASE}/bodies/{body.uuid}"
    assert (
        call("staff", "patch", body_path, {"revision": body.revision, "decides": "x"}).status_code
        == 200
    )
    assert (
        call("staff", "patch", body_path, {"revision": body.revision, "name": "y"}).status_code
        == 409
    )


def test_delete_a_stakeholder(things, call):
    paper = things["paper"]
    path = f"{BASE}/stakeholders/{paper.uuid}"
    assert call("member_a", "delete", path).status_code == 403
    assert call("staff", "delete", path + f"?revision={paper.revision + 1}").status_code == 409
    assert call("staff", "delete", path).status_code == 204
    assert call("staff", "get", path).status_code == 404
