# ruff: noqa: F811 (pytest fixtures imported by name)
"""Completeness over the API: what each partner owes per period and what it has sent, as the
completeness pages show each caller."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.callers import EVERYONE, call, tokens  # noqa: F401 (fixtures)
from tests.completeness.conftest import at, monthly, send  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/completeness"
A, B = "riverton-public-library", "northside-food-bank"

SEES_ALL = {"staff", "evaluator"}
SEES = {A: {"steward_a", "member_a", "partner_token", "personal_token"}, B: {"steward_b"}}


def expected(who: str) -> int:
    if who == "revoked_token":
        return 401
    if who in {"community", "funder"}:
        return 403
    return 200 if who in SEES_ALL | SEES[A] | SEES[B] else 404


@pytest.fixture
def sent(cast, monthly):
    on_time = at(date(2024, 2, 10))
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, status="approved", on=on_time)
    send(cast, cast.partner_b, monthly.enrolled, monthly.feb, status="returned", comment="Recount")
    send(cast, cast.partner_a, monthly.enrolled, monthly.feb, status="draft")
    return monthly


def test_each_caller_reads_the_reports_of_the_partners_they_may(cast, sent, call):
    for who in EVERYONE:
        response = call(who, "get", f"{BASE}/reports")
        assert response.status_code == expected(who), who
        assert call(who, "get", BASE).status_code == expected(who), who
        if response.status_code != 200:
            continue
        partners = {r["partner"] for r in response.json()["items"]}
        wanted = {A, B} if who in SEES_ALL else {p for p, people in SEES.items() if who in people}
        assert partners == wanted, who


def test_the_reports_say_what_was_sent_and_what_is_owed(cast, sent, call):
    jan = call("staff", "get", f"{BASE}/reports", period="2024-01").json()["items"]
    assert [(r["partner"], r["state"], r["is_late"]) for r in jan] == [(A, "received", False)]
    feb = call("staff", "get", f"{BASE}/reports", period="2024-02").json()["items"]
    by_partner = {r["partner"]: r for r in feb}
    assert by_partner[B]["state"] == "returned" and by_partner[B]["comment"] == "Recount"
    assert by_partner[A]["state"] == "missing"  # a draft is not sent
    mine = call("steward_a", "get", f"{BASE}/reports", period="2024-02").json()["items"]
    assert [(r["partner"], r["state"]) for r in mine] == [(A, "missing")]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({}, 5),  # A owes January to March; B, joined in February, February and March
        ({"state": "returned"}, 1),
        ({"partner": A}, 3),
        ({"indicator": "nothing-here"}, 0),
        ({"period": "1999-01"}, 0),
        ({"late": "false"}, 1),
    ],
)
def test_filters_narrow_the_reports(cast, sent, call, query, count):
    response = call("evaluator", "get", f"{BASE}/reports", **query)
    assert response.json()["count"] == count, response.json()


def test_the_summary_counts_per_partner_and_period(cast, sent, call):
    summary = call("staff", "get", BASE).json()
    assert summary["periods"] == ["2024-03", "2024-02", "2024-01"]
    rows = {r["partner"]: r["figures"] for r in summary["by_partner"]}
    assert rows[A]["expected"] == 3 and rows[A]["received"] == 1
    assert rows[B]["returned"] == 1
    mine = call("partner_token", "get", BASE).json()
    assert [r["partner"] for r in mine["by_partner"]] == [A]
    assert mine["overall"] == rows[A]
