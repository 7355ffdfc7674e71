"""The demo's decisions, as the people of Riverton see them."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.decisions.demo import decisions_demo
from backbone.decisions.models import Outcome, Proposal, Vote, VoteChange

pytestmark = pytest.mark.integration


def client_for(email: str) -> Client:
    client = Client()
    client.force_login(Person.objects.get(email=email))
    return client


def test_demo_has_an_adopted_a_blocked_and_an_open_decision(demo):
    proposals = Proposal.objects.filter(initiative=demo).select_related("group", "meeting")
    assert proposals.count() == 3
    adopted = proposals.get(method="consent")
    assert adopted.group is not None and adopted.meeting.group == adopted.group
    assert adopted.outcome.result == "adopted"
    assert set(Vote.objects.filter(proposal=adopted).values_list("choice", flat=True)) == {
        "no_objection"
    }

    blocked = proposals.get(method="consensus")
    assert blocked.group is None and blocked.unit == "organisation" and blocked.strategy
    choices = Counter(Vote.objects.filter(proposal=blocked).values_list("choice", flat=True))
    assert choices["block"] >= 1 and blocked.outcome.result == "blocked"
    votes = Vote.objects.filter(proposal=blocked)
    assert votes.count() == votes.values("organisation").distinct().count()  # one per organisation
    library = votes.get(organisation__name="Riverton Public Library")
    assert VoteChange.objects.filter(vote=library).values("by").distinct().count() == 2

    today = timezone.localdate()
    assert blocked.outcome.owner.email == "maya.okafor@riverton.example"
    assert today < blocked.outcome.review_on <= today + timedelta(days=14)
    assert adopted.outcome.review_on > today

    gradient = proposals.get(method="gradient")
    assert gradient.is_open and gradient.accepts_votes()
    assert 9 <= (timezone.localdate(gradient.closes_at) - today).days <= 10
    assert Vote.objects.filter(proposal=gradient).count() >= 2
    assert Outcome.objects.filter(initiative=demo).count() == 2


def test_demo_pages_show_the_decisions(demo):
    maya = client_for("maya.okafor@riverton.example")
    listing = maya.get(f"/i/{demo.slug}/decisions/")
    assert listing.status_code == 200
    for title in Proposal.objects.filter(initiative=demo).values_list("title", flat=True):
        assert title in listing.text
    blocked = Proposal.objects.get(initiative=demo, method="consensus")
    page = maya.get(f"/i/{demo.slug}/decisions/{blocked.uuid}/").text
    assert "Outcome: Blocked" in page and "Latino Family Alliance" in page


def test_the_reading_lead_is_asked_for_her_vote(demo):
    home = client_for("priya.natarajan@riverton.example").get("/").text
    assert "Proposals waiting for your vote" in home
    assert Proposal.objects.get(initiative=demo, method="gradient").title in home


def test_rebuilding_the_demo_decisions_gives_the_same(demo):
    first = {
        "proposals": Proposal.objects.filter(initiative=demo).count(),
        "votes": Vote.objects.filter(initiative=demo).count(),
        "outcomes": Outcome.objects.filter(initiative=demo).count(),
    }
    assert decisions_demo(initiative=demo) == first
