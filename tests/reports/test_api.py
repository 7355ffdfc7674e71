# ruff: noqa: F811 (pytest fixtures imported by name)
"""Funder reports over the API: the list a caller may read and each report as its PDF."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.reports.models import Report
from tests.api.callers import EVERYONE, call, tokens  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/reports"
READ_ALL = {"staff", "evaluator"}
PARTICIPANTS = {
    "community",
    "member_a",
    "steward_a",
    "steward_b",
    "partner_token",
    "personal_token",
}
MEMBERS = READ_ALL | PARTICIPANTS | {"funder"}


@pytest.fixture
def reports(cast):
    def make(title, funders, members):
        return Report.objects.create(
            initiative=cast.initiative,
            title=title,
            period_start=date(2026, 4, 1),
            period_end=date(2026, 6, 30),
            shared_with_funders=funders,
            shared_with_members=members,
            created_by=cast.staff,
        )

    return {
        "funders": make("To funders", True, False),
        "members": make("To partners", False, True),
        "unshared": make("Backbone notes", False, False),
    }


READERS = {
    "funders": READ_ALL | {"funder"},
    "members": READ_ALL | PARTICIPANTS,
    "unshared": READ_ALL,
}


def expected_list(who: str) -> int:
    if who == "revoked_token":
        return 401
    return 200 if who in MEMBERS else 404


def test_each_caller_lists_the_reports_they_may_read(cast, reports, call):
    for who in EVERYONE:
        response = call(who, "get", BASE)
        assert response.status_code == expected_list(who), who
        if response.status_code == 200:
            titles = {r["title"] for r in response.json()["items"]}
            assert titles == {reports[k].title for k, people in READERS.items() if who in people}
    first = call("staff", "get", BASE).json()["items"][0]
    assert first["pdf"] == f"{BASE}/{first['uuid']}/pdf"


def test_a_report_the_caller_may_not_read_is_not_found(cast, reports, call):
    for who in EVERYONE:
        response = call(who, "get", f"{BASE}/{reports['unshared'].uuid}/pdf")
        if who not in READ_ALL:
            assert response.status_code == (401 if who == "revoked_token" else 404), who
    assert call("funder", "get", f"{BASE}/{reports['members'].uuid}/pdf").status_code == 404
    assert (
        call("other_initiative_token", "get", f"{BASE}/{reports['funders'].uuid}/pdf").status_code
        == 404
    )


@pytest.mark.parametrize("who", ["partner_token", "funder"])
def test_the_pdf_is_the_pages_document(cast, reports, call, who):
    report = reports["members"] if who == "partner_token" else reports["funders"]
    response = call(who, "get", f"{BASE}/{report.uuid}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="riverton-report-2026-04-01-2026-06-30.pdf"' in response["Content-Disposition"]
