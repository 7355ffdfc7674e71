from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backbone.initiatives import services
from backbone.measurement.intake import Reported
from backbone.measurement.models import DataValue, Submission
from backbone.measurement.tokens import token_create, token_revoke
from tests.conftest import ROLES

from .helpers import full_report, report

pytestmark = pytest.mark.integration

API = "/api/initiatives/riverton"
OUTSIDERS = {"anonymous": 404, "public": 404, "other_staff": 404}
MEMBERS = ("community", "member_a", "steward_a", "steward_b", "funder", "evaluator", "staff")


@pytest.fixture
def reported(cast, measured):
    """Partner A's full report for Jan 2024, approved; partner B's, submitted (twice as big)."""
    a = report(cast, cast.partner_a, full_report(), approve=True)
    b = report(cast, cast.partner_b, full_report(scale=2), by=cast.steward_b)
    return a, b


def post(client, body, slug="riverton"):
    return client.post(f"/api/initiatives/{slug}/values", body, content_type="application/json")


ENROLLED = {"indicator": "children-enrolled", "period": "2024-02"}


# --- set-up reads ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path", ["/indicators", "/indicators/kindergarten-readiness", "/periods", "/dimensions"]
)
def test_setup_lists_are_for_members_only(cast, measured, as_role, role, path):
    assert as_role(role).get(API + path).status_code == OUTSIDERS.get(role, 200)


def test_indicators_come_with_their_dimensions_and_groups(cast, measured, as_role):
    body = as_role("member_a").get(API + "/indicators").json()
    readiness = next(i for i in body["items"] if i["code"] == "kindergarten-readiness")
    assert readiness["aggregation"] == "rate" and readiness["unit"] == "percent"
    assert [d["key"] for d in readiness["dimensions"]] == ["race", "income"]
    assert [g["key"] for g in readiness["dimensions"][0]["groups"]] == ["black", "latino", "white"]
    place = as_role("member_a").get(API + "/indicators/children-enrolled").json()["dimensions"][0]
    assert {"key": "north", "name": "North district", "parent": "city"} in place["groups"]


def test_funder_sees_only_indicators_shared_with_funders(cast, measured, as_role):
    codes = [i["code"] for i in as_role("funder").get(API + "/indicators").json()["items"]]
    assert codes == ["kindergarten-readiness"]
    assert as_role("funder").get(API + "/indicators/children-enrolled").status_code == 404
    assert as_role("community").get(API + "/indicators/children-enrolled").status_code == 200


def test_indicators_filter_and_paginate(cast, measured, as_role):
    client = as_role("staff")
    rates = client.get(API + "/indicators?aggregation=rate").json()
    assert [i["code"] for i in rates["items"]] == ["kindergarten-readiness"]
    page = client.get(API + "/indicators?limit=2&offset=1").json()
    assert page["count"] == 5 and len(page["items"]) == 2
    assert client.get(API + "/indicators?limit=100000").status_code == 422


def test_periods_say_their_status_and_filter_by_it(cast, measured, as_role):
    body = as_role("steward_a").get(API + "/periods?status=closed").json()
    assert [(p["code"], p["status"]) for p in body["items"]] == [("2021", "closed")]
    months = as_role("steward_a").get(API + "/periods?kind=month").json()["items"]
    assert [p["code"] for p in months] == ["2024-01", "2024-02", "2024-03"]
    assert months[0]["label"] == "Jan 2024" and months[0]["end"] == "2024-01-31"


# --- values ----------------------------------------------------------------------------------

VALUE_READERS = {
    **OUTSIDERS,
    "community": 403,
    "funder": 403,
    "member_a": 200,
    "steward_a": 200,
    "steward_b": 200,
    "evaluator": 200,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_values_are_read_by_partners_and_analysts(cast, reported, as_role, role):
    response = as_role(role).get(API + "/values")
    assert response.status_code == VALUE_READERS[role]
    if response.status_code == 200:
        partners = {v["partner"] for v in response.json()["items"]}
        expected = {
            "steward_a": {"riverton-public-library"},
            "member_a": {"riverton-public-library"},
            "steward_b": {"northside-food-bank"},
        }.get(role, {"riverton-public-library", "northside-food-bank"})
        assert partners == expected


def test_partner_never_reads_another_partners_values(cast, reported, as_role):
    assert as_role("steward_a").get(API + "/values?partner=northside-food-bank").status_code == 404
    assert as_role("steward_a").get(API + "/values?partner=no-such-org").status_code == 404
    own = as_role("steward_a").get(API + "/values?partner=riverton-public-library").json()
    assert own["count"] == 13


def test_values_show_groups_and_exact_numbers(cast, reported, as_role):
    client = as_role("staff")
    body = client.get(
        API + "/values?indicator=kindergarten-readiness&partner=riverton-public-library"
    ).json()
    cell = next(v for v in body["items"] if v["groups"] == {"race": "black", "income": "low"})
    assert (cell["numerator"], cell["denominator"], cell["value"]) == ("3", "8", "37.5")
    score = client.get(API + "/values?indicator=reading-score&status=approved").json()["items"]
    assert [(v["value"], v["n"]) for v in score] == [("250.5", "40")]


def test_values_filter_by_period_status_and_submission(cast, reported, as_role):
    a, b = reported
    client = as_role("evaluator")
    assert client.get(API + "/values?period=2024-02").json()["count"] == 0
    assert client.get(API + "/values?status=submitted").json()["count"] == 13
    by_sub = client.get(API + f"/values?submission={b.uuid}").json()["items"]
    assert {v["submission"] for v in by_sub} == {str(b.uuid)}
    assert client.get(API + "/values?status=bogus").status_code == 422


def test_values_list_query_count_does_not_grow(cast, measured, as_role):
    client = as_role("staff")

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(API + "/values").status_code == 200
        return len(ctx)

    north = Reported("children-enrolled", "2024-01", {"place": "north"}, value=1)
    report(cast, cast.partner_a, [north])
    one = count_queries()
    south = Reported("children-enrolled", "2024-01", {"place": "south"}, value=2)
    report(cast, cast.partner_b, [north, south], by=cast.steward_b)
    assert DataValue.objects.count() == 3
    assert count_queries() == one


# --- reporting values ------------------------------------------------------------------------

SUBMITTERS = {
    **OUTSIDERS,
    "community": 403,
    "funder": 403,
    "evaluator": 403,
    "member_a": 201,
    "steward_a": 201,
    "steward_b": 201,
    "staff": 400,  # the backbone must name the partner
}


@pytest.mark.parametrize("role", ROLES)
def test_reporting_values_is_for_partners(cast, measured, as_role, role):
    response = post(as_role(role), {"values": [{**ENROLLED, "value": 4}]})
    assert response.status_code == SUBMITTERS[role]
    assert DataValue.objects.count() == (1 if response.status_code == 201 else 0)


def test_partner_report_is_one_submission_with_its_counts(cast, measured, as_role):
    response = post(
        as_role("steward_a"),
        {
            "values": [
                {**ENROLLED, "groups": {"place": "north"}, "value": 4},
                {**ENROLLED, "groups": {"place": "south"}, "value": "6"},
                {
                    "indicator": "kindergarten-readiness",
                    "period": "2024-02",
                    "numerator": 3,
                    "denominator": 4,
                    "groups": {"race": "black", "income": "low"},
                },
                {"indicator": "reading-score", "period": "2024-02", "value": 251.25, "n": 12},
            ],
            "narrative": "A new site opened in the north.",
        },
    )
    assert response.status_code == 201
    body = response.json()
    submission = Submission.objects.get(uuid=body["uuid"])
    assert (body["value_count"], body["status"], body["partner"]) == (
        4,
        "submitted",
        "riverton-public-library",
    )
    assert submission.channel == "api" and submission.narrative.startswith("A new site")
    assert DataValue.objects.get(indicator=measured.score).value == 251.25


def test_bad_values_list_every_problem_and_write_nothing(cast, measured, as_role):
    response = post(
        as_role("steward_a"),
        {
            "values": [
                {**ENROLLED, "groups": {"place": "north"}, "value": 4},
                {**ENROLLED, "groups": {"place": "atlantis"}, "value": 4},
                {"indicator": "no-such", "period": "2024-02", "value": 1},
                {
                    "indicator": "kindergarten-readiness",
                    "period": "2021",
                    "numerator": 5,
                    "denominator": 4,
                },
                {"indicator": "reading-score", "period": "2024-02", "value": 200},
                {**ENROLLED, "value": "lots"},
            ]
        },
    )
    assert response.status_code == 400
    problems = {(p["row"], p["column"]) for p in response.json()["problems"]}
    assert problems >= {
        (2, "groups.place"),
        (3, "indicator"),
        (4, "period"),
        (5, "n"),
        (6, "value"),
    }
    assert 1 not in {row for row, _ in problems}
    assert response.json()["total"] == len(response.json()["problems"])
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_partner_cannot_report_for_another_partner(cast, measured, as_role):
    body = {"values": [{**ENROLLED, "value": 4}], "partner": "northside-food-bank"}
    assert post(as_role("steward_a"), body).status_code == 403
    assert not DataValue.objects.exists()


def test_partner_cannot_correct_a_closed_period(cast, measured, as_role):
    body = {
        "values": [{"indicator": "open-cases", "period": "2021", "value": 4}],
        "correction_reason": "typo",
    }
    assert post(as_role("steward_a"), body).status_code == 403


def test_backbone_reports_for_a_named_partner_and_corrects_closed_periods(cast, measured, as_role):
    staff = as_role("staff")
    body = {"values": [{"indicator": "open-cases", "period": "2021", "value": 4}]}
    refused = post(staff, {**body, "partner": "northside-food-bank"})
    assert refused.status_code == 400 and "closed" in refused.json()["problems"][0]["reason"]
    done = post(staff, {**body, "partner": "northside-food-bank", "correction_reason": "typo"})
    assert done.status_code == 201 and done.json()["channel"] == "correction"
    assert DataValue.objects.get().partner == cast.partner_b
    unknown = post(staff, {**body, "partner": "nobody"})
    assert unknown.status_code == 400 and unknown.json()["problems"][0]["column"] == "partner"


def test_person_of_two_organisations_names_the_partner(cast, measured, as_role):
    services.membership_grant(
        initiative=cast.initiative,
        person=cast.member_a,
        role="partner_member",
        organisation=cast.org_b,
    )
    client = as_role("member_a")
    assert post(client, {"values": [{**ENROLLED, "value": 4}]}).status_code == 400
    named = post(client, {"values": [{**ENROLLED, "value": 4}], "partner": "northside-food-bank"})
    assert named.status_code == 201 and named.json()["partner"] == "northside-food-bank"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("100000000000000", "100000000000000 is too large"),
        ("1" + "0" * 30, "1" + "0" * 30 + " is too large"),
        ("1e20", "1e+20 is too large"),
        ("1E14", "100000000000000.0 is too large"),
        ("99999999999999.9999999", "100000000000000.0 is too large"),  # as JSON reads it
        ("-1e20", "-1e+20 is too large"),
        ("1e400", "expected a number, found a non-finite value"),
        ("NaN", "expected a number, found a non-finite value"),
        ("Infinity", "expected a number, found a non-finite value"),
        ("-Infinity", "expected a number, found a non-finite value"),
    ],
)
def test_a_json_number_too_large_to_keep_is_refused_like_text(
    cast, measured, as_role, number, reason
):
    """A number sent as a JSON number is checked as the same number sent as text is."""
    client = as_role("steward_a")
    body = '{"values": [{"indicator": "children-enrolled", "period": "2024-02", "value": %s}]}'

    as_number = post(client, body % number)
    as_text = post(client, body % f'"{number}"')

    assert as_number.status_code == 400, as_number.content
    assert as_number.json()["problems"] == [{"row": 1, "column": "value", "reason": reason}]
    assert as_text.status_code == 400
    assert as_text.json()["problems"][0]["column"] == "value"
    assert not DataValue.objects.exists()


def test_a_json_number_with_many_decimals_is_kept_to_six(cast, measured, as_role):
    response = post(
        as_role("steward_a"),
        '{"values": [{"indicator": "reading-score", "period": "2024-02",'
        ' "value": 0.30000000000000004, "n": 12.12345649}]}',
    )

    assert response.status_code == 201
    found = DataValue.objects.get()
    assert (found.value, found.weight) == (Decimal("0.3"), Decimal("12.123456"))


def test_values_without_a_list_are_unprocessable(cast, measured, as_role):
    assert post(as_role("steward_a"), {"values": "many"}).status_code == 422
    assert post(as_role("steward_a"), {"values": [{**ENROLLED, "value": True}]}).status_code == 422


def test_session_post_needs_the_csrf_token(cast, measured):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.steward_a)
    assert post(client, {"values": [{**ENROLLED, "value": 4}]}).status_code == 403
    assert not DataValue.objects.exists()


# --- tokens ----------------------------------------------------------------------------------


def test_token_reads_its_partners_values_only(cast, reported, token_client):
    client, _ = token_client(cast.partner_a)
    body = client.get(API + "/values").json()
    assert body["count"] == 13
    assert {v["partner"] for v in body["items"]} == {"riverton-public-library"}
    assert client.get(API + "/values?partner=northside-food-bank").status_code == 404
    b_submission = Submission.objects.get(partner=cast.partner_b)
    assert client.get(API + f"/submissions/{b_submission.uuid}").status_code == 404


def test_token_reports_for_its_partner_and_never_for_another(cast, measured, token_client):
    client, _ = token_client(cast.partner_a)
    done = post(client, {"values": [{**ENROLLED, "value": 4}]})
    assert done.status_code == 201 and done.json()["partner"] == "riverton-public-library"
    submission = Submission.objects.get()
    assert submission.created_by == cast.steward_a  # who made the token
    other = post(client, {"values": [{**ENROLLED, "value": 5}], "partner": "northside-food-bank"})
    assert other.status_code == 403
    assert DataValue.objects.get().partner == cast.partner_a


def test_token_needs_no_csrf_token(cast, measured):
    _, raw = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert post(client, {"values": [{**ENROLLED, "value": 4}]}).status_code == 201


def test_revoked_or_wrong_token_is_unauthorised(cast, measured, token_client):
    client, raw = token_client(cast.partner_a)
    token_revoke(token=cast.partner_a.api_tokens.get())
    assert client.get(API + "/indicators").status_code == 401
    assert post(client, {"values": [{**ENROLLED, "value": 4}]}).status_code == 401
    wrong = Client(HTTP_AUTHORIZATION="Bearer bbk_not-a-token")
    assert wrong.get(API + "/indicators").status_code == 401
    assert not DataValue.objects.exists()


def test_token_of_a_withdrawn_partner_reads_but_cannot_report(cast, measured, token_client):
    client, _ = token_client(cast.partner_a)
    cast.partner_a.status = "withdrawn"
    cast.partner_a.save()
    assert client.get(API + "/values").status_code == 200
    assert post(client, {"values": [{**ENROLLED, "value": 4}]}).status_code == 403


def test_token_of_another_initiative_never_works_here(cast, measured):
    org = services.organisation_create(name="Lakeside Clinic", sector="health")
    partner = services.partner_add(
        initiative=cast.other_initiative, organisation=org, joined_on=date(2024, 1, 1)
    )
    _, raw = token_create(partner=partner, name="sync", by=cast.other_staff)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(API + "/indicators").status_code == 404
    assert post(client, {"values": [{**ENROLLED, "value": 4}]}).status_code == 404
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert client.get(API + "/indicators").status_code == 404
    assert client.get("/api/initiatives/lakeside/indicators").status_code == 200


def test_token_sees_the_indicators_members_see(cast, measured, token_client):
    client, _ = token_client(cast.partner_b)
    assert client.get(API + "/indicators").json()["count"] == 5


# --- submissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_submissions_are_listed_by_who_may_read_them(cast, reported, as_role, role):
    response = as_role(role).get(API + "/submissions")
    assert response.status_code == VALUE_READERS[role]
    if response.status_code == 200:
        count = {"steward_a": 1, "member_a": 1, "steward_b": 1}.get(role, 2)
        assert response.json()["count"] == count


@pytest.mark.parametrize("role", ROLES)
def test_one_submission_is_found_only_by_its_readers(cast, reported, as_role, role):
    a, _ = reported
    expected = {
        **OUTSIDERS,
        "community": 404,
        "funder": 404,
        "steward_b": 404,
        "member_a": 200,
        "steward_a": 200,
        "evaluator": 200,
        "staff": 200,
    }
    response = as_role(role).get(API + f"/submissions/{a.uuid}")
    assert response.status_code == expected[role]
    if response.status_code == 200:
        assert response.json()["value_count"] == 13 and response.json()["status"] == "approved"


def test_submissions_filter_by_partner_and_status(cast, reported, as_role):
    client = as_role("staff")
    assert client.get(API + "/submissions?status=submitted").json()["count"] == 1
    body = client.get(API + "/submissions?partner=northside-food-bank").json()
    assert [s["partner"] for s in body["items"]] == ["northside-food-bank"]
    assert (
        as_role("steward_a").get(API + "/submissions?partner=northside-food-bank").status_code
        == 404
    )


# --- results ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_series_follows_each_indicators_visibility(cast, reported, as_role, role):
    public = as_role(role).get(API + "/indicators/kindergarten-readiness/series?period=2024-01")
    members = as_role(role).get(API + "/indicators/children-enrolled/series?period=2024-01")
    assert public.status_code == OUTSIDERS.get(role, 200)
    assert members.status_code == OUTSIDERS.get(role, 404 if role == "funder" else 200)


def test_series_counts_approved_values_only(cast, reported, as_role):
    body = (
        as_role("staff")
        .get(API + "/indicators/children-enrolled/series?period=2024-01&period=2024-02")
        .json()
    )
    jan, feb = body["points"]
    assert (jan["period"], jan["value"], jan["partners"]) == ("2024-01", "25", 1)
    assert feb["value"] is None and feb["values"] == 0


def test_series_filters_by_group_and_partner(cast, reported, as_role):
    client = as_role("staff")
    url = API + "/indicators/kindergarten-readiness/series?period=2024-01"
    black_low = client.get(url + "&group=race:black&group=income:low").json()["points"][0]
    assert (black_low["numerator"], black_low["denominator"]) == ("3", "8")
    b_only = client.get(url + "&partner=northside-food-bank").json()["points"][0]
    assert b_only["value"] is None  # B's values are not approved
    assert client.get(url + "&group=race:purple").status_code == 400
    assert client.get(url + "&period=1999").status_code == 400
    assert as_role("steward_a").get(url + "&partner=northside-food-bank").status_code == 404


def test_series_hides_small_numbers_from_those_without_partner_data(cast, reported, as_role):
    cast.initiative.small_number_threshold = 100
    cast.initiative.save()
    url = API + "/indicators/kindergarten-readiness/series?period=2024-01"
    funder = as_role("funder").get(url).json()["points"][0]
    staff = as_role("staff").get(url).json()["points"][0]
    assert funder["suppressed"] and funder["value"] is None and funder["denominator"] is None
    assert not staff["suppressed"] and staff["denominator"] == "84"


def test_series_by_group_cannot_undo_the_suppression_of_a_breakdown(cast, reported, as_role):
    # January by race: Black 20 children (small under 25), Latino 28, White 36, all 84. With
    # the total and White shown, Latino must be hidden too, or Black = 84 − 28 − 36.
    cast.initiative.small_number_threshold = 25
    cast.initiative.save()
    url = API + "/indicators/kindergarten-readiness/series?period=2024-01&group=race:"

    def point(role, race):
        return as_role(role).get(url + race).json()["points"][0]

    assert [point("funder", r)["suppressed"] for r in ("black", "latino", "white")] == [
        True,
        True,
        False,
    ]
    assert point("funder", "white")["denominator"] == "36"
    assert point("funder", "latino")["denominator"] is None
    assert not any(point("staff", r)["suppressed"] for r in ("black", "latino", "white"))
    total = as_role("funder").get(url.removesuffix("&group=race:")).json()["points"][0]
    assert total["denominator"] == "84"


def test_series_defaults_to_the_periods_of_the_indicators_frequency(cast, reported, as_role):
    cast.initiative.indicators.filter(code="open-cases").update(frequency="month")
    body = as_role("staff").get(API + "/indicators/open-cases/series").json()
    assert [p["period"] for p in body["points"]] == ["2024-01", "2024-02", "2024-03"]
    assert body["points"][0]["value"] == "7"


def test_text_the_database_cannot_hold_is_refused_before_any_query(cast, measured, as_role):
    client = as_role("staff")
    assert client.get(API + "/values?indicator=%00").status_code == 422
    assert client.get(API + "/values?partner=a%00b").status_code == 422
    assert client.get("/api/initiatives/river%00ton/periods").status_code in (404, 422)
    body = {"values": [{**ENROLLED, "value": 4}], "narrative": "a\u0000b"}
    assert post(as_role("steward_a"), body).status_code == 422
    assert not DataValue.objects.exists()
