"""The file pages in a real browser, each looked at (screenshot) and checked with axe-core:
a steward downloads a template, uploads a bad file, then a good one; staff import and
export."""

from __future__ import annotations

import pytest

from backbone.measurement.models import DataValue
from tests.browser import screenshot, serious_accessibility_violations, sign_in

from .conftest import BASE, ENROLLED, ORG_A, ORG_B, write_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def assert_accessible(page, name):
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def test_steward_downloads_a_template_and_uploads_a_bad_then_a_good_file(
    cast, files, page, tmp_path
):
    sign_in(page, "steward.a@example.org", PASSWORD)
    page.goto(f"{BASE}/files/upload/")
    assert_accessible(page, "files-upload-partner")

    page.get_by_label("Period").select_option("2024-01")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the template").click()
    assert download.value.suggested_filename == f"riverton-{ORG_A}-2024-01.xlsx"

    bad = [ENROLLED[0], ["children-enrolled", "2024-01", "east", "ten"], ENROLLED[2]]
    page.locator("#id_file").set_input_files(str(write_csv(tmp_path, "bad.csv", bad)))
    page.get_by_role("button", name="Upload and submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Nothing was saved: 2 problems to fix").is_visible()
    assert page.get_by_role("cell", name="unknown group 'east' of place").is_visible()
    assert not DataValue.objects.exists()
    assert_accessible(page, "files-upload-problems")

    page.locator("#id_file").set_input_files(str(write_csv(tmp_path, "good.csv", ENROLLED)))
    page.get_by_role("button", name="Upload and submit").click()
    page.wait_for_load_state("networkidle")
    assert "/submissions/" in page.url
    assert page.get_by_text("3 values read from good.csv").is_visible()
    assert DataValue.objects.count() == 3


def test_staff_import_many_partners_and_export(cast, files, page, tmp_path):
    sign_in(page, "staff@example.org", PASSWORD)
    page.goto(f"{BASE}/files/upload/")
    assert_accessible(page, "files-upload-backbone")
    rows = [
        ["partner", "indicator", "period", "value"],
        [ORG_A, "open-cases", "2024-01", "4"],
        [ORG_B, "open-cases", "2024-01", "5"],
    ]
    page.get_by_label("Rows name their partner").check()
    page.locator("#id_file").set_input_files(str(write_csv(tmp_path, "all.csv", rows)))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state("networkidle")
    assert DataValue.objects.count() == 2

    page.goto(f"{BASE}/files/export/")
    assert_accessible(page, "files-export")
    page.get_by_label("Format").select_option("csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert ORG_A in text and ORG_B in text
