"""Proposals, votes and outcomes over the API: who reads and votes, the names beside the votes
never reach a funder through any field, stale proposals close on read, refusals are 422."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from backbone.decisions.models import Proposal, Vote, VoteChange
from tests.api import callers
from tests.api.callers import EVERYONE, MEMBERS
from tests.decisions.conftest import poll, propose

pytestmark = pytest.mark.integration

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

BASE = "/api/initiatives/riverton/proposals"

READERS = MEMBERS
# put to all partners, one vote per person: the backbone and active partners' people
VOTERS = {"staff", "steward_a", "member_a", "steward_b", "personal_token"}


def expected(who: str, allowed: set[str], *, hidden: bool = False) -> int:
    if who == "revoked_token":
        return 401
    if who not in READERS:
        return 404
    if who in allowed:
        return 200
    return 404 if hidden else 403


@pytest.fixture
def proposals(cast, world):
    everyone = propose(cast)
    private = propose(cast, group=world.private, title="Share the data", by=cast.steward_b)
    return everyone, private


@pytest.mark.parametrize("who", EVERYONE)
def test_list_and_read_by_role(cast, proposals, call, who):
    everyone, private = proposals
    listed = call(who, "get", BASE)
    assert listed.status_code == expected(who, READERS)
    if listed.status_code == 200:
        titles = {p["title"] for p in listed.json()["items"]}
        sees_private = who in {"staff", "steward_b"}
        assert titles == {"Adopt the shared referral form"} | (
            {"Share the data"} if sees_private else set()
        )
        row = next(p for p in listed.json()["items"] if p["uuid"] == str(everyone.uuid))
        assert row["may_vote"] == (who in VOTERS)
    one = call(who, "get", f"{BASE}/{everyone.uuid}")
    assert one.status_code == expected(who, READERS)
    hidden = call(who, "get", f"{BASE}/{private.uuid}")
    assert hidden.status_code == expected(who, {"staff", "steward_b"}, hidden=True)


@pytest.mark.parametrize("who", EVERYONE)
def test_vote_by_role(cast, proposals, call, who):
    everyone, private = proposals
    response = call(who, "put", f"{BASE}/{everyone.uuid}/vote", {"choice": "no_objection"})
    assert response.status_code == expected(who, VOTERS), response.content
    assert Vote.objects.filter(proposal=everyone).count() == (response.status_code == 200)
    if response.status_code == 200:
        assert response.json()["answer"] == "No objection"
        assert response.json()["organisation"] is None
        voter = cast.steward_a if who == "personal_token" else cast.person(who)
        assert Vote.objects.get(proposal=everyone).voter == voter
    # the private group's proposal: its one member and nobody else
    other = call(who, "put", f"{BASE}/{private.uuid}/vote", {"choice": "no_objection"})
    assert other.status_code == expected(who, {"steward_b"}, hidden=who != "staff")


def test_votes_are_named_to_members_but_never_to_a_funder(cast, proposals, call):
    everyone, _ = proposals
    objection = {"choice": "objection", "reason": "Our intake form is mandated by the state."}
    assert call("steward_a", "put", f"{BASE}/{everyone.uuid}/vote", objection).status_code == 200
    seen = call("member_a", "get", f"{BASE}/{everyone.uuid}").json()
    ada = next(v for v in seen["voters"] if v["name"] == "Ada Steward")
    assert ada["vote"]["choice"] == "objection"
    assert ada["vote"]["reason"] == objection["reason"]
    assert [h["by"]["name"] for h in seen["history"]] == ["Ada Steward"]
    assert seen["tally"]["total"] == 1 and seen["tally"]["result"] == "not_adopted"

    funder = call("funder", "get", f"{BASE}/{everyone.uuid}")
    found = funder.json()
    assert found["voters"] is None and found["history"] is None and found["my_vote"] is None
    assert found["tally"]["total"] == 1 and found["electorate"] == seen["electorate"]
    text = json.dumps(found)
    assert "Ada Steward" not in text and str(cast.steward_a.uuid) not in text
    assert "mandated" not in text  # a reason says who objected as surely as a name
    listed = json.dumps(call("funder", "get", BASE).json())
    assert "Ada Steward" not in listed and "mandated" not in listed


def test_a_vote_changes_and_keeps_its_history(cast, proposals, call):
    everyone, _ = proposals
    path = f"{BASE}/{everyone.uuid}/vote"
    assert call("member_a", "put", path, {"choice": "no_objection"}).status_code == 200
    changed = call("member_a", "put", path, {"choice": "objection", "reason": "Cost."})
    assert changed.status_code == 200 and changed.json()["choice"] == "objection"
    assert Vote.objects.filter(proposal=everyone).count() == 1
    assert VoteChange.objects.filter(proposal=everyone).count() == 2
    mine = call("member_a", "get", f"{BASE}/{everyone.uuid}").json()["my_vote"]
    assert mine["choice"] == "objection" and mine["voter"]["name"] == "Mo Member"


def test_what_the_vote_service_refuses_is_422(cast, proposals, call):
    everyone, _ = proposals
    path = f"{BASE}/{everyone.uuid}/vote"
    bare = call("staff", "put", path, {"choice": "objection"})
    assert bare.status_code == 422
    assert bare.json()["detail"][0]["loc"] == ["body", "reason"]
    assert "objection needs a reason" in bare.json()["detail"][0]["msg"]
    assert call("staff", "put", path, {"choice": "agree"}).status_code == 422
    assert call("staff", "put", path, {"level": 3}).status_code == 422
    assert call("staff", "put", path, {"option": "Tuesday"}).status_code == 422
    assert call("staff", "put", path, {"choice": "maybe"}).status_code == 422
    assert Vote.objects.filter(proposal=everyone).count() == 0


def test_a_poll_takes_an_option_by_its_label(cast, world, call):
    chosen = poll(cast)
    path = f"{BASE}/{chosen.uuid}/vote"
    assert call("steward_b", "put", path, {"option": "Wednesday"}).status_code == 200
    assert call("steward_b", "put", path, {"option": "Friday"}).status_code == 422
    found = call("steward_b", "get", f"{BASE}/{chosen.uuid}").json()
    assert [o["label"] for o in found["options"]] == ["Tuesday", "Wednesday", "Thursday"]
    assert found["tally"]["winners"] == ["Wednesday"]


def test_per_organisation_a_partner_never_changes_another_partners_vote(cast, world, call):
    proposal = propose(cast, unit="organisation")
    path = f"{BASE}/{proposal.uuid}/vote"
    assert call("steward_a", "put", path, {"choice": "no_objection"}).status_code == 200
    changed = call("member_a", "put", path, {"choice": "objection", "reason": "Wait."})
    assert changed.status_code == 200 and changed.json()["organisation"] == cast.org_a.slug
    assert Vote.objects.get(proposal=proposal, organisation=cast.org_a).choice == "objection"
    foreign = {"choice": "no_objection", "organisation": cast.org_a.slug}
    refused = call("steward_b", "put", path, foreign)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "organisation"]
    assert Vote.objects.get(proposal=proposal, organisation=cast.org_a).choice == "objection"
    # the backbone acts for no partner: it reads, it does not vote here
    assert call("staff", "put", path, {"choice": "no_objection"}).status_code == 403


def test_a_proposal_past_its_date_closes_on_read_and_takes_no_vote(cast, proposals, call):
    everyone, _ = proposals
    call("steward_a", "put", f"{BASE}/{everyone.uuid}/vote", {"choice": "no_objection"})
    past = timezone.now() - timedelta(minutes=1)
    Proposal.objects.filter(pk=everyone.pk).update(
        opens_at=past - timedelta(days=1), closes_at=past
    )
    found = call("evaluator", "get", f"{BASE}/{everyone.uuid}").json()
    assert found["status"] == "closed" and found["result"] == "adopted"
    assert found["outcome"]["result"] == "adopted"
    assert found["outcome"]["closed_by"] is None
    assert found["outcome"]["owner"]["name"] == "Sam Staff"
    late = call("steward_a", "put", f"{BASE}/{everyone.uuid}/vote", {"choice": "objection"})
    assert late.status_code == 422 and "closed" in late.json()["detail"][0]["msg"]


def test_list_filters(cast, world, proposals, call):
    everyone, private = proposals

    def titles(who="staff", **query):
        response = call(who, "get", BASE, **query)
        assert response.status_code == 200, response.content
        return [p["title"] for p in response.json()["items"]]

    assert titles(group=str(world.private.uuid)) == ["Share the data"]
    assert titles(all_partners="true") == ["Adopt the shared referral form"]
    assert titles(status="closed") == []
    assert titles("steward_b", may_vote="true") == [
        "Adopt the shared referral form",
        "Share the data",
    ]
    assert titles("community", may_vote="true") == []
    assert call("staff", "get", BASE, status="maybe").status_code == 422


def test_public_initiative_does_not_open_decisions(cast, proposals, call):
    everyone, _ = proposals
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert call("anonymous", "get", BASE).status_code == 401
    assert call("public", "get", f"{BASE}/{everyone.uuid}").status_code == 403
    assert call("other_initiative_token", "get", BASE).status_code == 404
    vote = {"choice": "no_objection"}
    assert call("anonymous", "put", f"{BASE}/{everyone.uuid}/vote", vote).status_code == 401
