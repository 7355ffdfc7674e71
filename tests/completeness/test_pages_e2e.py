"""The completeness pages in a real browser, each looked at (screenshot) and checked with
axe-core."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.measurement.completeness.models import ReportingAssignment
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import A, at, send

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
BASE = "/i/riverton/completeness/"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


@pytest.fixture
def reports(cast, monthly):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, on=at(date(2024, 2, 15)))
    send(cast, cast.partner_a, monthly.enrolled, monthly.feb, status="returned", comment="Recount")
    send(cast, cast.partner_b, monthly.enrolled, monthly.feb, on=at(date(2024, 3, 20)))
    return monthly


def test_staff_read_completeness_and_assign_reporters(cast, reports, page):
    sign_in(page, "staff@example.org", PASSWORD)
    page.goto(BASE)
    assert page.get_by_role("heading", name="Reporting completeness").is_visible()
    assert_accessible(page, "completeness-overview")
    page.get_by_label("Period", exact=True).select_option("2024-02")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Reports for Feb 2024").is_visible()
    assert_accessible(page, "completeness-period")

    page.get_by_role("link", name="Who reports what").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "completeness-assignments")
    page.get_by_label("Riverton Public Library").uncheck()
    page.get_by_label("Northside Food Bank").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Saved who reports each indicator").is_visible()
    assert list(ReportingAssignment.objects.values_list("partner", flat=True)) == [
        cast.partner_b.pk
    ]


def test_steward_reads_own_completeness(cast, reports, page):
    sign_in(page, "steward.a@example.org", PASSWORD)
    page.goto(BASE)
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"{BASE}{A}/")
    assert page.get_by_text("Recount").is_visible()
    assert_accessible(page, "completeness-partner")
