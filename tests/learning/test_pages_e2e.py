"""A partner adds a learning log entry linked to an indicator in a real browser, then finds
it by filtering the log; every page is looked at (screenshot), checked with axe-core, and
stays inside a phone's width."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.learning.models import LogEntry
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import make_entry, make_plan_item, make_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASE = "/i/riverton/learning/"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_partner_adds_a_log_entry_linked_to_an_indicator(cast, here, page):
    make_entry(cast.initiative, by=cast.staff, title="Reading buddies after school")
    sign_in(page, "member.a@example.org", "correct horse battery")
    page.goto(BASE + "log/")
    assert page.get_by_role("heading", name="Learning log").is_visible()
    page.get_by_role("link", name="Add to the log").click()
    page.get_by_label("Date").fill("2025-02-03")
    page.get_by_label("In a line").fill("Story time before kindergarten")
    page.get_by_label("What was tried").fill("Weekly story time for four-year-olds at the branch")
    page.get_by_label("What the data showed").fill(
        "Children who came to six sessions or more met the literacy benchmark more often"
    )
    page.get_by_label("What changed").fill("Two more branches run it from March")
    page.get_by_label("Indicators").select_option(label="Kindergarten readiness")
    page.get_by_label("Meetings").select_option(
        label="Reading action team — March 2025 (10 Mar 2025)"
    )
    assert_accessible(page, "learning-entry-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(
        "Saved “Story time before kindergarten” in the learning log."
    ).is_visible()
    assert page.get_by_role("link", name="Kindergarten readiness").is_visible()
    assert_accessible(page, "learning-entry")

    entry = LogEntry.objects.get(title="Story time before kindergarten")
    assert (entry.author, list(entry.indicators.all())) == (cast.member_a, [here.indicator])

    page.goto(BASE + "log/")
    page.get_by_label("Indicator", exact=True).select_option(label="Kindergarten readiness")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("1 entry linked to what you chose.").is_visible()
    assert page.get_by_role("link", name="Story time before kindergarten").is_visible()
    assert page.get_by_role("link", name="Reading buddies after school").count() == 0
    assert_accessible(page, "learning-log-filtered")


@pytest.mark.parametrize("width", [1280, 390])
def test_learning_pages_read_well_at_desktop_and_phone_width(cast, here, page, width):
    answered = make_question(
        cast.initiative,
        text="Does summer reading hold up autumn scores for the children who take part?",
        status="answered",
        answer="Mostly: children who read ten books or more kept their spring scores.",
        answered_on=date(2025, 1, 10),
        owner=cast.evaluator,
    )
    for stage, kind in [
        ("early", "developmental"),
        ("middle", "formative"),
        ("later", "summative"),
        ("middle", "developmental"),
    ]:
        make_plan_item(
            cast.initiative,
            title=f"{stage.title()} {kind} review",
            stage=stage,
            evaluation_type=kind,
            questions=[here.question, answered],
            method="Interviews and a review of the shared indicators",
            evaluator="Eve Evaluator",
            timing="Each spring",
        )
    make_entry(
        cast.initiative,
        by=cast.steward_a,
        indicators=[here.indicator],
        activities=[here.activity],
        meetings=[here.meeting],
        questions=[answered],
    )
    sign_in(page, "evaluator@example.org", "correct horse battery")
    page.set_viewport_size({"width": width, "height": 900})
    for path, name in [
        ("", "questions"),
        ("plan/", "plan"),
        ("log/", "log"),
        (f"questions/{answered.uuid}/", "question"),
        ("log/new/", "entry-form"),
    ]:
        page.goto(BASE + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert_accessible(page, f"learning-{name}-{width}")
