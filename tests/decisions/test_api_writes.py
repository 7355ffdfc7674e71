"""Proposing, closing early and reviewing over the API: who may do each (the pages' rules),
what the services refuse (422 with their message), and the decision announced on close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backbone.decisions import services
from backbone.decisions.models import Outcome, Proposal, Review
from tests.api import callers
from tests.api.callers import EVERYONE, MEMBERS
from tests.decisions.conftest import propose

pytestmark = pytest.mark.integration

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

BASE = "/api/initiatives/riverton/proposals"

READERS = MEMBERS


def expected(who: str, allowed: set[str], ok: int = 200) -> int:
    if who == "revoked_token":
        return 401
    if who not in READERS:
        return 404
    return ok if who in allowed else 403


def body(**extra) -> dict:
    return {
        "title": "Share attendance monthly",
        "text": "Every partner shares attendance by the fifth of the month.",
        "method": "consent",
        "closes_at": (timezone.now() + timedelta(days=7)).isoformat(),
        **extra,
    }


@pytest.fixture
def announced(monkeypatch) -> list:
    sent: list = []
    monkeypatch.setattr(
        services.webhooks, "announce", lambda initiative, event, data, **kw: sent.append(event)
    )
    return sent


# --- proposing ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_propose_to_a_group_by_role(cast, world, call, who):
    """Its lead and members (partners' and community people) and the backbone; steward B, who
    sees the open group but does not sit in it, and who sits in no group, are refused."""
    allowed = {"staff", "steward_a", "member_a", "community", "personal_token"}
    response = call(who, "post", BASE, body(group=str(world.group.uuid)))
    assert response.status_code == expected(who, allowed, 201), response.content
    made = Proposal.objects.filter(initiative=cast.initiative)
    assert made.count() == (response.status_code == 201)
    if response.status_code == 201:
        found = response.json()
        proposer = cast.steward_a if who == "personal_token" else cast.person(who)
        assert found["proposer"]["uuid"] == str(proposer.uuid)
        assert found["group"] == str(world.group.uuid) and found["status"] == "open"
        assert found["unit"] == "person" and found["outcome"] is None


@pytest.mark.parametrize("who", ["staff", "steward_a", "personal_token", "funder"])
def test_only_the_backbone_proposes_to_all_partners(cast, world, call, who):
    response = call(who, "post", BASE, body())
    assert response.status_code == (201 if who == "staff" else 403), response.content
    if who == "staff":
        assert response.json()["group"] is None


def test_a_private_group_is_no_group_to_who_does_not_see_it(cast, world, call):
    response = call("steward_a", "post", BASE, body(group=str(world.private.uuid)))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "group"]
    # its one member proposes to it
    own = call("steward_b", "post", BASE, body(group=str(world.private.uuid)))
    assert own.status_code == 201 and own.json()["group_name"] == "Data sharing"


def test_a_poll_with_its_options_and_links(cast, world, call):
    made = call(
        "staff",
        "post",
        BASE,
        body(
            method="poll",
            options=["Tuesday", "Thursday"],
            unit="organisation",
            meeting=str(world.meeting.uuid),
            strategy=str(world.strategy.uuid),
            indicator="third-grade-reading",
        ),
    )
    assert made.status_code == 201, made.content
    found = made.json()
    assert [o["label"] for o in found["options"]] == ["Tuesday", "Thursday"]
    assert found["unit"] == "organisation"
    assert found["meeting"] == str(world.meeting.uuid)
    assert found["strategy"] == str(world.strategy.uuid)
    assert found["indicator"] == "third-grade-reading"


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"method": "poll", "options": ["Only one"]}, "options"),
        ({"options": ["Tuesday", "Thursday"]}, "options"),
        ({"closes_at": "2020-01-01T00:00:00Z"}, "closes_at"),
        ({"group": "00000000-0000-4000-8000-000000000000"}, "group"),
        ({"strategy": "00000000-0000-4000-8000-000000000000"}, "strategy"),
        ({"indicator": "no-such-code"}, "indicator"),
    ],
)
def test_what_the_rules_refuse_is_422_and_nothing_is_saved(cast, world, call, extra, field):
    response = call("staff", "post", BASE, body(**extra))
    assert response.status_code == 422, response.content
    assert ["body", field] in [d["loc"] for d in response.json()["detail"]]
    assert not Proposal.objects.filter(initiative=cast.initiative).exists()


def test_links_of_the_other_initiative_are_refused(cast, world, call):
    response = call(
        "staff",
        "post",
        BASE,
        body(meeting=str(world.other_meeting.uuid), strategy=str(world.other_strategy.uuid)),
    )
    assert response.status_code == 422
    assert {tuple(d["loc"]) for d in response.json()["detail"]} == {
        ("body", "meeting"),
        ("body", "strategy"),
    }


def test_a_method_the_groups_rules_do_not_allow_is_422(cast, world, call):
    services.rules_save(
        initiative=cast.initiative, group=world.group, allowed=["consent"], default_unit="person"
    )
    response = call("steward_a", "post", BASE, body(group=str(world.group.uuid), method="poll"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "method"]
    assert "allows consent" in response.json()["detail"][0]["msg"]


# --- closing early -----------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_close_by_role(cast, world, call, announced, who):
    """Its proposer (steward A, in person or by their token) and the backbone."""
    proposal = propose(cast, group=world.group, by=cast.steward_a)
    response = call(who, "post", f"{BASE}/{proposal.uuid}/close", {"summary": "Adopted."})
    allowed = {"staff", "steward_a", "personal_token"}
    assert response.status_code == expected(who, allowed), response.content
    proposal.refresh_from_db()
    assert proposal.is_open == (response.status_code != 200)
    assert announced == (["decision.taken"] if response.status_code == 200 else [])
    if response.status_code == 200:
        found = response.json()
        assert found["status"] == "closed" and found["result"] == found["tally"]["result"]
        outcome = found["outcome"]
        assert outcome["owner"]["name"] == "Ada Steward"  # the proposer, by default
        assert outcome["review_on"] == str(timezone.localdate() + services.AUTO_REVIEW_AFTER)
        closer = cast.steward_a if who == "personal_token" else cast.person(who)
        assert outcome["closed_by"]["uuid"] == str(closer.uuid)


def test_close_names_an_owner_and_refuses_what_the_service_refuses(cast, world, call):
    proposal = propose(cast)
    path = f"{BASE}/{proposal.uuid}/close"
    outsider = call("staff", "post", path, {"summary": "x", "owner": str(cast.other_staff.uuid)})
    assert outsider.status_code == 422
    assert outsider.json()["detail"][0]["loc"] == ["body", "owner"]
    past = call("staff", "post", path, {"summary": "x", "review_on": "2020-01-01"})
    assert past.status_code == 422
    assert past.json()["detail"][0]["loc"] == ["body", "review_on"]
    assert call("staff", "post", path, {"summary": "  "}).status_code == 422
    assert proposal.outcomes.count() == 0
    review_on = str(timezone.localdate() + timedelta(days=30))
    closed = call(
        "staff",
        "post",
        path,
        {"summary": "Ok", "owner": str(cast.member_a.uuid), "review_on": review_on},
    )
    assert closed.status_code == 200
    assert closed.json()["outcome"]["owner"]["name"] == "Mo Member"
    assert closed.json()["outcome"]["review_on"] == review_on
    again = call("staff", "post", path, {"summary": "Again"})
    assert again.status_code == 422 and "already closed" in again.json()["detail"][0]["msg"]
    assert Outcome.objects.filter(proposal=proposal).count() == 1


def test_a_private_groups_proposal_is_not_found_to_who_does_not_see_it(cast, world, call):
    proposal = propose(cast, group=world.private, by=cast.steward_b)
    path = f"{BASE}/{proposal.uuid}"
    assert call("steward_a", "post", f"{path}/close", {"summary": "x"}).status_code == 404
    assert call("steward_b", "post", f"{path}/close", {"summary": "x"}).status_code == 200
    assert call("member_a", "post", f"{path}/review", {"note": "x"}).status_code == 404


# --- reviewing ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_review_by_role(cast, world, call, who):
    """The outcome's owner (member A here) and the backbone."""
    proposal = propose(cast)
    services.proposal_close(
        proposal=proposal,
        by=cast.staff,
        summary="Adopted.",
        owner=cast.member_a,
        review_on=timezone.localdate(),
    )
    next_on = str(timezone.localdate() + timedelta(days=60))
    response = call(
        who,
        "post",
        f"{BASE}/{proposal.uuid}/review",
        {"note": "Working well.", "next_review_on": next_on},
    )
    assert response.status_code == expected(who, {"staff", "member_a"}, 201), response.content
    assert Review.objects.filter(outcome__proposal=proposal).count() == (
        response.status_code == 201
    )
    if response.status_code == 201:
        assert response.json()["note"] == "Working well."
        assert response.json()["by"]["uuid"] == str(cast.person(who).uuid)
        assert str(Outcome.objects.get(proposal=proposal).review_on) == next_on


def test_review_refusals(cast, world, call):
    proposal = propose(cast)
    path = f"{BASE}/{proposal.uuid}/review"
    # open: no outcome to review yet, as the page
    assert call("staff", "post", path, {"note": "Early."}).status_code == 404
    call("staff", "post", f"{BASE}/{proposal.uuid}/close", {"summary": "Ok"})
    today = call("staff", "post", path, {"note": "x", "next_review_on": str(timezone.localdate())})
    assert today.status_code == 422
    assert today.json()["detail"][0]["loc"] == ["body", "next_review_on"]
    assert call("staff", "post", path, {"note": " "}).status_code == 422
    final = call("staff", "post", path, {"note": "Done: no more reviews."})
    assert final.status_code == 201 and final.json()["next_review_on"] is None
    assert Outcome.objects.get(proposal=proposal).review_on is None
