"""Who may read, propose, vote, close, review and set the rules, role by role, on every page
and form. Outsiders get 404, members denied 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backbone.decisions import services
from backbone.decisions.models import DecisionRules, Outcome, Proposal, Review, Vote
from tests.conftest import ROLES

from .conftest import propose

pytestmark = pytest.mark.integration

BASE = "/i/riverton/decisions/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS
GROUP = {"steward_a", "member_a", "community"}  # the open reading team
PARTNER_PEOPLE = {"steward_a", "steward_b", "member_a"}


def expected(role, allowed):
    if role in OUTSIDERS:
        return 404
    return 200 if role in allowed else 403


@pytest.fixture
def things(cast, world):
    group_p = propose(cast, group=world.group, by=cast.steward_a, title="Group proposal")
    all_p = propose(cast, title="All partners")
    org_p = propose(cast, title="Per organisation", unit="organisation", method="consensus")
    private_p = propose(cast, group=world.private, by=cast.steward_b, title="Private one")
    closed = propose(cast, group=world.group, by=cast.member_a, title="Closed one")
    services.proposal_close(
        proposal=closed,
        by=cast.member_a,
        summary="Done",
        owner=cast.member_a,
        review_on=timezone.localdate(),
    )
    return {
        "group": group_p,
        "all": all_p,
        "org": org_p,
        "private": private_p,
        "closed": closed,
        "team": world.group,
    }


def url(page, things):
    return BASE + page.format(**{k: v.uuid for k, v in things.items()})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["", "{group}/", "{all}/", "{org}/", "{closed}/"])
def test_decision_pages_read_by_every_member(as_role, things, role, page):
    assert as_role(role).get(url(page, things)).status_code == expected(role, MEMBERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["{private}/", "{private}/vote/", "{private}/close/"])
def test_private_groups_proposal_is_hidden_from_others(as_role, things, role, page):
    status = as_role(role).get(url(page, things)).status_code
    if role in {"staff", "steward_b"}:
        assert status == 200 or (page.endswith("vote/") and role == "staff" and status == 403)
    else:
        assert status == 404


@pytest.mark.parametrize("role", ROLES)
def test_propose_form_for_the_backbone_and_group_members(as_role, things, role):
    allowed = {"staff", "steward_b", *GROUP}  # steward_b sits in the private group
    assert as_role(role).get(url("new/", things)).status_code == expected(role, allowed)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("page", "allowed"),
    [
        ("{group}/vote/", GROUP),
        ("{all}/vote/", {"staff", *PARTNER_PEOPLE}),
        ("{org}/vote/", PARTNER_PEOPLE),
        ("{group}/close/", {"staff", "steward_a"}),
        ("{closed}/review/", {"staff", "member_a"}),
        ("rules/", {"staff"}),
        ("rules/all-partners/", {"staff"}),
        ("rules/{team}/", {"staff"}),
    ],
)
def test_forms_for_those_they_belong_to(as_role, things, role, page, allowed):
    assert as_role(role).get(url(page, things)).status_code == expected(role, allowed)


def post_status(role, allowed, ok=302):
    if role in OUTSIDERS:
        return 404
    return ok if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_vote_posted_only_by_group_members(as_role, things, role):
    response = as_role(role).post(url("{group}/vote/", things), {"choice": "no_objection"})
    assert response.status_code == post_status(role, GROUP)
    assert Vote.objects.filter(proposal=things["group"]).exists() == (role in GROUP)


@pytest.mark.parametrize("role", ROLES)
def test_per_organisation_vote_posted_only_by_partner_people(as_role, things, role):
    response = as_role(role).post(url("{org}/vote/", things), {"choice": "agree"})
    assert response.status_code == post_status(role, PARTNER_PEOPLE)
    assert Vote.objects.filter(proposal=things["org"]).exists() == (role in PARTNER_PEOPLE)


@pytest.mark.parametrize("role", ROLES)
def test_close_posted_only_by_proposer_and_backbone(as_role, things, role, cast):
    allowed = {"staff", "steward_a"}
    response = as_role(role).post(
        url("{group}/close/", things),
        {"summary": "Agreed", "owner": cast.steward_a.pk, "review_on": timezone.localdate()},
    )
    assert response.status_code == post_status(role, allowed)
    assert Outcome.objects.filter(proposal=things["group"]).exists() == (role in allowed)


@pytest.mark.parametrize("role", ROLES)
def test_review_posted_only_by_owner_and_backbone(as_role, things, role):
    allowed = {"staff", "member_a"}
    response = as_role(role).post(url("{closed}/review/", things), {"note": "Still right"})
    assert response.status_code == post_status(role, allowed)
    assert Review.objects.exists() == (role in allowed)


@pytest.mark.parametrize("role", ROLES)
def test_rules_posted_only_by_backbone(as_role, things, role):
    response = as_role(role).post(
        url("rules/{team}/", things), {"allowed_methods": ["consent"], "default_unit": "person"}
    )
    assert response.status_code == post_status(role, {"staff"})
    assert DecisionRules.objects.exists() == (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_backbone_proposes_to_all_partners(as_role, things, role):
    before = Proposal.objects.count()
    closes = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = as_role(role).post(
        url("new/", things),
        {"title": "T", "text": "X", "body": "all", "method": "consent", "closes_at": closes},
    )
    proposers = {"staff", "steward_b", *GROUP}
    if role == "staff":
        assert response.status_code == 302
    elif role in proposers:
        assert response.status_code == 400  # "all partners" is not among their choices
    else:
        assert response.status_code == post_status(role, set())
    assert Proposal.objects.count() == before + (role == "staff")


def test_funders_see_counts_but_not_who_voted_what(as_role, things, cast):
    services.vote_cast(
        proposal=things["group"], person=cast.community, choice="objection", reason="Too soon"
    )
    funder = as_role("funder").get(url("{group}/", things)).text
    evaluator = as_role("evaluator").get(url("{group}/", things)).text
    assert "Cam Resident" not in funder and "Too soon" not in funder
    assert "1 of 3 people" in funder
    assert "Cam Resident" in evaluator and "Too soon" in evaluator
