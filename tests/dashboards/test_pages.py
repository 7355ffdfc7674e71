"""The dashboard pages per role: who sees which scorecard, indicator page, public scorecard and
embed; small numbers hidden from those who may not see them; stories written only by those
who may; a constant number of queries whatever the size of the initiative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.dashboards import indicator_page as indicator_page_module
from backbone.dashboards.models import Story
from backbone.dashboards.scorecard import scorecard
from backbone.measurement.models import Indicator, Period
from tests.conftest import ROLES, client_as
from tests.measurement.conftest import make_indicator, make_period, measured  # noqa: F401
from tests.measurement.exchange.helpers import full_report, report

pytestmark = pytest.mark.integration

BASE = "/i/riverton/scorecard"
MEMBERS = {"community", "member_a", "steward_a", "steward_b", "funder", "evaluator", "staff"}
SEE_SMALL = {"evaluator", "staff"}


@pytest.fixture
def reported(cast, measured):  # noqa: F811 (the imported fixture)
    """Two months of every indicator from both partners, approved; January closed."""
    for month, scale in (("2024-01", 1), ("2024-02", 2)):
        report(cast, cast.partner_a, full_report(month, scale), approve=True)
        report(cast, cast.partner_b, full_report(month, scale), approve=True)
    Period.objects.filter(code="2024-01").update(status="closed")
    for ind in (measured.readiness, measured.enrolled):
        ind.frequency = "month"
        ind.save()
    return measured


def make_public(cast):
    cast.initiative.visibility = "public"
    cast.initiative.save()


@pytest.mark.parametrize("role", ROLES)
def test_scorecard_is_for_members_of_a_private_initiative(cast, reported, as_role, role):
    response = as_role(role).get(f"{BASE}/")
    assert response.status_code == (200 if role in MEMBERS else 404)


@pytest.mark.parametrize("role", sorted(MEMBERS))
def test_scorecard_shows_each_role_the_indicators_it_may_see(cast, reported, as_role, role):
    page = as_role(role).get(f"{BASE}/").content.decode()
    assert "Kindergarten Readiness" in page  # public
    assert ("Children Enrolled" in page) is (role != "funder")  # members, not funders


@pytest.mark.parametrize("role", ROLES)
def test_indicator_page_follows_the_indicator_visibility(cast, reported, as_role, role):
    public = as_role(role).get(f"{BASE}/indicators/kindergarten-readiness/")
    members = as_role(role).get(f"{BASE}/indicators/children-enrolled/")
    assert public.status_code == (200 if role in MEMBERS else 404)
    assert members.status_code == (200 if role in MEMBERS - {"funder"} else 404)


def test_unknown_indicator_is_not_found(cast, reported, as_role):
    assert as_role("staff").get(f"{BASE}/indicators/no-such/").status_code == 404


@pytest.mark.parametrize("role", sorted(MEMBERS))
def test_small_cells_are_hidden_from_those_who_may_not_see_them(cast, reported, as_role, role):
    # January, both partners: Black low-income children are 8 + 8 = 16, 6 of them ready
    # (37.5%). With a threshold of 20 that cell is small; so is every cell but White.
    cast.initiative.small_number_threshold = 20
    cast.initiative.save()
    response = as_role(role).get(f"{BASE}/indicators/kindergarten-readiness/?period=2024-01")
    cross_tab = response.context["page"].cross_tab
    black, low = (reported.race.groups.get(key="black"), reported.income.groups.get(key="low"))
    if role in SEE_SMALL:
        assert cross_tab.cells[(black.pk, low.pk)] == Decimal("37.5")
    else:
        assert cross_tab.cells[(black.pk, low.pk)] is None
        assert "fewer than 20 people" in response.content.decode()


def test_partner_sees_only_its_own_value_by_partner(cast, reported, as_role):
    url = f"{BASE}/indicators/children-enrolled/?period=2024-01"
    staff = as_role("staff").get(url).content.decode()
    steward = as_role("steward_a").get(url).content.decode()
    funder_readiness = as_role("funder").get(
        f"{BASE}/indicators/kindergarten-readiness/?period=2024-01"
    )
    assert "Riverton Public Library" in staff and "Northside Food Bank" in staff
    by_partner = steward.split("By partner")[1]
    assert "Riverton Public Library" in by_partner and "Northside Food Bank" not in by_partner
    assert "By partner" not in funder_readiness.content.decode()


def test_partners_values_come_a_page_at_a_time_and_every_page_keeps_the_question(
    cast, reported, as_role, monkeypatch
):
    """A network of thousands of partners reads its partners' values a page at a time: the
    pages hold every partner once, in the page's order, and their links keep the period."""
    monkeypatch.setattr(indicator_page_module, "PARTNERS_PER_PAGE", 1)
    url = f"{BASE}/indicators/children-enrolled/?period=2024-01"
    staff = as_role("staff")
    everyone = [p.organisation.name for p, _ in staff.get(url).context["page"].by_partner]
    assert len(everyone) == 2
    seen = []
    for number in (1, 2):
        response = staff.get(f"{url}&partners={number}")
        page = response.context["page"]
        html = response.content.decode().split('id="by-partner"')[1]
        seen += [p.organisation.name for p, _, _ in page.partners]
        assert f"Partners {number} to {number} of 2" in html
        other = 2 if number == 1 else 1
        assert f'href="?period=2024-01&amp;partners={other}#by-partner"' in html
        assert everyone[other - 1] not in html
    assert seen == everyone
    past_the_end = staff.get(f"{url}&partners=9").context["page"].partners
    assert past_the_end.number == 2


@pytest.mark.parametrize("role", ROLES)
def test_public_scorecard_needs_a_public_initiative_and_no_account(cast, reported, role):
    assert client_as(cast.person(role)).get(f"{BASE}/public/").status_code == 404
    make_public(cast)
    moved = client_as(cast.person(role)).get(f"{BASE}/public/?place=place:north")
    assert moved.status_code == 301
    assert moved.url == f"{BASE}/?as=public&place=place%3Anorth"
    response = client_as(cast.person(role)).get(f"{BASE}/?as=public")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kindergarten Readiness" in html and "Children Enrolled" not in html
    # One scorecard: the public's has the drill-down into public indicator pages.
    assert f'href="{BASE}/indicators/kindergarten-readiness/' in html
    assert f'href="{BASE}/indicators/children-enrolled/' not in html


@pytest.mark.parametrize("role", ["anonymous", "public"])
def test_the_public_reads_the_one_scorecard_as_the_public(cast, reported, role):
    make_public(cast)
    own = client_as(cast.person(role)).get(f"{BASE}/").content.decode()
    as_public = client_as(cast.person(role)).get(f"{BASE}/?as=public").content.decode()
    for html in (own, as_public):
        assert "Kindergarten Readiness" in html and "Children Enrolled" not in html
        assert "Put this scorecard on your site" in html


def test_public_scorecard_hides_small_numbers_even_from_staff(cast, reported, as_role):
    make_public(cast)
    cast.initiative.small_number_threshold = 500
    cast.initiative.save()
    html = as_role("staff").get(f"{BASE}/?as=public").content.decode()
    assert "You are reading it as the public does" in html
    # Every total of readiness is below 500 children: nothing but dashes.
    assert "%</strong>" not in html and "fewer than 500 people" in html


def test_embed_may_be_framed_and_carries_nothing_private(cast, reported, client):
    assert client.get(f"{BASE}/embed/").status_code == 404
    make_public(cast)
    response = client.get(f"{BASE}/embed/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert "<script" not in html and "<form" not in html and "csrf" not in html.lower()
    assert "Children Enrolled" not in html and "Kindergarten Readiness" in html


def test_other_pages_may_not_be_framed(cast, reported, as_role):
    response = as_role("staff").get(f"{BASE}/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def _story_url(period="2024-01", partner=None):
    url = f"{BASE}/indicators/kindergarten-readiness/story/{period}/"
    return f"{url}?partner={partner}" if partner else url


STORY = {
    "behind_the_curve": "Fewer families found a pre-K seat after the fire.",
    "partners_with_a_role": "",
    "what_works": "Home visits in the first year.",
    "action_plan": "",
}


@pytest.mark.parametrize(
    "role, partner, status",
    [
        ("staff", None, 302),
        ("staff", "riverton-public-library", 302),
        ("steward_a", "riverton-public-library", 302),
        ("member_a", "riverton-public-library", 302),
        ("steward_b", "riverton-public-library", 403),
        ("steward_a", "northside-food-bank", 403),
        ("steward_a", None, 403),
        ("funder", "riverton-public-library", 403),
        ("community", None, 403),
        ("other_staff", None, 404),
    ],
)
def test_story_behind_the_curve_is_written_by_its_own_partner_or_the_backbone(
    cast, reported, as_role, role, partner, status
):
    response = as_role(role).post(_story_url(partner=partner), {**STORY})
    assert response.status_code == status
    assert Story.objects.count() == (1 if status == 302 else 0)


def test_story_is_shown_on_the_indicator_page_and_replaced_when_written_again(
    cast, reported, as_role
):
    steward = as_role("steward_a")
    steward.post(_story_url(partner="riverton-public-library"), STORY)
    steward.post(
        _story_url(partner="riverton-public-library"), {**STORY, "what_works": "Tutoring."}
    )
    story = Story.objects.get()
    assert story.partner == cast.partner_a and story.updated_by == cast.steward_a
    html = as_role("funder").get(f"{BASE}/indicators/kindergarten-readiness/").content.decode()
    assert "Tutoring." in html and "Home visits" not in html
    assert "Fewer families found a pre-K seat" in html


def _grow(cast, measurement, extra_indicators: int, extra_months: int):
    i = cast.initiative
    for n in range(extra_indicators):
        make_indicator(
            i, f"extra-{n}", "sum", (measurement.place,), unit="count", frequency="month"
        )
    for m in range(extra_months):
        make_period(i, "month", date(2023, 12 - m, 1))


def _queries(client, url) -> int:
    """The queries of a request with nothing in the cache: the cost a change of values brings."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [f"{BASE}/", f"{BASE}/indicators/kindergarten-readiness/"])
def test_dashboards_take_the_same_queries_whatever_their_size(cast, reported, as_role, url):
    staff = as_role("staff")
    small = _queries(staff, url)
    _grow(cast, reported, extra_indicators=6, extra_months=5)
    report(cast, cast.partner_a, full_report("2024-03", 3), approve=True)
    assert _queries(staff, url) == small


def test_public_scorecard_takes_the_same_queries_whatever_its_size(cast, reported, client):
    make_public(cast)
    small = _queries(client, f"{BASE}/?as=public")
    _grow(cast, reported, extra_indicators=6, extra_months=5)
    assert _queries(client, f"{BASE}/?as=public") == small


def _baseline(cast, indicator, period_code, value):
    from backbone.measurement.models import Cell, Target

    Target.objects.create(
        initiative=cast.initiative,
        indicator=indicator,
        kind="baseline",
        period=Period.objects.get(initiative=cast.initiative, code=period_code),
        cell=Cell.objects.get(initiative=cast.initiative, key=""),
        value=Decimal(value),
    )


def test_needle_moving_indicators_are_listed_on_the_initiative_page(cast, reported, as_role):
    # January's readiness is 72 of 168 children: 42.9%, against a baseline of 30%.
    _baseline(cast, reported.readiness, "2024-01", "30")
    _baseline(cast, reported.enrolled, "2024-01", "10")  # up 400%, but not a population one
    reported.enrolled.kind = "how_much"
    reported.enrolled.save()
    html = as_role("funder").get("/i/riverton/").content.decode()
    listed = html.split("Moving the needle")[1].split("</section>")[0]
    assert "Kindergarten Readiness" in listed and "30.0% → 42.9%" in listed
    assert "Children Enrolled" not in listed
    assert "Moving the needle" not in as_role("other_staff").get("/i/lakeside/").content.decode()


def test_a_provisional_figure_is_never_called_needle_moving(cast, reported, as_role):
    """The same figure as above, its period reopened: still coming in, so not needle-moving."""
    _baseline(cast, reported.readiness, "2024-01", "30")
    Period.objects.filter(initiative=cast.initiative).update(status=Period.Status.OPEN)
    card = scorecard(initiative=cast.initiative, person=cast.staff)
    (row,) = [r for r in card.rows if r.indicator.pk == reported.readiness.pk]
    assert row.current is not None and row.current.provisional
    assert row.change is not None and row.change.relative >= Decimal("0.1")
    assert not row.needle_moving
    html = as_role("funder").get("/i/riverton/").content.decode()
    assert (
        "Kindergarten Readiness" not in html.split("Moving the needle")[-1].split("</section>")[0]
    )


def _csv(response) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_scorecard_export_holds_what_the_reader_sees(cast, reported, as_role):
    # January's readiness comes from 168 children: small under a threshold of 200.
    cast.initiative.small_number_threshold = 200
    cast.initiative.save()
    staff = _csv(as_role("staff").get(f"{BASE}/export.csv"))
    funder = _csv(as_role("funder").get(f"{BASE}/export.csv"))

    def readiness(rows):
        return {r["period"]: r for r in rows if r["indicator"] == "kindergarten-readiness"}

    assert readiness(staff)["2024-01"]["value"] == "42.857143"
    hidden = readiness(funder)["2024-01"]
    assert hidden["value"] == "" and hidden["note"].startswith("hidden")
    assert not any(r["indicator"] == "children-enrolled" for r in funder)
    assert as_role("public").get(f"{BASE}/export.csv").status_code == 404


def test_scorecard_export_keeps_negative_numbers_numeric(cast, reported, as_role):
    """A figure below zero is a number for the spreadsheet, not text behind a quote."""
    from backbone.measurement.services_setup import target_set

    january = Period.objects.get(initiative=cast.initiative, code="2024-01")
    for kind, value in (("baseline", "100"), ("target", "200")):  # January's 50 moved away
        target_set(
            indicator=reported.enrolled,
            by=cast.staff,
            kind=kind,
            period=january,
            value=Decimal(value),
        )

    rows = _csv(as_role("staff").get(f"{BASE}/export.csv"))

    enrolled = next(r for r in rows if r["indicator"] == "children-enrolled" and r["target"])
    assert enrolled["progress to target"] == "-0.5"
    assert not [v for r in rows for v in r.values() if v.startswith("'")]


def test_scorecard_reads_percent_of_target_in_the_direction_of_good(cast, reported, as_role):
    """Fewer is better: January's 50 against a target of 40 is 80% of the target, not 125%."""
    from backbone.measurement.services_setup import target_set

    Indicator.objects.filter(pk=reported.enrolled.pk).update(direction="down")
    january = Period.objects.get(initiative=cast.initiative, code="2024-01")
    target_set(
        indicator=reported.enrolled,
        by=cast.staff,
        kind="target",
        period=january,
        value=Decimal("40"),
    )

    response = as_role("staff").get(f"{BASE}/")

    row = next(r for r in response.context["card"].rows if r.indicator.code == "children-enrolled")
    assert row.percent_of_target == Decimal(80)
    assert "80% of target" in response.content.decode()


def test_chart_table_writes_figures_as_the_rest_of_the_page(cast, reported, as_role):
    """The table under the chart agrees with "Current": exact decimals in the indicator's
    decimals, thousands grouped, and a true minus sign, as every figure on the page."""
    from backbone.measurement.intake import Reported

    make_indicator(cast.initiative, "balance", "weighted", unit="score", frequency="month")
    Period.objects.filter(code="2024-01").update(status="open")
    report(
        cast,
        cast.partner_a,
        [
            Reported("balance", "2024-01", {}, value="-12.25", weight=30),
            Reported("balance", "2024-02", {}, value="1234567.15", weight=30),
        ],
        approve=True,
    )
    Period.objects.filter(code="2024-01").update(status="closed")

    response = as_role("staff").get(f"{BASE}/indicators/balance/")

    html = response.content.decode()
    table = html.split("The chart's figures")[1].split("</table>")[0]
    january, february = (Period.objects.get(code=c).label for c in ("2024-01", "2024-02"))
    assert f"<dt>Current</dt><dd>\u221212.3 ({january})</dd>" in html
    assert f'<th scope="row">{january}</th><td>\u221212.3</td>' in table
    assert f'<th scope="row">{february}</th><td>1,234,567.2</td>' in table
    assert ">-" not in html  # no figure with a hyphen for its minus sign


def test_public_export_needs_a_public_initiative(cast, reported, client):
    assert client.get(f"{BASE}/public/export.csv").status_code == 404
    make_public(cast)
    rows = _csv(client.get(f"{BASE}/public/export.csv"))
    assert {r["indicator"] for r in rows} == {"kindergarten-readiness"}


def test_scorecard_answers_kept_in_the_cache_follow_every_change_of_values(cast, reported, as_role):
    from backbone.measurement.approval import submission_approve
    from backbone.measurement.intake import Intake

    def current(client):
        card = client.get(f"{BASE}/").context["card"]
        row = next(r for r in card.rows if r.indicator.code == "children-enrolled")
        return row.current.value

    staff = as_role("staff")
    assert current(staff) == 50  # January: 25 children from each partner
    assert current(staff) == 50  # read back from the cache
    waiting = Intake(  # a logged correction of closed January: 75 children, not 25
        initiative=cast.initiative,
        by=cast.staff,
        channel="web",
        partner=cast.partner_a,
        correction_reason="The census count arrived",
    ).submit(full_report("2024-01", 3))
    assert current(staff) == 25  # submitted, not approved: A's January no longer counts
    submission_approve(submission=waiting, by=cast.staff)
    assert current(staff) == 100
