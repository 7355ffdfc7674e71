"""The activity pages in a real browser, each looked at (screenshot) and checked with axe-core."""

from __future__ import annotations

import pytest

from backbone.activities.models import Activity
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import make_activity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
BASE = "/i/riverton/activities/"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_staff_see_a_gap_in_the_alignment_matrix(cast, plan, page):
    make_activity(cast.partner_a, "Tutoring", strategies=[plan.reading], places=[plan.millbrook])
    make_activity(
        cast.partner_b, "Attendance mentors", strategies=[plan.attendance], places=[plan.northside]
    )
    sign_in(page, "staff@example.org", PASSWORD)
    page.goto(BASE)
    assert page.get_by_role("heading", name="Activities", exact=True).is_visible()
    assert_accessible(page, "activities-4w")
    page.get_by_role("link", name="Alignment, gaps and overlaps").click()
    page.wait_for_load_state("networkidle")
    gaps = page.get_by_role("region", name="Gaps")
    assert gaps.get_by_text("Keep children reading in summer").is_visible()
    assert gaps.get_by_text("Southside").is_visible()
    assert_accessible(page, "activities-alignment")


def test_steward_creates_an_activity_for_their_organisation(cast, plan, page):
    sign_in(page, "steward.a@example.org", PASSWORD)
    page.goto(BASE)
    page.get_by_role("link", name="Add an activity").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "activities-form")
    page.get_by_label("What").fill("Homework club")
    page.get_by_label("Tutor early readers").check()
    page.get_by_label("Cedar Heights").check()
    page.get_by_label("Starts").fill("2024-09-01")
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Homework club").is_visible()
    assert_accessible(page, "activities-detail")
    made = Activity.objects.get()
    assert made.partner == cast.partner_a
    assert list(made.places.all()) == [plan.cedar]
