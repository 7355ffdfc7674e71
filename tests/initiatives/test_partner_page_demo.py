"""The partner page on the demo, read by one person of each role: properties that hold for
whichever partner reports the most, not the demo's names or counts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db.models import Count

from backbone.accounts.models import Person
from backbone.dashboards.scorecard import Board, visible_indicators
from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.initiatives.roles import Role
from backbone.measurement.models import DataValue
from backbone.permissions import can
from tests.budgets import NAVIGATION_QUERIES
from tests.conftest import client_as

pytestmark = pytest.mark.integration

OTHERS = ["other_steward", "funder", "community", "anonymous"]


def busiest(initiative: Initiative) -> Partner:
    """The partner with approved values for the most indicators."""
    top = (
        DataValue.objects.filter(initiative=initiative, status="approved")
        .values("partner_id")
        .annotate(n=Count("indicator_id", distinct=True))
        .order_by("-n", "partner_id")
        .first()
    )
    return Partner.objects.select_related("organisation").get(pk=top["partner_id"])


def someone(initiative: Initiative, role: str, **where) -> Person:
    found = Membership.objects.filter(initiative=initiative, role=role, **where)
    return found.select_related("person").order_by("person__email").first().person


def steward_elsewhere(initiative: Initiative, organisation) -> Person:
    """A steward of another partner who is not also a member of `organisation`."""
    own = Membership.objects.filter(initiative=initiative, organisation=organisation)
    found = (
        Membership.objects.filter(initiative=initiative, role=Role.PARTNER_STEWARD)
        .exclude(organisation=organisation)
        .exclude(person__in=own.values("person"))
        .select_related("person")
        .order_by("person__email")
    )
    return found.first().person


@pytest.fixture
def readers(demo):
    partner = busiest(demo)
    org = partner.organisation
    return partner, {
        "staff": someone(demo, Role.BACKBONE_STAFF),
        "own_steward": someone(demo, Role.PARTNER_STEWARD, organisation=org),
        "other_steward": steward_elsewhere(demo, org),
        "funder": someone(demo, Role.FUNDER),
        "community": someone(demo, Role.COMMUNITY_MEMBER),
        "anonymous": None,
    }


def read(demo, partner, person):
    response = client_as(person).get(f"/i/{demo.slug}/partners/{partner.organisation.slug}/")
    assert response.status_code == 200
    return response


def test_demo_is_public_so_that_anonymous_readers_are_tested(demo):
    assert demo.is_public


@pytest.mark.parametrize("role", ["staff", "own_steward"])
def test_demo_partner_page_shows_every_indicator_it_reports(demo, readers, role):
    partner, people = readers
    page = read(demo, partner, people[role]).context["page"]
    reported = set(
        DataValue.objects.filter(partner=partner, status="approved").values_list(
            "indicator_id", flat=True
        )
    )
    assert reported and {c.indicator.pk for c in page.contributions} == reported
    for c in page.contributions:
        assert DataValue.objects.filter(
            partner=partner, indicator=c.indicator, period=c.period, status="approved"
        ).exists()
    assert page.owed is not None and page.owed.figures.expected > 0


def test_demo_stewards_see_the_boards_figures_and_no_share_beside_a_hidden_one(demo, readers):
    partner, people = readers
    steward = people["own_steward"]
    page = read(demo, partner, steward).context["page"]
    assert not page.shows_small
    board = Board.read(demo, visible_indicators(steward, demo), shows_small=False)
    for c in page.contributions:
        if board.total_hidden(c.indicator, c.period):
            assert c.overall.hidden and c.overall.value is None and c.share is None
        else:
            assert c.overall.value == board.totals[c.indicator.pk][c.period.pk].value
        if c.share is not None:
            assert c.is_part_of_whole and not c.own.hidden and not c.overall.hidden
            assert abs(c.share - c.own.value / c.overall.value) < 0.0001


@pytest.mark.parametrize("role", OTHERS)
def test_demo_readers_who_may_not_see_the_partners_values_get_none(demo, readers, role):
    partner, people = readers
    person = people[role]
    assert not can(person, "values.view_partner", demo, partner)
    response = read(demo, partner, person)
    page = response.context["page"]
    assert page.contributions is None and page.questions is None and page.owed is None
    assert "What it reported" not in response.text
    assert "performance measures" not in response.text
    assert page.activities is not None  # the plan of action is public
    assert (page.commitments is not None) is (person is not None)


@pytest.mark.parametrize(("role", "link"), [("own_steward", True), ("staff", False)])
def test_demo_reporting_link_is_for_the_partners_own_people(demo, readers, role, link):
    partner, people = readers
    html = read(demo, partner, people[role]).text
    assert (f"/measurement/report/?partner={partner.organisation.slug}" in html) is link


@pytest.mark.parametrize("role", ["staff", "own_steward", "other_steward", "anonymous"])
def test_demo_partner_page_stays_within_its_query_budget(
    demo, readers, role, django_assert_max_num_queries
):
    partner, people = readers
    client = client_as(people[role])
    cache.clear()
    # 33: one of them asks which periods have anything small, so that only theirs are read
    with django_assert_max_num_queries(33 + NAVIGATION_QUERIES):
        client.get(f"/i/{demo.slug}/partners/{partner.organisation.slug}/")
