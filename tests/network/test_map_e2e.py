"""The partner network in a real browser: a steward answers, the map draws the partners, the
sector filter redraws it and the table beside it; each page looked at (screenshots, desktop
and phone) and checked with axe-core."""

from __future__ import annotations

import pytest

from backbone.initiatives import services as initiatives
from backbone.network.models import Answer
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import answer, open_wave

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASE = "/i/riverton/network/"
NAMES = [
    ("Riverton County Health Department", "health"),
    ("Riverside Community Health Center", "health"),
    ("Greater Hope Baptist Church", "faith"),
    ("St. Anne's Parish", "faith"),
    ("Riverton Chamber of Commerce", "business"),
    ("City of Riverton", "government"),
    ("United Way of Riverton County", "philanthropy"),
    ("Head Start of Riverton County", "nonprofit"),
    ("Riverton Public Schools", "education"),
    ("Southside Neighbors Association", "resident_association"),
]


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def wait_drawn(page):
    page.wait_for_function("document.getElementById('network-map').dataset.rendered === 'true'")


def shown(page) -> tuple[int, int, int]:
    """Nodes Cytoscape drew, rows of the table beside the map, partners the status names."""
    drawn = int(page.locator("#network-map").get_attribute("data-nodes"))
    rows = page.locator("#map-table tbody tr").count()
    status = int(page.locator("#map-status").inner_text().split()[1])
    return drawn, rows, status


@pytest.fixture
def network(cast):
    partners = [cast.partner_a, cast.partner_b] + [
        initiatives.partner_add(
            initiative=cast.initiative,
            organisation=initiatives.organisation_create(name=name, sector=sector),
        )
        for name, sector in NAMES
    ]
    wave = open_wave(cast.initiative, name="Autumn survey")
    for n, rater in enumerate(partners[1:], start=1):
        levels = {
            p.pk: 2 + (n + k) % 3
            for k, p in enumerate(partners)
            if p.pk != rater.pk and (n * 3 + k) % 4 == 0
        }
        answer(wave, rater, partners, levels)
    return wave, partners


def test_a_steward_answers_and_reads_the_map(cast, network, page):
    wave, partners = network
    sign_in(page, "steward.a@example.org", "correct horse battery")
    page.goto(BASE)
    page.get_by_role("link", name="Answer of Riverton Public Library to Autumn survey").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("tr.answer-row").count() == len(partners) - 1
    page.get_by_label("Level of collaboration with Northside Food Bank").select_option("4")
    for item in (
        "Reliable",
        "Supports the mission",
        "Open to discussion",
        "Power and influence",
        "Level of involvement",
        "Resources contributed",
    ):
        page.get_by_label(f"{item}: Northside Food Bank").select_option("3")
    page.get_by_role("button", name="Set every partner not yet rated to none").click()
    assert page.get_by_label("Reliable: Riverton Public Schools").is_disabled()
    page.get_by_label("Data", exact=True).check()
    page.get_by_label("Its single most important contribution").select_option("data")
    assert_accessible(page, "network-answer")
    page.get_by_role("button", name="Save the answer").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Saved the answer of Riverton Public Library").is_visible()
    found = Answer.objects.get(partner=cast.partner_a)
    assert found.ratings.filter(level=4).get().rated == cast.partner_b
    assert found.ratings.filter(level=0).count() == len(partners) - 2
    assert_accessible(page, "network-results")

    page.get_by_role("link", name="Network map").first.click()
    wait_drawn(page)
    assert page.locator("#network-map canvas").count() > 0
    assert shown(page) == (len(partners),) * 3
    assert_accessible(page, "network-map")

    page.get_by_label("Sector", exact=True).select_option("faith")
    wait_drawn(page)
    assert shown(page) == (2, 2, 2)
    rows = page.locator("#map-table tbody th").all_inner_texts()
    assert sorted(rows) == ["Greater Hope Baptist Church", "St. Anne's Parish"]
    assert page.locator("#map-sectors li").all_inner_texts() == ["Faith"]
    assert "sector=faith" in page.url
    assert_accessible(page, "network-map-faith")

    page.get_by_label("Sector", exact=True).select_option("")
    page.get_by_label("Minimum level").select_option("4")
    wait_drawn(page)
    page.get_by_text("of collaboration or more").wait_for()
    edges = int(page.locator("#network-map").get_attribute("data-edges"))
    assert edges == found.wave.ratings.filter(level=4).count()
    page.get_by_label("Size nodes by").select_option("betweenness")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    wait_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "network-map-phone")
    page.goto(BASE + f"waves/{wave.uuid}/answer/riverton-public-library/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "network-answer-phone")
