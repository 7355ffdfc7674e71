"""Backbone staff record a series break in a real browser, then read the indicator page and
the scorecard: the chart breaks its line and names the reason, and each page is looked at
(screenshot) and checked with axe-core."""

from __future__ import annotations

import pytest

from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .test_series_breaks import CODE, REASON, england  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_record_a_break_and_the_chart_shows_it(england, page):  # noqa: F811
    sign_in(page, "staff@example.org", "correct horse battery")
    page.goto(f"/i/riverton/measurement/indicators/{CODE}/")
    page.get_by_role("link", name="Series breaks").first.click()
    page.get_by_label("First period of the new series").select_option(label="School year 2021–22")
    page.get_by_label("Reason").fill(REASON)
    page.get_by_role("button", name="Record the break").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("cell", name=REASON).is_visible()
    screenshot(page, "measurement-series-breaks")
    assert serious_accessibility_violations(page) == []

    page.goto(f"/i/riverton/scorecard/indicators/{CODE}/")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("document.querySelector('#curve-chart').width > 0")
    assert page.get_by_text(f"New series since School year 2021–22: {REASON}").is_visible()
    screenshot(page, "dashboards-indicator-series-break")
    assert serious_accessibility_violations(page) == []

    page.goto("/i/riverton/scorecard/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_title(REASON).is_visible()  # "New series since SY2021-22"
    screenshot(page, "dashboards-scorecard-series-break")
    assert serious_accessibility_violations(page) == []
