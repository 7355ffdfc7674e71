"""Policies, public will and partners' commitments over the API: who reads and writes what,
no leak across initiatives or partners, stale revisions, what the services refuse."""

# ruff: noqa: F811 (the `call` fixture is imported from tests.api.callers and asked for by name)
from __future__ import annotations

from datetime import date

import pytest

from backbone.advocacy import services
from backbone.advocacy.models import Commitment, Policy, PolicyEvent, PublicWillItem
from tests.advocacy.conftest import make_commitment, make_item, make_policy
from tests.api.callers import EVERYONE, MEMBERS, call, tokens  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton"
PARTNER_A = {"staff", "steward_a", "member_a", "partner_token", "personal_token"}


def read(who: str) -> int:
    if who == "revoked_token":
        return 401
    return 200 if who in MEMBERS else 404


def write(who: str, writers: set[str], ok: int = 200) -> int:
    expected = read(who)
    return expected if expected != 200 else (ok if who in writers else 403)


@pytest.fixture
def rows(cast):
    policy = make_policy(cast.initiative, "Universal pre-K", is_public=True)
    hidden = make_policy(cast.initiative, "Quiet zoning change")
    item = make_item(cast.initiative, kind="campaign", title="Read to them", reach=500)
    own = make_commitment(cast.partner_a, kind="budget")
    theirs = make_commitment(cast.partner_b, kind="data")
    services.commitment_update_add(commitment=own, on=date(2024, 3, 1), text="Half there")
    other = make_policy(cast.other_initiative, "Lakeside clinic hours")
    return policy, hidden, item, own, theirs, other


@pytest.mark.parametrize("who", EVERYONE)
def test_reads_by_role(cast, rows, call, who):
    policy, hidden, item, own, theirs, other = rows
    listed = call(who, "get", f"{BASE}/policies")
    assert listed.status_code == read(who)
    for path in (
        f"policies/{hidden.uuid}",
        f"policies/{policy.uuid}/events",
        "public-will",
        f"public-will/{item.uuid}",
        "commitments",
        f"commitments/{theirs.uuid}",
        f"commitments/{own.uuid}/updates",
    ):
        assert call(who, "get", f"{BASE}/{path}").status_code == read(who), path
    if listed.status_code == 200:
        assert [p["title"] for p in listed.json()["items"]] == [
            "Quiet zoning change",
            "Universal pre-K",
        ]
        commitments = call(who, "get", f"{BASE}/commitments").json()["items"]
        assert [c["partner"] for c in commitments] == [
            "northside-food-bank",
            "riverton-public-library",
        ]
        assert commitments[1]["last_update"] == "2024-03-01"
    # another initiative's policy is not found under this initiative's address
    assert call(who, "get", f"{BASE}/policies/{other.uuid}").status_code in {401, 404}


def test_visitors_of_a_public_initiative_read_its_public_policies_only(cast, rows, call):
    policy, hidden, *_ = rows
    cast.initiative.visibility = "public"
    cast.initiative.save()
    for who in ("anonymous", "public"):
        listed = call(who, "get", f"{BASE}/policies")
        assert [p["title"] for p in listed.json()["items"]] == ["Universal pre-K"]
        assert call(who, "get", f"{BASE}/policies/{policy.uuid}").status_code == 200
        assert call(who, "get", f"{BASE}/policies/{hidden.uuid}").status_code == 404
    # public will and commitments stay the members' own
    assert call("anonymous", "get", f"{BASE}/public-will").status_code == 401
    assert call("public", "get", f"{BASE}/commitments").status_code == 403
    assert call("anonymous", "post", f"{BASE}/policies", {}).status_code in {401, 422}
    body = {"title": "X", "level": "local", "body": "Council", "position": "support"}
    assert call("anonymous", "post", f"{BASE}/policies", body).status_code == 401
    assert call("public", "post", f"{BASE}/policies", body).status_code == 403
    assert call("other_initiative_token", "get", f"{BASE}/policies").status_code == 404


def test_list_filters(cast, rows, call):
    def titles(path, **query):
        response = call("staff", "get", f"{BASE}/{path}", **query)
        assert response.status_code == 200, response.content
        return [r.get("title") or r.get("partner") for r in response.json()["items"]]

    assert titles("policies", status="idea") == ["Quiet zoning change", "Universal pre-K"]
    assert titles("policies", status="adopted") == []
    assert titles("public-will", kind="campaign") == ["Read to them"]
    assert titles("public-will", kind="event") == []
    assert titles("commitments", partner="riverton-public-library") == ["riverton-public-library"]
    assert titles("commitments", kind="data") == ["northside-food-bank"]
    assert titles("commitments", partner="no-such") == []
    assert call("staff", "get", f"{BASE}/policies", status="nope").status_code == 422


POLICY = {
    "title": "Free bus passes",
    "level": "local",
    "body": "City Council",
    "position": "support",
}


@pytest.mark.parametrize("who", EVERYONE)
def test_policy_writes_by_role(cast, rows, call, who):
    policy = rows[0]
    made = call(who, "post", f"{BASE}/policies", POLICY)
    assert made.status_code == write(who, {"staff"}, 201), made.content
    changed = call(
        who, "patch", f"{BASE}/policies/{policy.uuid}", {"revision": 1, "status": "drafted"}
    )
    assert changed.status_code == write(who, {"staff"})
    event = {"happened_on": "2024-05-01", "description": "Hearing", "status_after": "introduced"}
    added = call(who, "post", f"{BASE}/policies/{policy.uuid}/events", event)
    assert added.status_code == write(who, {"staff"}, 201)
    policy.refresh_from_db()
    if who == "staff":
        assert made.json()["revision"] == 1 and made.json()["url"].endswith("/")
        assert Policy.objects.get(uuid=made.json()["uuid"]).revised_by == cast.staff
        assert policy.status == "introduced" and policy.revision == 3
        assert added.json()["status_before"] == "drafted"
    else:
        assert policy.status == "idea" and not PolicyEvent.objects.exists()


def test_policy_stale_revision_and_refusals(cast, rows, call):
    policy = rows[0]
    first = call("staff", "patch", f"{BASE}/policies/{policy.uuid}", {"revision": 1, "title": "A"})
    assert first.status_code == 200 and first.json()["revision"] == 2
    stale = call("staff", "patch", f"{BASE}/policies/{policy.uuid}", {"revision": 1, "title": "B"})
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "A"
    outsider = call(
        "staff",
        "patch",
        f"{BASE}/policies/{policy.uuid}",
        {"revision": 2, "next_step_owner": str(cast.other_staff.uuid)},
    )
    assert outsider.status_code == 422
    assert outsider.json()["detail"][0]["loc"] == ["body", "next_step_owner"]
    owner = call(
        "staff",
        "patch",
        f"{BASE}/policies/{policy.uuid}",
        {"revision": 2, "next_step_owner": str(cast.steward_a.uuid)},
    )
    assert owner.json()["next_step_owner_name"] == "Ada Steward"


@pytest.mark.parametrize("who", EVERYONE)
def test_public_will_writes_by_role(cast, rows, call, who):
    item = rows[2]
    body = {"kind": "event", "title": "Fair", "starts_on": "2024-06-01", "reach": 40}
    made = call(who, "post", f"{BASE}/public-will", body)
    assert made.status_code == write(who, {"staff"}, 201), made.content
    changed = call(who, "patch", f"{BASE}/public-will/{item.uuid}", {"revision": 1, "reach": 9})
    assert changed.status_code == write(who, {"staff"})
    item.refresh_from_db()
    assert (item.reach == 9) == (who == "staff")


def test_public_will_refusals_and_stale_revision(cast, rows, call):
    item = rows[2]
    late = {"kind": "event", "title": "Fair", "starts_on": "2024-06-01", "ends_on": "2024-06-02"}
    refused = call("staff", "post", f"{BASE}/public-will", late)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == "Only a campaign has an end date."
    path = f"{BASE}/public-will/{item.uuid}"
    assert call("staff", "patch", path, {"revision": 1, "title": "New"}).status_code == 200
    stale = call("staff", "patch", path, {"revision": 1, "title": "Newer"})
    assert stale.status_code == 409 and stale.json()["current"]["title"] == "New"
    assert PublicWillItem.objects.get(pk=item.pk).title == "New"


@pytest.mark.parametrize("who", EVERYONE)
def test_commitment_writes_by_role(cast, rows, call, who):
    _, _, _, own, theirs, _ = rows
    body = {
        "partner": "riverton-public-library",
        "kind": "staff_time",
        "description": "Two librarians on Saturdays",
        "starts_on": "2024-04-01",
    }
    made = call(who, "post", f"{BASE}/commitments", body)
    assert made.status_code == write(who, PARTNER_A, 201), made.content
    path = f"{BASE}/commitments/{own.uuid}"
    changed = call(who, "patch", path, {"revision": 1, "status": "in_progress"})
    assert changed.status_code == write(who, PARTNER_A)
    progress = {"on": "2024-05-01", "text": "Going", "status": "done"}
    reported = call(who, "post", f"{path}/updates", progress)
    assert reported.status_code == write(who, PARTNER_A, 201)
    # partner B's commitment: only the backbone and partner B's steward
    other = call(
        who, "patch", f"{BASE}/commitments/{theirs.uuid}", {"revision": 1, "kind": "budget"}
    )
    assert other.status_code == write(who, {"staff", "steward_b"})
    foreign = dict(body, partner="northside-food-bank")
    assert call(who, "post", f"{BASE}/commitments", foreign).status_code == write(
        who, {"staff", "steward_b"}, 201
    )
    own.refresh_from_db()
    assert (own.status == "done") == (who in PARTNER_A)


def test_commitment_refusals_and_stale_revision(cast, rows, call):
    own = rows[3]
    path = f"{BASE}/commitments/{own.uuid}"
    assert call("steward_a", "patch", path, {"revision": 1, "kind": "data"}).status_code == 200
    stale = call("member_a", "patch", path, {"revision": 1, "kind": "policies"})
    assert stale.status_code == 409 and stale.json()["current"]["kind"] == "data"
    assert Commitment.objects.get(pk=own.pk).kind == "data"
    unknown = {"partner": "no-such", "kind": "data", "description": "x", "starts_on": "2024-01-01"}
    refused = call("staff", "post", f"{BASE}/commitments", unknown)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "partner"]
    assert (
        call("staff", "post", f"{path}/updates", {"on": "2024-01-01", "text": ""}).status_code
        == 422
    )


def test_revoked_and_other_initiative_tokens(cast, rows, call):
    assert call("revoked_token", "get", f"{BASE}/commitments").status_code == 401
    assert call("other_initiative_token", "get", f"{BASE}/commitments").status_code == 404
    lakeside = call("other_initiative_token", "get", "/api/initiatives/lakeside/policies")
    assert [p["title"] for p in lakeside.json()["items"]] == ["Lakeside clinic hours"]
