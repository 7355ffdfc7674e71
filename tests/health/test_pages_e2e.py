"""The backbone in a real browser: its home page names the partners going quiet, the health
page scores every condition, and the power map and its seats read on a desktop and on a
390-pixel phone. Every page passes axe-core and is screenshotted to be looked at."""

import pytest

from backbone.demo.builder import PASSWORD
from backbone.health.demo import DRIFTING
from tests.browser import screenshot, serious_accessibility_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SLUG = "riverton-cradle-to-career"


def check(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.parentElement.closest('.table-wrap, .subnav, .subnav-pages'))
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
  .slice(0, 5)"""


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (width, page.evaluate(WIDEST))


def test_backbone_opens_health_and_the_power_map(demo, page):
    sign_in(page, "maya.okafor@riverton.example", PASSWORD)

    quiet = page.get_by_role("region", name="Partners going quiet")
    for name in DRIFTING:
        assert quiet.get_by_text(name).is_visible()
    check(page, "health-home")
    quiet.get_by_role("link", name="Collective impact health").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Collective impact health").is_visible()
    assert page.get_by_role("heading", name="Continuous communication").is_visible()
    assert page.get_by_role("row", name=DRIFTING[0]).is_visible()
    check(page, "health-page")

    page.goto(f"/i/{SLUG}/power-map/")
    assert page.get_by_role("heading", name="Power map").is_visible()
    assert page.get_by_role("link", name="Riverton School Board").first.is_visible()
    check(page, "powermap-map")
    page.get_by_role("link", name="Riverton School Board").last.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Before the data walk").is_visible()
    check(page, "powermap-stakeholder")
    page.goto(f"/i/{SLUG}/power-map/seats/")
    assert page.get_by_role("heading", name="Steering committee").is_visible()
    check(page, "powermap-seats")

    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in [
        (f"/i/{SLUG}/health/", "health-page-390"),
        (f"/i/{SLUG}/power-map/", "powermap-map-390"),
        (f"/i/{SLUG}/power-map/seats/", "powermap-seats-390"),
    ]:
        page.goto(path)
        check(page, name)
        no_sideways_scroll(page)
