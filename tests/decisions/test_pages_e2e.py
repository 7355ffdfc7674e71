"""In a real browser: the reading team's lead proposes by consent, two members vote in turn
(the first is told an objection needs a reason), the lead closes it with a review date of
today, and the owner finds it on her home page and reviews it. Each page is looked at
(screenshot), checked with axe-core, and fits a phone's width."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backbone.decisions.models import Outcome, Proposal, Review, Vote
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import make_group, make_meeting, propose

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
BASE = "/i/riverton/decisions/"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def assert_fits_a_phone(page, name):
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})


def switch_to(page, email):
    page.context.clear_cookies()
    sign_in(page, email, PASSWORD)


def test_group_votes_the_lead_closes_and_the_owner_reviews(cast, page):
    team = make_group(
        cast.initiative,
        "Reading action team",
        cast.steward_a,
        [cast.steward_a, cast.member_a, cast.community],
    )
    make_meeting(cast.initiative, "Reading team, March", team)
    propose(cast, title="Share attendance monthly", method="consensus", unit="organisation")

    sign_in(page, "steward.a@example.org", PASSWORD)
    page.goto(BASE)
    page.get_by_role("link", name="Make a proposal").click()
    page.get_by_label("Title").fill("Move summer reading sign-up to the library branches")
    page.get_by_role("textbox", name="Proposal", exact=True).fill(
        "Families sign up at any branch instead of at school, from June."
    )
    page.get_by_label("Put to").select_option(label="Reading action team")
    page.get_by_label("Decision method").select_option("consent")
    closes = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Closing date").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Meeting it concerns").select_option(index=1)
    assert_accessible(page, "decisions-propose")
    page.get_by_role("button", name="Propose").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Move summer reading sign-up")).to_be_visible()
    proposal = Proposal.objects.get(group=team)
    url = f"{BASE}{proposal.uuid}/"
    assert_accessible(page, "decisions-proposal-open")

    # the first member: an objection with no reason is refused, then no objection (htmx)
    switch_to(page, "member.a@example.org")
    page.goto("/")
    expect(page.get_by_role("heading", name="Proposals waiting for your vote")).to_be_visible()
    page.get_by_role("link", name="Move summer reading sign-up to the library branches").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Objection", exact=True).check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("An objection needs a reason")).to_be_visible()
    assert not Vote.objects.exists()
    assert_accessible(page, "decisions-vote-error")
    page.get_by_label("No objection").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your vote is recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Change your vote")).to_be_visible()
    assert Vote.objects.get().voter == cast.member_a

    # the second member, a resident
    switch_to(page, "resident@example.org")
    page.goto(url)
    page.get_by_label("No objection").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your vote is recorded.")).to_be_visible()
    expect(page.get_by_text("2 of 3 people have voted so far")).to_be_visible()
    assert_accessible(page, "decisions-proposal-voted")
    assert_fits_a_phone(page, "decisions-proposal-voted")

    # the proposer closes it; the owner is the member, the review date today
    switch_to(page, "steward.a@example.org")
    page.goto(url)
    page.get_by_role("link", name="Close and record the outcome").click()
    expect(page.get_by_text("Counted now")).to_be_visible()
    page.get_by_label("Summary").fill("Adopted: sign-up moves to the branches from June.")
    page.get_by_label("Owner of the outcome").select_option(label="Mo Member")
    page.get_by_label("Review on").fill(timezone.localdate().isoformat())
    assert_accessible(page, "decisions-close")
    page.get_by_role("button", name="Close and record the outcome").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Outcome: Adopted")).to_be_visible()
    expect(page.get_by_text(timezone.localdate().strftime("%-d %B %Y")).first).to_be_visible()
    expect(page.get_by_role("button", name="Change my vote")).to_be_hidden()
    assert_accessible(page, "decisions-proposal-closed")
    outcome = Outcome.objects.get(proposal=proposal)
    assert (outcome.result, outcome.owner, outcome.review_on) == (
        "adopted",
        cast.member_a,
        timezone.localdate(),
    )
    page.goto(BASE)
    assert_accessible(page, "decisions-list")
    assert_fits_a_phone(page, "decisions-list")

    # on the review date, the owner's home page shows it
    switch_to(page, "member.a@example.org")
    page.goto("/")
    expect(page.get_by_role("heading", name="Decisions due for review")).to_be_visible()
    assert_accessible(page, "decisions-home-review")
    page.get_by_role(
        "link", name="Review: Move summer reading sign-up to the library branches"
    ).click()
    page.get_by_label("What the review found").fill("Sign-ups doubled at Eastgate branch.")
    page.get_by_label("Next review").fill((timezone.localdate() + timedelta(days=90)).isoformat())
    assert_accessible(page, "decisions-review")
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Sign-ups doubled at Eastgate branch.")).to_be_visible()
    assert Review.objects.get().by == cast.member_a
    page.goto("/")
    expect(page.get_by_role("heading", name="Decisions due for review")).to_be_hidden()

    # the backbone's rules page
    switch_to(page, "staff@example.org")
    page.goto(BASE + "rules/")
    assert_accessible(page, "decisions-rules")
    page.get_by_role("link", name="Edit the rules of Reading action team").click()
    assert_accessible(page, "decisions-rules-form")
