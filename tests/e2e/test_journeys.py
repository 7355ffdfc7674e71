"""What backbone staff and partner stewards do in a real browser, with an accessibility check
of every page on the way (axe-core: no serious or critical violations)."""

import pytest

from backbone.agenda.models import AgendaVersion, Endorsement
from backbone.demo.builder import PASSWORD
from tests.browser import screenshot, serious_accessibility_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SLUG = "riverton-cradle-to-career"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_staff_edits_the_agenda_and_compares_two_versions(demo, page):
    sign_in(page, "maya.okafor@riverton.example", PASSWORD)
    assert_accessible(page, "home-staff")

    page.goto(f"/i/{SLUG}/")
    assert page.get_by_role("heading", name="Riverton Cradle to Career Partnership").is_visible()
    assert_accessible(page, "overview")

    page.goto(f"/i/{SLUG}/agenda/")
    assert_accessible(page, "agenda")
    page.get_by_role("link", name="Edit the agenda").click()
    assert_accessible(page, "agenda-edit")

    page.get_by_role("textbox", name="Vision").fill(
        "Every child in Riverton succeeds from cradle to career, in every neighbourhood."
    )
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Saved in the draft: 1 change not published yet.").is_visible()
    assert AgendaVersion.objects.filter(initiative__slug=SLUG).count() == 3

    # The draft waits on the agenda page: compare it, then publish it as version 4.
    page.get_by_role("link", name="Review and publish the draft").click()
    page.wait_for_load_state("networkidle")
    draft = page.get_by_role("region", name="Draft")
    assert draft.get_by_text("1 change not published yet").is_visible()
    assert_accessible(page, "agenda-draft")
    draft.get_by_role("link", name="Compare with version 3 side by side").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Compare version 3 with the draft").is_visible()
    assert page.locator("ins", has_text="every neighbourhood").first.is_visible()
    assert_accessible(page, "agenda-compare-draft")
    page.get_by_role("link", name="Back to the agenda").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("What changed and why").fill("Shorter vision after the retreat")
    page.get_by_role("button", name="Publish as version 4").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Version 4 is published.").is_visible()
    assert AgendaVersion.objects.filter(initiative__slug=SLUG).count() == 4
    assert (
        AgendaVersion.objects.get(initiative__slug=SLUG, number=4).note
        == "Shorter vision after the retreat"
    )

    page.goto(f"/i/{SLUG}/agenda/versions/")
    assert_accessible(page, "agenda-history")
    page.get_by_role("link", name="With version 3").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Compare version 3 with version 4").is_visible()
    assert page.locator("ins", has_text="every neighbourhood").first.is_visible()
    assert page.locator("del").first.is_visible()
    assert_accessible(page, "agenda-compare")

    # Two versions further apart, chosen in the form.
    page.get_by_label("Older version").select_option(label="Version 1 — 15 Mar 2023")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Compare version 1 with version 4").is_visible()


def test_steward_endorses_the_current_version(demo, page):
    sign_in(page, "priya.natarajan@riverton.example", PASSWORD)
    assert page.get_by_text("Endorse version 3 of the common agenda").is_visible()
    assert_accessible(page, "home-steward")

    page.goto(f"/i/{SLUG}/agenda/")
    button = page.get_by_role("button", name="Endorse version 3 for Riverton Public Library")
    button.click()
    page.wait_for_load_state("networkidle")
    assert Endorsement.objects.filter(
        version__initiative__slug=SLUG,
        version__number=3,
        partner__organisation__name="Riverton Public Library",
    ).exists()
    assert (
        page.get_by_role("button", name="Endorse version 3 for Riverton Public Library").count()
        == 0
    )
    assert_accessible(page, "agenda-after-endorsement")

    page.goto(f"/i/{SLUG}/partners/")
    assert_accessible(page, "partners")
    page.goto(f"/i/{SLUG}/framework/")
    assert_accessible(page, "framework")


def test_anonymous_visitor_reads_the_public_agenda_and_signs_in(demo, page):
    page.goto("/")
    assert_accessible(page, "landing")
    page.goto(f"/i/{SLUG}/agenda/")
    assert page.get_by_role("heading", name="Common agenda").first.is_visible()
    assert page.get_by_role("link", name="Edit the agenda").count() == 0
    page.goto("/accounts/login/")
    assert_accessible(page, "sign-in")


def test_navigation_works_on_a_phone_and_by_keyboard(demo, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "maya.okafor@riverton.example", PASSWORD)
    page.goto(f"/i/{SLUG}/people/")
    assert_accessible(page, "people-phone")
    # The areas and pages wait behind one menu button, opened and closed by keyboard.
    assert page.get_by_role("button", name="Sign out").is_visible()
    areas = page.get_by_role("navigation", name="Riverton Cradle to Career Partnership")
    assert not areas.is_visible()
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    areas.get_by_role("link", name="Learning").focus()
    assert areas.get_by_role("link", name="Learning").is_visible()
    pages = page.get_by_role("navigation", name="Partners")
    assert pages.get_by_role("link", name="People").get_attribute("aria-current") == "page"
    assert_accessible(page, "people-phone-menu")
    page.keyboard.press("Escape")
    assert not areas.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
    # The first Tab stop skips to the content.
    page.goto(f"/i/{SLUG}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
