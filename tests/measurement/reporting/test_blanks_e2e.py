"""Blanks with a reason in a real browser, each page looked at (screenshot) and checked with
axe-core: a steward says why a cell is blank, is told off for a number beside a reason, then
reads the submission; staff read the reason on the indicator page."""

from __future__ import annotations

import pytest

from backbone.measurement.approval import submission_approve
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import DataValue
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import BASE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
READINESS = "kindergarten-readiness"
FORM = f"{BASE}/report/{READINESS}/SY2024-25/"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_steward_says_why_cells_are_blank(cast, reporting, page):
    sign_in(page, "steward.a@example.org", PASSWORD)
    page.goto(FORM)
    assert_accessible(page, "reporting-form-reasons")

    page.locator("#id_c2_numerator").fill("3")
    page.locator("#id_c2_denominator").fill("4")
    page.locator("#id_c2_missing").select_option(label="Suppressed at the source")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("a value and a reason for its absence; give one").first.is_visible()
    assert not DataValue.objects.exists()
    assert_accessible(page, "reporting-form-reason-problem")

    page.locator("#id_c2_numerator").fill("")
    page.locator("#id_c2_denominator").fill("")
    page.locator("#id_c3_numerator").fill("5")
    page.locator("#id_c3_denominator").fill("10")
    page.locator("#id_c1_missing").select_option(label="Not collected")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state("networkidle")
    assert "/submissions/" in page.url
    assert page.get_by_role("cell", name="Suppressed at the source").is_visible()
    assert page.get_by_role("cell", name="Not collected").is_visible()
    assert_accessible(page, "reporting-submission-reasons")

    page.goto(FORM)
    assert page.locator("#id_c1_missing").input_value() == "not_collected"
    assert page.locator("#id_c2_missing").input_value() == "suppressed"
    assert page.locator("#id_c3_missing").input_value() == ""
    screenshot(page, "reporting-form-reasons-read-back")


def test_staff_read_a_partners_reason_on_the_indicator_page(cast, reporting, page):
    for partner, person, row in (
        (
            cast.partner_a,
            cast.steward_a,
            Reported(READINESS, "SY2024-25", {}, numerator=3, denominator=4),
        ),
        (cast.partner_b, cast.steward_b, Reported(READINESS, "SY2024-25", {}, missing="[z]")),
    ):
        submission = Intake(
            initiative=cast.initiative, by=person, channel="web", partner=partner
        ).submit([row])
        submission_approve(submission=submission, by=cast.staff)

    sign_in(page, "staff@example.org", PASSWORD)
    page.goto("/i/riverton/scorecard/indicators/kindergarten-readiness/?period=SY2024-25")
    assert page.get_by_role("cell", name="Not applicable").is_visible()
    assert_accessible(page, "indicator-page-partner-reason")
