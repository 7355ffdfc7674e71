"""Who may open each completeness page, for every role of the cast, and what the pages say.

The backbone, data stewards and evaluators see every partner; a partner's people see their
own page only; another partner's page, and any page to outsiders, answers 404."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.initiatives import services as initiatives
from backbone.initiatives.roles import Role
from backbone.measurement.completeness.models import ReportingAssignment
from backbone.measurement.completeness.services import assignments_set
from tests.conftest import ROLES, client_as, make_person
from tests.measurement.conftest import make_indicator

from .conftest import A, B, at, send

pytestmark = pytest.mark.integration

BASE = "/i/riverton/completeness/"
OUTSIDERS = {"public", "other_staff"}  # not members of this members-only initiative
READ_ALL = {"staff", "evaluator"}


def expected(role, *, allowed, hidden=frozenset(), redirected=frozenset()):
    """anonymous → sign in; outsiders and `hidden` → 404; other members → 403."""
    if role == "anonymous" or role in redirected:
        return 302
    if role in OUTSIDERS or role in hidden:
        return 404
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_overview_access_matches_role(cast, monthly, as_role, role):
    response = as_role(role).get(BASE)
    assert response.status_code == expected(
        role, allowed=READ_ALL, redirected={"steward_a", "member_a", "steward_b"}
    )


@pytest.mark.parametrize(("role", "page"), [("steward_a", A), ("member_a", A), ("steward_b", B)])
def test_overview_sends_partner_people_to_their_own_page(cast, monthly, as_role, role, page):
    response = as_role(role).get(BASE)
    assert response.url == f"{BASE}{page}/"


@pytest.mark.parametrize("role", ROLES)
def test_partner_page_access_matches_role(cast, monthly, as_role, role):
    response = as_role(role).get(f"{BASE}{A}/")
    assert response.status_code == expected(
        role,
        allowed=READ_ALL | {"steward_a", "member_a"},
        hidden={"steward_b", "community", "funder"},
    )


@pytest.mark.parametrize("role", ROLES)
def test_assignment_page_access_matches_role(cast, monthly, as_role, role):
    response = as_role(role).get(f"{BASE}setup/assignments/")
    assert response.status_code == expected(role, allowed={"staff"})


def data_steward(cast):
    person = make_person("data.steward@example.org", "Dee Data")
    initiatives.membership_grant(initiative=cast.initiative, person=person, role=Role.DATA_STEWARD)
    return client_as(person)


def test_data_stewards_see_every_partner(cast, monthly):
    client = data_steward(cast)
    assert client.get(BASE).status_code == 200
    assert client.get(f"{BASE}{B}/").status_code == 200
    assert client.get(f"{BASE}setup/assignments/").status_code == 403


def test_an_organisation_that_is_not_a_partner_is_not_found(cast, monthly, as_role):
    other = initiatives.organisation_create(name="Somewhere Else", sector="business")
    assert as_role("staff").get(f"{BASE}{other.slug}/").status_code == 404
    assert as_role("staff").get(f"{BASE}no-such-organisation/").status_code == 404


def test_other_initiatives_staff_cannot_see_it_with_their_own_slug(cast, monthly, as_role):
    response = as_role("other_staff").get(f"/i/lakeside/completeness/{A}/")
    assert response.status_code == 404


def test_overview_shows_states_in_words(cast, monthly, as_role):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, on=at(date(2024, 2, 20)))
    send(cast, cast.partner_a, monthly.enrolled, monthly.feb, status="returned")
    response = as_role("staff").get(BASE)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Riverton Public Library" in text and "Northside Food Bank" in text
    assert '<th scope="col">Share on time</th>' in text
    assert "Not received yet" in text
    assert ">Returned<" in text and ">Late<" in text and ">Missing<" in text


def test_overview_filters_by_period(cast, monthly, as_role):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, on=at(date(2024, 2, 1)))
    response = as_role("staff").get(BASE + "?period=2024-01")
    text = response.content.decode()
    assert "Reports for Jan 2024" in text
    assert "Reports for Feb 2024" not in text
    assert response.context["found"].periods == [monthly.jan]
    assert ">Received<" in text
    assert response.context["found"].overall.expected == 1  # partner B joined in February


def test_partner_page_lists_its_reports_with_lateness(cast, monthly, as_role):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, on=at(date(2024, 2, 15)))
    send(cast, cast.partner_a, monthly.enrolled, monthly.feb, status="returned", comment="Recount")
    response = as_role("steward_a").get(f"{BASE}{A}/")
    text = response.content.decode()
    reports = {r.period.code: r for r in response.context["found"].reports}
    assert set(reports) == {"2024-01", "2024-02", "2024-03"}
    assert reports["2024-01"].on_time
    assert reports["2024-02"].state == "returned"
    assert "Recount" in text
    assert "Northside Food Bank" not in text
    assert '<th scope="row">Children Enrolled</th>' in text


def test_staff_assign_reporting_partners(cast, monthly, as_role):
    field = f"reporters-{monthly.enrolled.pk}"
    client = as_role("staff")
    response = client.post(f"{BASE}setup/assignments/", {field: [str(cast.partner_b.pk)]})
    assert response.status_code == 302
    assert list(ReportingAssignment.objects.values_list("partner_id", flat=True)) == [
        cast.partner_b.pk
    ]
    page = client.get(f"{BASE}setup/assignments/")
    assert page.context["form"][field].value() == [str(cast.partner_b.pk)]
    found = client.get(BASE).context["found"]
    assert {r.partner for r in found.reports} == {cast.partner_b}
    client.post(f"{BASE}setup/assignments/", {})
    assert not ReportingAssignment.objects.exists()


@pytest.mark.parametrize("role", ["steward_a", "member_a", "evaluator", "funder"])
def test_partners_and_readers_cannot_assign(cast, monthly, as_role, role):
    field = f"reporters-{monthly.enrolled.pk}"
    before = set(ReportingAssignment.objects.values_list("indicator_id", "partner_id"))
    response = as_role(role).post(f"{BASE}setup/assignments/", {field: [str(cast.partner_a.pk)]})
    assert response.status_code == 403
    assert set(ReportingAssignment.objects.values_list("indicator_id", "partner_id")) == before


def test_nav_links_completeness_for_those_who_may_see_it(cast, monthly, as_role):
    link = f'href="{BASE}"'
    assert link in as_role("steward_a").get(f"{BASE}{A}/").content.decode()
    assert link not in as_role("funder").get("/i/riverton/agenda/").content.decode()


def test_overview_names_indicators_nobody_is_assigned_to_report(cast, monthly, as_role):
    lonely = make_indicator(cast.initiative, "children-waiting", "sum", frequency="month")
    html = as_role("staff").get(BASE).content.decode()
    assert "1 indicator has no reporting partner" in html
    assert lonely.name in html and f'href="{BASE}setup/assignments/"' in html
    assignments_set(initiative=cast.initiative, reporters={lonely: [cast.partner_b]}, by=cast.staff)
    assert "no reporting partner" not in as_role("staff").get(BASE).content.decode()
