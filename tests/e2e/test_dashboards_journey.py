"""The dashboards in a real browser, on a desktop and a phone: the scorecard and an indicator
page for backbone staff, the public scorecard and its embed for anyone. Charts must draw,
every page must pass axe-core (no serious or critical violation), and each is screenshotted
to be looked at."""

import pytest

from backbone.demo.builder import PASSWORD
from tests.browser import screenshot, serious_accessibility_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SLUG = "riverton-cradle-to-career"
WIDTHS = {"desktop": 1280, "phone": 390}


def check(page, name: str) -> None:
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(150)  # the chart redraws at the new width
        screenshot(page, f"{name}-{label}")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{name} is {scroll}px wide on a {width}px {label}"
    assert serious_accessibility_violations(page) == []


def chart_has_drawn(page) -> bool:
    """Chart.js has drawn on the canvas: some pixel is not transparent."""
    return page.evaluate(
        """() => {
            const c = document.querySelector('canvas[data-chart]');
            if (!c || !window.Chart || !Chart.getChart(c)) return false;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
            return false;
        }"""
    )


def test_staff_read_the_scorecard_and_an_indicator_page(demo, page):
    sign_in(page, "maya.okafor@riverton.example", PASSWORD)
    page.goto(f"/i/{SLUG}/scorecard/")
    assert page.get_by_role("heading", name="Scorecard", exact=True).is_visible()
    assert page.get_by_role("heading", name="Moving the needle").is_visible()
    assert page.locator("svg.spark").count() >= 8
    check(page, "scorecard")

    page.get_by_role("link", name="Kindergarten readiness").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Turn the curve").is_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))")
    assert chart_has_drawn(page)
    assert page.get_by_role("heading", name="Equity gaps over time").is_visible()
    assert page.get_by_role("heading", name="The story behind the curve").is_visible()
    check(page, "indicator-page")


def test_anyone_reads_the_public_scorecard_and_its_embed(demo, page):
    page.goto(f"/i/{SLUG}/scorecard/public/")  # the old address leads to the one scorecard
    assert page.get_by_role("heading", name="Scorecard", exact=True).is_visible()
    assert page.get_by_role("heading", name="Put this scorecard on your site").is_visible()
    assert page.get_by_role("link", name="Sign in").is_visible()
    check(page, "public-scorecard")

    page.goto(f"/i/{SLUG}/scorecard/embed/")
    assert page.locator("table.scorecard").count() >= 1
    assert page.locator("script").count() == 0
    check(page, "embed")
