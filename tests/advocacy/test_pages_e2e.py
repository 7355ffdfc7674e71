"""A partner steward records a commitment and its progress in a real browser; each page is
looked at (screenshot) and checked with axe-core."""

from __future__ import annotations

import pytest

from backbone.advocacy.models import Commitment
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import make_item, make_policy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASE = "/i/riverton/advocacy/"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_steward_records_commitment_and_progress(cast, page):
    make_policy(cast.initiative, next_step="Meet the council", next_step_owner=cast.staff)
    make_item(cast.initiative, "campaign", "Ready by Five", reach=1200)
    sign_in(page, "steward.a@example.org", "correct horse battery")
    page.goto(BASE)
    assert page.get_by_role("heading", name="Policy agenda").is_visible()
    assert_accessible(page, "advocacy-policies")
    page.goto(BASE + "public-will/")
    assert_accessible(page, "advocacy-public-will")

    page.goto(BASE + "commitments/")
    page.get_by_role("link", name="Riverton Public Library").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Add a commitment").click()
    page.get_by_label("Kind").select_option("staff_time")
    page.get_by_label("Description").fill("A librarian one day a week for the reading group")
    page.get_by_label("Starts").fill("2024-09-01")
    assert_accessible(page, "advocacy-commitment-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Saved the commitment.").is_visible()

    page.get_by_role("link", name="Record progress").click()
    page.get_by_label("Progress").fill("Two sessions held")
    page.get_by_label("Status now").select_option("in_progress")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Two sessions held").is_visible()
    assert_accessible(page, "advocacy-partner")

    commitment = Commitment.objects.get()
    assert (commitment.partner, commitment.status) == (cast.partner_a, "in_progress")
    assert commitment.updates.get().by == cast.steward_a

    page.goto(BASE + "commitments/")
    assert page.get_by_role("cell", name="1 · In progress").is_visible()
    assert_accessible(page, "advocacy-matrix")
