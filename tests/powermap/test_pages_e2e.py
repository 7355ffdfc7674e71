"""A backbone officer moves a stakeholder on the power map in a real browser; the form passes
axe-core and is screenshotted to be looked at. (The map and its seats on a desktop and a phone
are in tests/health/test_pages_e2e.py, on the demo.)"""

import pytest

from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import make_stakeholder

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def check(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_backbone_moves_a_stakeholder(transactional_db, page, cast):
    make_stakeholder(cast.initiative, "Riverton City Council", influence=5, interest=2)
    sign_in(page, "staff@example.org", "correct horse battery")
    page.goto("/i/riverton/power-map/")
    page.get_by_role("link", name="Riverton City Council").last.click()
    page.get_by_role("link", name="Move or edit").click()
    page.get_by_label("Interest").select_option("5")
    page.get_by_label("Stance toward the agenda").select_option("champion")
    page.get_by_label("Why it moved").fill("After the levy hearing")
    check(page, "powermap-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("After the levy hearing").is_visible()
    assert page.get_by_text("Manage closely").is_visible()
