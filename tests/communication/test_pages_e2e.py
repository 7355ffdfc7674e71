"""Staff record a meeting with attendance, a decision and an action item; its owner closes it
from the home page. Each page is looked at (screenshot) and checked with axe-core."""

from __future__ import annotations

import pytest

from backbone.communication.models import ActionItem
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import group

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_staff_record_meeting_and_steward_closes_action(cast, page):
    team = group(cast, "Reading action team", cast.steward_a, [cast.steward_a, cast.community])
    sign_in(page, "staff@example.org", PASSWORD)
    page.goto("/i/riverton/groups/")
    assert_accessible(page, "communication-groups")
    page.get_by_role("link", name="Reading action team").click()
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Title").fill("Reading team, April")
    page.get_by_label("Starts").fill("2025-04-07T18:00")
    page.get_by_label("Ends").fill("2025-04-07T19:30")
    page.get_by_label("Time zone").fill("America/Chicago")
    page.get_by_label("Ada Steward").check()
    page.get_by_label("Cam Resident").check()
    assert_accessible(page, "communication-meeting-form")
    page.get_by_role("button", name="Save meeting").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("textbox", name="Decision").fill("Adopt the shared referral form")
    page.get_by_label("Decided on").fill("2025-04-07")
    page.get_by_label("Who decided").fill("The group, by consensus")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("textbox", name="Action").fill("Circulate the referral form")
    page.get_by_label("Owner").select_option(label="Ada Steward")
    page.get_by_label("Due").fill("2025-04-21")
    page.get_by_role("button", name="Record action item").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("1 community member").is_visible()
    assert page.get_by_text("Adopt the shared referral form").is_visible()
    assert_accessible(page, "communication-meeting")
    page.goto(f"/i/riverton/groups/{team.uuid}/")
    assert_accessible(page, "communication-group")

    page.context.clear_cookies()
    sign_in(page, "steward.a@example.org", PASSWORD)
    page.goto("/")
    assert page.get_by_role("heading", name="Your action items").is_visible()
    assert page.get_by_text("Overdue").is_visible()
    assert_accessible(page, "communication-home-actions")
    page.get_by_role("button", name="Mark done: Circulate the referral form").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Marked done: Circulate the referral form").is_visible()
    assert ActionItem.objects.get().status == "done"
    page.goto("/i/riverton/groups/calendar/")
    page.get_by_role("button", name="Make a link to my meetings").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "communication-calendar-links")
