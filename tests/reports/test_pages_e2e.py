"""A funder reads a report in a real browser, on a desktop and on a phone; each page is looked
at (screenshot) and checked with axe-core."""

from __future__ import annotations

import pytest

from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import report_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_funder_reads_the_report_on_desktop_and_phone(quarter, page):
    report = quarter.shared_with_funders
    sign_in(page, "funder@example.org", "correct horse battery")
    page.goto(f"/i/{quarter.initiative.slug}/reports/")
    page.get_by_role("link", name=report.title, exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=report.title, level=1).is_visible()
    assert page.get_by_role("heading", name="5. Funding secured").is_visible()
    assert page.get_by_role("button", name="Print").is_visible()  # shown by its script
    assert page.get_by_role("link", name="Download PDF").is_visible()
    screenshot(page, "reports-report-desktop")
    assert serious_accessibility_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "reports-report-phone")
    assert serious_accessibility_violations(page) == []


def test_staff_make_a_report_for_last_quarter(quarter, page):
    sign_in(page, "staff@example.org", "correct horse battery")
    page.goto(f"/i/{quarter.initiative.slug}/reports/new/")
    page.get_by_role("link", name="Last quarter").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Shared with members").check()
    screenshot(page, "reports-form")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Saved the report").is_visible()
    assert page.get_by_text("Figures as of").is_visible()
    assert "/reports/" in page.url and page.url.endswith("/")
    assert report_url(quarter.shared_with_funders) not in page.url
