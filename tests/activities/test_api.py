"""Activities and the 4W over the API: who reads, who writes, no leak, stale revisions."""

from __future__ import annotations

import pytest

from backbone.activities.models import Activity
from backbone.initiatives import members
from backbone.initiatives.models import Membership
from tests.activities.conftest import make_activity
from tests.api.callers import EVERYONE, MEMBERS

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/activities"

READERS = MEMBERS
# who may write partner A's activities: the backbone, and partner A's people and tokens
WRITERS_A = {"staff", "steward_a", "member_a", "partner_token", "personal_token"}


def expected_read(who: str) -> int:
    if who == "revoked_token":
        return 401
    return 200 if who in READERS else 404


def expected_write(who: str, writers=WRITERS_A) -> int:
    if who == "revoked_token":
        return 401
    if who not in READERS:
        return 404
    return 200 if who in writers else 403


@pytest.fixture
def rows(cast, plan):
    a = make_activity(
        cast.partner_a,
        "Reading buddies",
        strategies=[plan.reading],
        places=[plan.millbrook],
        groups=[plan.black],
    )
    b = make_activity(
        cast.partner_b, "Summer meals", strategies=[plan.summer], places=[plan.southside]
    )
    other = make_activity(_other_partner(cast), "Lakeside clinic", strategies=[], status="planned")
    return a, b, other


def _other_partner(cast):
    from datetime import date

    from backbone.initiatives import services

    return services.partner_add(
        initiative=cast.other_initiative, organisation=cast.org_a, joined_on=date(2024, 1, 1)
    )


def body(plan, **extra) -> dict:
    return {
        "partner": "riverton-public-library",
        "name": "Homework club",
        "strategies": [str(plan.reading.uuid)],
        "places": ["place:northside"],
        "groups": ["race:latino"],
        "starts_on": "2024-09-01",
        "status": "active",
        **extra,
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_list_and_read_by_role(cast, rows, call, who):
    a, b, other = rows
    listed = call(who, "get", BASE)
    assert listed.status_code == expected_read(who)
    one = call(who, "get", f"{BASE}/{a.uuid}")
    assert one.status_code == expected_read(who)
    four = call(who, "get", f"{BASE}/4w")
    assert four.status_code == expected_read(who)
    if listed.status_code == 200:
        names = [row["name"] for row in listed.json()["items"]]
        assert names == [
            "Summer meals",
            "Reading buddies",
        ]  # by partner; never another initiative's
        assert one.json()["partner"] == "riverton-public-library"
        assert four.json()["activities"] == 2
    # another initiative's activity is not found, even under this initiative's address
    assert call(who, "get", f"{BASE}/{other.uuid}").status_code in {401, 404}


def test_list_filters(cast, plan, rows, call):
    def names(**query):
        response = call("staff", "get", BASE, **query)
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["items"]]

    assert names(partner="northside-food-bank") == ["Summer meals"]
    assert names(strategy=str(plan.reading.uuid)) == ["Reading buddies"]
    assert names(place="place:northside") == ["Reading buddies"]  # a district holds Millbrook
    assert names(place="riverton") == ["Summer meals", "Reading buddies"]
    assert names(group="race:black") == ["Reading buddies"]
    assert names(status="done") == []
    assert names(partner="no-such") == []
    assert call("staff", "get", BASE, status="nope").status_code == 422
    assert call("staff", "get", BASE, limit=10_000).status_code == 422


def test_four_w_counts_who_what_where_for_whom(cast, plan, rows, call):
    found = call("funder", "get", f"{BASE}/4w").json()
    assert found["partners"] == 2
    assert {row["key"]: row["activities"] for row in found["by_place"]} == {
        "millbrook": 1,
        "southside": 1,
    }
    assert found["by_group"] == [{"key": "black", "name": "Black", "activities": 1}]
    assert found["by_status"] == [{"key": "active", "name": "Active", "activities": 2}]


def test_public_initiative_is_read_by_anyone_and_written_by_no_one(cast, rows, call, plan):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert call("anonymous", "get", BASE).status_code == 200
    assert call("public", "get", BASE).status_code == 200
    assert call("anonymous", "post", BASE, body(plan)).status_code == 401
    assert call("public", "post", BASE, body(plan)).status_code == 403
    # a token of another initiative still knows only its own
    assert call("other_initiative_token", "get", BASE).status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_create_by_role(cast, plan, rows, call, who):
    response = call(who, "post", BASE, body(plan))
    expected = expected_write(who)
    assert response.status_code == (201 if expected == 200 else expected), response.content
    if response.status_code == 201:
        made = Activity.objects.get(uuid=response.json()["uuid"])
        assert made.initiative == cast.initiative
        assert [g.key for g in made.places.all()] == ["northside"]
        assert response.json()["revision"] == 0


@pytest.mark.parametrize("who", EVERYONE)
def test_change_by_role(cast, rows, call, who):
    a, b, _ = rows
    response = call(who, "patch", f"{BASE}/{a.uuid}", {"revision": 0, "name": "Reading pals"})
    assert response.status_code == expected_write(who), response.content
    a.refresh_from_db()
    assert (a.name == "Reading pals") == (response.status_code == 200)
    # partner B's activity: only the backbone and partner B's steward
    other = call(who, "patch", f"{BASE}/{b.uuid}", {"revision": 0, "status": "paused"})
    assert other.status_code == expected_write(who, {"staff", "steward_b"})


@pytest.mark.parametrize("who", EVERYONE)
def test_delete_by_role(cast, rows, call, who):
    a, b, _ = rows
    response = call(who, "delete", f"{BASE}/{a.uuid}")
    expected = expected_write(who)
    assert response.status_code == (204 if expected == 200 else expected)
    assert Activity.objects.filter(pk=a.pk).exists() == (response.status_code != 204)


def test_steward_may_not_move_an_activity_to_another_partner(cast, rows, call):
    a, _, _ = rows
    moved = {"revision": 0, "partner": "northside-food-bank"}
    assert call("steward_a", "patch", f"{BASE}/{a.uuid}", moved).status_code == 403
    assert call("staff", "patch", f"{BASE}/{a.uuid}", moved).status_code == 200


def test_stale_revision_is_refused_with_the_current_row(cast, rows, call):
    a, _, _ = rows
    first = call("staff", "patch", f"{BASE}/{a.uuid}", {"revision": 0, "name": "First"})
    assert first.status_code == 200 and first.json()["revision"] == 1
    stale = call("steward_a", "patch", f"{BASE}/{a.uuid}", {"revision": 0, "name": "Second"})
    assert stale.status_code == 409
    assert stale.json()["current"]["name"] == "First"
    assert stale.json()["current"]["revision"] == 1
    a.refresh_from_db()
    assert a.name == "First"
    assert call("staff", "delete", f"{BASE}/{a.uuid}?revision=0").status_code == 409
    assert call("staff", "delete", f"{BASE}/{a.uuid}?revision=1").status_code == 204


def test_what_the_rules_refuse_is_422(cast, plan, rows, call):
    late = body(plan, ends_on="2024-01-01")
    response = call("staff", "post", BASE, late)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ends_on"]
    assert call("staff", "post", BASE, body(plan, strategies=[])).status_code == 422
    foreign = body(plan, places=["place:no-such"])
    assert call("staff", "post", BASE, foreign).status_code == 422
    assert call("staff", "post", BASE, body(plan, partner="lakeside-x")).status_code == 422


def test_personal_token_stops_when_the_membership_is_removed(cast, rows, call):
    assert call("personal_token", "get", BASE).status_code == 200
    membership = Membership.objects.get(initiative=cast.initiative, person=cast.steward_a)
    members.membership_remove(membership=membership, by=cast.staff)
    assert call("personal_token", "get", BASE).status_code == 401
    assert call("personal_token", "get", "/api/initiatives").status_code == 401
