"""The backbone's pages in a real browser: staff log effort and the effort table changes;
each page looked at (screenshot) and checked with axe-core."""

from __future__ import annotations

import pytest

from backbone.workplan.models import BackboneTask
from tests.browser import screenshot, serious_accessibility_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_staff_log_effort_and_the_effort_table_changes(cast, roles, page):
    BackboneTask.objects.create(
        initiative=cast.initiative,
        title="Brief the council",
        owner=cast.staff,
        role="advance_policy",
    )
    sign_in(page, "staff@example.org", "correct horse battery")
    page.goto("/i/riverton/backbone/effort/")
    row = page.get_by_role("row", name="Advance policy")
    assert row.get_by_role("cell").last.inner_text() == "—"
    assert_accessible(page, "workplan-effort-before")

    page.goto("/i/riverton/backbone/")
    assert_accessible(page, "workplan-plan")
    page.get_by_role("link", name="Log effort on Brief the council").click()
    page.get_by_label("Hours").fill("3.5")
    page.get_by_role("button", name="Log effort").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Logged 3.5 hours").is_visible()
    assert "3.5" in page.get_by_role("row", name="Advance policy").inner_text()
    chart = page.get_by_role("img", name="Stacked bar chart of hours per month")
    assert chart.is_visible() and chart.locator("rect.segment").count() == 1
    assert_accessible(page, "workplan-effort-after")

    page.goto("/i/riverton/backbone/funding/")
    assert_accessible(page, "workplan-funding")
