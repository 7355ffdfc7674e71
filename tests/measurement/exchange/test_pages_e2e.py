"""The exchange pages in a real browser, each looked at (screenshot) and checked with axe-core."""

import json

import pytest

from backbone.measurement.models import ApiToken, DataValue
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import WHOLE_AREA
from .helpers import full_report, report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
BASE = "/i/riverton/measurement"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_steward_makes_and_revokes_a_token(cast, measured, page):
    sign_in(page, "steward.a@example.org", PASSWORD)
    page.goto(f"{BASE}/tokens/")
    assert_accessible(page, "exchange-tokens-empty")
    page.get_by_label("Name").fill("Case management sync")
    page.get_by_role("button", name="Make token").click()
    page.wait_for_load_state("networkidle")
    raw = page.get_by_role("textbox", name="Token").input_value()
    assert raw.startswith("bbk_") and page.get_by_text("shown only this once").is_visible()
    assert_accessible(page, "exchange-tokens-new")
    page.goto(f"{BASE}/tokens/")
    page.get_by_role("link", name="Revoke Case management sync").click()
    page.wait_for_load_state("networkidle")
    assert ApiToken.objects.get().revoked_at is None
    assert_accessible(page, "exchange-tokens-revoke")
    page.get_by_role("button", name="Revoke the token").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("no longer works").is_visible()
    assert ApiToken.objects.get().revoked_at is not None
    assert_accessible(page, "exchange-tokens-revoked")


def test_staff_maps_codes_and_exports(cast, mapped, page):
    report(cast, cast.partner_a, full_report("2024-01"), approve=True)
    report(cast, cast.partner_a, full_report("SY2024-25"), approve=True)
    sign_in(page, "staff@example.org", PASSWORD)
    page.goto(f"{BASE}/dhis2/")
    assert_accessible(page, "exchange-dhis2-mappings")
    page.get_by_label("DHIS2 code").nth(2).fill("at0iIVnGu5N")
    page.get_by_role("button", name="Map org unit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("at0iIVnGu5N is mapped").is_visible()

    page.goto(f"{BASE}/dhis2/export/")
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("13 left out").is_visible()
    assert_accessible(page, "exchange-dhis2-export")


def test_partner_import_lists_problems_then_succeeds(cast, mapped, page, tmp_path):
    bad = tmp_path / "january.json"
    bad.write_text(
        json.dumps(
            {
                "dataValues": [
                    {
                        "dataElement": "OC01",
                        "period": "202402",
                        "orgUnit": WHOLE_AREA,
                        "value": "seven",
                    },
                    {"dataElement": "MAL01", "period": "2024W05", "orgUnit": "342", "value": "32"},
                ]
            }
        )
    )
    sign_in(page, "steward.a@example.org", PASSWORD)
    page.goto(f"{BASE}/dhis2/import/")
    assert_accessible(page, "exchange-dhis2-import")
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Nothing was imported: 4 problems").is_visible()
    assert_accessible(page, "exchange-dhis2-import-problems")
    assert not DataValue.objects.exists()

    good = tmp_path / "february.json"
    good.write_text(
        json.dumps(
            {
                "period": "202402",
                "orgUnit": WHOLE_AREA,
                "dataValues": [{"dataElement": "OC01", "value": "7"}],
            }
        )
    )
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state("networkidle")
    assert DataValue.objects.get().value == 7
    screenshot(page, "exchange-dhis2-import-done")
