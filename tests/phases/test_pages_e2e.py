"""Backbone staff mark a phase's last component done in a real browser and see the overview's
standing move on; each page is looked at (screenshot), checked with axe-core, and the grid
stays inside a phone's width, scrolling in its own container."""

from __future__ import annotations

import pytest

from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import record

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASE = "/i/riverton/phases/"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def standing_text(page) -> str:
    return page.get_by_role("region", name="Where the initiative stands").inner_text()


def test_staff_mark_a_component_done_and_the_standing_moves(cast, tracked, page):
    for component in (
        "governance_and_infrastructure",
        "strategic_planning",
        "community_involvement",
    ):
        record(tracked, "initiate_action", component, evidence="Charter signed", by=cast.staff)
    record(tracked, "organise_for_impact", "strategic_planning", status="in_progress")
    sign_in(page, "staff@example.org", "correct horse battery")

    page.goto("/i/riverton/")
    before = standing_text(page)
    assert "Current phase: Initiate action" in before
    assert "3 of 4" in before and "75%" in before
    assert_accessible(page, "phases-overview-before")

    page.goto(BASE)
    assert page.get_by_role("heading", name="Phase tracker").is_visible()
    assert_accessible(page, "phases-grid-desktop")
    page.get_by_role("link", name="Record Evaluation and improvement in Initiate action").click()
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Started").fill("2024-05-01")
    page.get_by_label("Completed").fill("2024-04-01")
    page.get_by_label("Evidence").fill("Baseline report on readiness, reading and absence")
    page.get_by_label("Note for the history").fill("Baseline report accepted")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("It cannot be completed before it started").is_visible()
    assert_accessible(page, "phases-cell-form-error")

    page.get_by_label("Completed").fill("2024-06-28")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Saved Evaluation and improvement in Initiate action.").is_visible()
    assert page.get_by_text("Baseline report on readiness, reading and absence").is_visible()
    assert (
        page.get_by_role("columnheader", name="Initiate action")
        .get_by_text("4 of 4 done (100%)")
        .is_visible()
    )

    page.get_by_role(
        "link", name="Details of Evaluation and improvement in Initiate action"
    ).click()
    assert page.get_by_role("cell", name="Not started → Done").is_visible()
    assert_accessible(page, "phases-cell-history")

    page.goto("/i/riverton/")
    after = standing_text(page)
    assert "Current phase: Organise for impact" in after
    assert "4 of 4" in after and "100%" in after
    assert_accessible(page, "phases-overview-after")


def test_grid_fits_a_phone_and_scrolls_in_its_own_container(cast, tracked, page):
    record(tracked, "initiate_action", "strategic_planning", evidence="A long " * 40, by=cast.staff)
    sign_in(page, "resident@example.org", "correct horse battery")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(BASE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wrap = page.locator(".phase-grid-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert_accessible(page, "phases-grid-phone")
    page.goto("/i/riverton/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "phases-overview-phone")
