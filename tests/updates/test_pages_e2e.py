"""The updates feed in a real browser: a community member reads the demo's feed, opens an
update and comments on it (htmx swaps the comments in place), then chooses what to follow.
Every page passes axe-core and is screenshotted to be looked at."""

import pytest

from backbone.demo.builder import PASSWORD
from backbone.updates.models import UpdateComment
from tests.browser import screenshot, serious_accessibility_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SLUG = "riverton-cradle-to-career"


def check(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_resident_reads_the_feed_comments_and_chooses_what_to_follow(demo, page):
    sign_in(page, "rosa.delgado@riverton.example", PASSWORD)
    page.goto(f"/i/{SLUG}/updates/")
    assert page.get_by_role("heading", name="Updates", exact=True).is_visible()
    check(page, "updates-feed")

    page.get_by_role("link", name="Summer reading: partners wanted").click()
    page.wait_for_load_state("networkidle")
    before = UpdateComment.objects.count()
    said = "Our tenants' association can host a reading corner."
    page.get_by_role("textbox", name="Comment on this update").fill(said)
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text(said).wait_for()
    assert UpdateComment.objects.count() == before + 1
    check(page, "updates-detail")

    page.goto(f"/i/{SLUG}/updates/following/")
    check(page, "updates-following")
