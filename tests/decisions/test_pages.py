"""The pages and forms as a browser without JavaScript (and htmx) uses them: proposing,
voting, crafted posts refused, closing by hand or by itself, reviewing, the rules, the home
page, and a constant number of queries on the list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backbone.decisions import services
from backbone.decisions.models import DecisionRules, Outcome, Proposal, Vote, VoteChange
from backbone.initiatives import services as initiatives
from backbone.initiatives.roles import Role
from tests.budgets import NAVIGATION_QUERIES

from .conftest import poll, propose

pytestmark = pytest.mark.integration

BASE = "/i/riverton/decisions/"


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def form_data(**extra):
    return {
        "title": "Meet on alternate months at the community centre",
        "text": "From May, every other meeting is held at the Eastgate community centre.",
        "body": "all",
        "method": "consent",
        "unit": "",
        "closes_at": local(timezone.now() + timedelta(days=7)),
        **extra,
    }


def past_closing(proposal):
    """Move a proposal's dates back so that its closing date has passed (still open)."""
    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(
        opens_at=now - timedelta(days=8), closes_at=now - timedelta(minutes=1)
    )


# --- proposing ---------------------------------------------------------------------------


def test_group_member_proposes_a_poll_with_links(as_role, cast, world):
    response = as_role("steward_a").post(
        BASE + "new/",
        form_data(
            body=str(world.group.uuid),
            method="poll",
            options="Tuesday\nWednesday\n\nThursday",
            meeting=str(world.meeting.uuid),
            strategy=str(world.strategy.uuid),
            indicator=str(world.indicator.uuid),
        ),
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert response["Location"] == f"{BASE}{proposal.uuid}/"
    assert (proposal.group, proposal.proposer, proposal.unit) == (
        world.group,
        cast.steward_a,
        "person",
    )
    assert [o.label for o in proposal.options.all()] == ["Tuesday", "Wednesday", "Thursday"]
    assert (proposal.meeting, proposal.strategy, proposal.indicator) == (
        world.meeting,
        world.strategy,
        world.indicator,
    )
    page = as_role("member_a").get(response["Location"]).text
    assert "Reading March" in page and "Third-grade reading" in page and "Wednesday" in page


@pytest.mark.parametrize("link", ["meeting", "strategy", "indicator"])
def test_propose_form_refuses_another_initiatives_link(as_role, world, link):
    response = as_role("staff").post(
        BASE + "new/", form_data(**{link: str(getattr(world, f"other_{link}").uuid)})
    )
    assert response.status_code == 400
    assert f"Choose a {link} of this initiative." in response.text
    assert not Proposal.objects.exists()


def test_propose_form_refuses_a_method_the_group_does_not_allow(as_role, cast, world):
    services.rules_save(
        initiative=cast.initiative,
        group=world.group,
        allowed=["consent", "consensus"],
        default_unit="person",
    )
    response = as_role("steward_a").post(
        BASE + "new/", form_data(body=str(world.group.uuid), method="gradient")
    )
    assert response.status_code == 400
    assert "does not decide by gradient of agreement" in response.text
    assert "Reading action team" in response.text
    assert not Proposal.objects.exists()


def test_propose_form_refuses_a_group_the_person_is_not_in(as_role, world):
    response = as_role("steward_a").post(BASE + "new/", form_data(body=str(world.private.uuid)))
    assert response.status_code == 400 and not Proposal.objects.exists()


# --- voting ------------------------------------------------------------------------------


def test_vote_and_change_without_javascript(as_role, cast, world):
    proposal = propose(cast, group=world.group, method="consensus")
    client = as_role("member_a")
    first = client.post(f"{BASE}{proposal.uuid}/vote/", {"choice": "agree"})
    assert first.status_code == 302 and first["Location"].endswith("#votes")
    page = client.get(f"{BASE}{proposal.uuid}/").text
    assert "Change your vote" in page and "Your vote is recorded." in page
    client.post(f"{BASE}{proposal.uuid}/vote/", {"choice": "block", "reason": "Not yet"})
    assert list(Vote.objects.values_list("choice", flat=True)) == ["block"]
    assert VoteChange.objects.count() == 2


def test_vote_through_htmx_gets_the_votes_section_back(as_role, cast, world):
    proposal = propose(cast, group=world.group)
    response = as_role("community").post(
        f"{BASE}{proposal.uuid}/vote/", {"choice": "no_objection"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="votes"')
    assert "Your vote is recorded." in response.text and "<html" not in response.text
    assert "Every vote and change" in response.text  # the history is swapped in too
    assert Vote.objects.get().voter == cast.community


def test_objection_without_reason_through_the_form(as_role, cast, world):
    proposal = propose(cast, group=world.group)
    response = as_role("community").post(f"{BASE}{proposal.uuid}/vote/", {"choice": "objection"})
    assert response.status_code == 400
    assert "An objection needs a reason" in response.text
    assert not Vote.objects.exists()
    htmx = as_role("community").post(
        f"{BASE}{proposal.uuid}/vote/", {"choice": "objection"}, HTTP_HX_REQUEST="true"
    )
    assert htmx.status_code == 200 and "An objection needs a reason" in htmx.text
    assert not Vote.objects.exists()


def test_crafted_post_with_another_polls_option(as_role, cast):
    mine, other = poll(cast), poll(cast, options=("Red", "Blue"))
    response = as_role("staff").post(
        f"{BASE}{mine.uuid}/vote/", {"option": other.options.first().pk}
    )
    assert response.status_code == 400
    assert "Choose one of this poll&#x27;s options." in response.text
    assert not Vote.objects.exists()


def test_crafted_post_after_the_closing_date(as_role, cast, world):
    proposal = propose(cast, group=world.group)
    past_closing(proposal)
    response = as_role("steward_a").post(f"{BASE}{proposal.uuid}/vote/", {"choice": "no_objection"})
    assert response.status_code == 400 and "Voting closed on" in response.text
    assert not Vote.objects.exists()


def test_crafted_post_on_a_closed_proposal_changes_nothing(as_role, cast, world):
    proposal = propose(cast, group=world.group)
    services.vote_cast(proposal=proposal, person=cast.member_a, choice="no_objection")
    services.proposal_close(
        proposal=proposal,
        by=cast.staff,
        summary="Adopted",
        owner=cast.staff,
        review_on=timezone.localdate(),
    )
    page = as_role("member_a").get(f"{BASE}{proposal.uuid}/").text
    assert "Change my vote" not in page and "Voting is closed" in page
    for role, data in (
        ("member_a", {"choice": "objection", "reason": "Changed my mind"}),
        ("steward_a", {"choice": "no_objection"}),
    ):
        response = as_role(role).post(f"{BASE}{proposal.uuid}/vote/", data)
        assert response.status_code == 400 and "This proposal is closed" in response.text
    assert list(Vote.objects.values_list("voter", "choice")) == [(cast.member_a.pk, "no_objection")]
    assert VoteChange.objects.count() == 1


def test_person_of_two_organisations_chooses_which_one_votes(as_role, cast):
    initiatives.membership_grant(
        initiative=cast.initiative,
        person=cast.steward_a,
        role=Role.PARTNER_MEMBER,
        organisation=cast.org_b,
    )
    proposal = propose(cast, unit="organisation", method="consensus")
    client = as_role("steward_a")
    page = client.get(f"{BASE}{proposal.uuid}/vote/").text
    assert "You vote for" in page and "Northside Food Bank" in page
    response = client.post(
        f"{BASE}{proposal.uuid}/vote/", {"organisation": cast.org_b.slug, "choice": "agree"}
    )
    assert response.status_code == 302
    assert Vote.objects.get().organisation == cast.org_b


def test_organisation_vote_changed_by_a_colleague_shows_who_cast_it(as_role, cast):
    proposal = propose(cast, unit="organisation", method="consensus")
    as_role("steward_a").post(f"{BASE}{proposal.uuid}/vote/", {"choice": "agree"})
    page = as_role("member_a").get(f"{BASE}{proposal.uuid}/").text
    assert "Riverton Public Library's vote, cast by Ada Steward" in page
    as_role("member_a").post(f"{BASE}{proposal.uuid}/vote/", {"choice": "abstain"})
    vote = Vote.objects.get()
    assert (vote.voter, vote.choice) == (cast.member_a, "abstain")


# --- closing -----------------------------------------------------------------------------


def test_proposer_closes_with_owner_and_review_date(as_role, cast, world):
    proposal = propose(cast, group=world.group, by=cast.steward_a)
    services.vote_cast(proposal=proposal, person=cast.member_a, choice="no_objection")
    client = as_role("steward_a")
    form = client.get(f"{BASE}{proposal.uuid}/close/").text
    assert "Counted now" in form and "Adopted" in form
    review_on = timezone.localdate() + timedelta(days=30)
    response = client.post(
        f"{BASE}{proposal.uuid}/close/",
        {"summary": "We use one form.", "owner": cast.member_a.pk, "review_on": review_on},
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.result, outcome.owner, outcome.review_on) == (
        "adopted",
        cast.member_a,
        review_on,
    )
    page = client.get(f"{BASE}{proposal.uuid}/").text
    assert "Outcome: Adopted" in page and review_on.strftime("%-d %B %Y") in page
    again = client.post(
        f"{BASE}{proposal.uuid}/close/",
        {"summary": "Again", "owner": cast.steward_a.pk, "review_on": review_on},
    )
    assert again.status_code == 400 and "already closed" in again.text
    assert Outcome.objects.get().summary == "We use one form."


def test_close_form_refuses_an_owner_outside_the_initiative(as_role, cast, world):
    proposal = propose(cast, group=world.group, by=cast.steward_a)
    response = as_role("staff").post(
        f"{BASE}{proposal.uuid}/close/",
        {"summary": "x", "owner": cast.other_staff.pk, "review_on": timezone.localdate()},
    )
    assert response.status_code == 400 and "must be a person of this initiative" in response.text
    assert not Outcome.objects.exists()


def test_loading_the_page_after_the_closing_date_closes_it(as_role, cast, world):
    proposal = propose(cast, group=world.group, method="consensus")
    services.vote_cast(proposal=proposal, person=cast.member_a, choice="block", reason="No")
    past_closing(proposal)
    page = as_role("funder").get(f"{BASE}{proposal.uuid}/").text
    assert "Outcome: Blocked" in page and "by itself on its closing date" in page
    outcome = Outcome.objects.get()
    assert outcome.result == "blocked" and outcome.owner == cast.staff


# --- review and the home page ------------------------------------------------------------


def test_home_page_shows_reviews_due_and_proposals_waiting(as_role, cast, world):
    waiting = propose(cast, group=world.group, title="Waiting for a vote")
    done = propose(cast, title="Decided earlier")
    services.proposal_close(
        proposal=done,
        by=cast.staff,
        summary="Adopted",
        owner=cast.steward_a,
        review_on=timezone.localdate(),
    )
    later = propose(cast, title="Review later")
    services.proposal_close(
        proposal=later,
        by=cast.staff,
        summary="Adopted",
        owner=cast.steward_a,
        review_on=timezone.localdate() + timedelta(days=1),
    )
    home = as_role("steward_a").get("/").text
    assert "Decisions due for review" in home and "Decided earlier" in home
    assert "Review later" not in home
    assert "Proposals waiting for your vote" in home and waiting.title in home
    assert "Decisions due for review" not in as_role("staff").get("/").text

    as_role("steward_a").post(f"{BASE}{waiting.uuid}/vote/", {"choice": "no_objection"})
    response = as_role("steward_a").post(
        f"{BASE}{done.uuid}/review/", {"note": "Working well", "next_review_on": ""}
    )
    assert response.status_code == 302
    home = as_role("steward_a").get("/").text
    assert "Decided earlier" not in home and waiting.title not in home


def test_review_page_of_an_open_proposal_is_not_found(as_role, cast):
    proposal = propose(cast)
    assert as_role("staff").get(f"{BASE}{proposal.uuid}/review/").status_code == 404


# --- rules -------------------------------------------------------------------------------


def test_backbone_sets_a_groups_rules_and_returns_it_to_the_initiatives(as_role, cast, world):
    client = as_role("staff")
    response = client.post(
        f"{BASE}rules/{world.group.uuid}/",
        {"allowed_methods": ["consent", "poll"], "default_unit": "organisation"},
    )
    assert response.status_code == 302
    rules = DecisionRules.objects.get(group=world.group)
    assert (rules.allowed_methods, rules.default_unit) == (["consent", "poll"], "organisation")
    table = client.get(f"{BASE}rules/").text
    assert "Consent, Poll" in table
    assert "Reading action team: consent, poll" in client.get(f"{BASE}new/").text
    asked = client.get(f"{BASE}rules/{world.group.uuid}/", {"inherit": "1"})
    assert "Follow the rules for all partners</button>" in asked.text
    assert DecisionRules.objects.exists()
    client.post(f"{BASE}rules/{world.group.uuid}/", {"inherit": "1"})
    assert not DecisionRules.objects.exists()


def test_rules_need_at_least_one_method(as_role, world):
    response = as_role("staff").post(
        f"{BASE}rules/all-partners/", {"allowed_methods": [], "default_unit": "person"}
    )
    assert response.status_code == 400 and "Allow at least one decision method." in response.text
    assert not DecisionRules.objects.exists()


# --- query counts ------------------------------------------------------------------------


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BASE).status_code == 200
    return len(queries)


def make_some(cast, world, n):
    for i in range(n):
        p = propose(cast, group=None if i % 2 else world.group, title=f"Open {i}")
        services.vote_cast(proposal=p, person=cast.steward_a, choice="no_objection")
        closed = propose(cast, title=f"Closed {i}")
        services.proposal_close(
            proposal=closed,
            by=cast.staff,
            summary="x",
            owner=cast.staff,
            review_on=timezone.localdate(),
        )


def test_list_queries_do_not_grow_with_proposals(as_role, cast, world):
    client = as_role("steward_a")
    make_some(cast, world, 1)
    one = list_queries(client)
    make_some(cast, world, 2)
    three = list_queries(client)
    assert three == one
    assert one <= 15 + NAVIGATION_QUERIES


def detail_queries(client, proposal) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{BASE}{proposal.uuid}/").status_code == 200
    return len(queries)


def test_detail_queries_do_not_grow_with_votes(as_role, cast, world):
    proposal = propose(cast, method="consensus")
    client = as_role("staff")
    services.vote_cast(proposal=proposal, person=cast.steward_a, choice="agree")
    one = detail_queries(client, proposal)
    services.vote_cast(proposal=proposal, person=cast.steward_b, choice="block", reason="No")
    services.vote_cast(proposal=proposal, person=cast.member_a, choice="abstain")
    assert detail_queries(client, proposal) == one
