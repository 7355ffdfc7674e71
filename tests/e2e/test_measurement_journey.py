"""Reporting in a real browser: a partner steward reports on the web form and through the
Excel template (a bad file first), the backbone approves, the partner sees it approved.
Every page on the way passes axe-core with no serious or critical violation."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from backbone.measurement.models import DataValue, Submission
from tests.assignments import assign_every_partner
from tests.browser import ARTIFACTS, screenshot, serious_accessibility_violations, sign_in
from tests.measurement.conftest import make_dimension, make_indicator, make_period

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
BASE = "/i/riverton/measurement"
RACES = ["Black", "Latino", "White"]
INCOMES = ["Low income", "Not low income"]


@pytest.fixture
def reporting(cast):
    """The cast's initiative with two indicators: readiness (a rate, race × income, by
    school year) and enrolled children (a count by place, monthly)."""
    i = cast.initiative
    race = make_dimension(i, "race", "Race/ethnicity", ["black", "latino", "white"])
    income = make_dimension(
        i, "income", "Income", [("low", "Low income"), ("other", "Not low income")]
    )
    place = make_dimension(
        i,
        "place",
        "Place",
        [
            ("city", "Riverton"),
            ("north", "North district", "city"),
            ("south", "South district", "city"),
        ],
        is_geography=True,
    )
    make_indicator(
        i,
        "kindergarten-readiness",
        "rate",
        (race, income),
        unit="percent",
        frequency="school_year",
        numerator_definition="Children assessed as ready",
        denominator_definition="Children assessed",
    )
    make_indicator(i, "children-enrolled", "sum", (place,), unit="count", frequency="month")
    make_period(i, "school_year", date(2024, 8, 1))
    for month in (1, 2):
        make_period(i, "month", date(2024, month, 1))
    assign_every_partner(i)
    return cast


def check(page, name: str) -> None:
    """Screenshot the page (test-artifacts/<name>.png) and run axe on it."""
    screenshot(page, name)
    assert serious_accessibility_violations(page) == []


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def fill_cell(page, row: str, column: str, numerator, denominator) -> None:
    """A cross-tab cell's inputs are named by their row, column and field."""
    box = page.get_by_role("textbox", name=f"{row} {column} Numerator", exact=True)
    box.fill(str(numerator))
    box = page.get_by_role("textbox", name=f"{row} {column} Denominator", exact=True)
    box.fill(str(denominator))


def test_partner_reports_on_the_web_form_and_the_backbone_approves(reporting, page):
    cast = reporting
    sign_in(page, cast.steward_a.email, PASSWORD)
    go(page, f"{BASE}/report/")
    assert page.get_by_role("heading", name="Reporting").is_visible()
    assert page.get_by_text("Not reported").first.is_visible()
    check(page, "reporting-overview")

    # The cross-tab web form: a mistake first.
    page.get_by_role("link", name="Web form: Kindergarten Readiness, School year 2024–25").click()
    page.wait_for_load_state("networkidle")
    check(page, "reporting-form")
    for r, race in enumerate(RACES):
        for c, income in enumerate(INCOMES):
            fill_cell(page, race, income, 10 + r + c, 20)
    fill_cell(page, "Black", "Low income", 25, 20)  # more ready than assessed
    page.get_by_role("textbox", name="Total, all groups Numerator").fill("69")
    page.get_by_role("textbox", name="Total, all groups Denominator").fill("120")
    page.get_by_label("The story behind the numbers").fill(
        "Two new pre-K classrooms opened in the north."
    )
    page.get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_load_state("networkidle")
    alert = page.get_by_role("alert")
    assert "Black × Low income — numerator: numerator 25 is larger than denominator 20" in (
        alert.inner_text()
    )
    assert not Submission.objects.exists()
    check(page, "reporting-form-problems")

    # Fixed, it goes through and lands on the submission page.
    fill_cell(page, "Black", "Low income", 10, 20)
    page.get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Submission from Riverton Public Library").is_visible()
    assert page.get_by_text("Submitted", exact=True).first.is_visible()
    assert page.get_by_text("Two new pre-K classrooms opened in the north.").is_visible()
    check(page, "reporting-submission-partner")

    # A monthly count as a draft, then submitted from its page.
    go(page, f"{BASE}/report/children-enrolled/2024-02/")
    page.get_by_role("textbox", name="Riverton › North district Value").fill("12")
    page.get_by_role("textbox", name="Riverton › South district Value").fill("8")
    page.get_by_role("textbox", name="Total Value").fill("20")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Saved as a draft").is_visible()
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_load_state("networkidle")
    assert Submission.objects.filter(status="submitted").count() == 2
    sign_out(page)

    # The backbone approves the readiness report from the queue.
    sign_in(page, cast.staff.email, PASSWORD)
    go(page, f"{BASE}/submissions/")
    assert page.get_by_text("2 reports wait for approval").is_visible()
    check(page, "reporting-submissions-staff")
    readiness = Submission.objects.filter(channel="web").order_by("created_at").first()
    go(page, f"{BASE}/submissions/{readiness.uuid}/")
    check(page, "reporting-submission-staff")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Approved.").is_visible()
    # The other one goes back with a comment.
    enrolled = Submission.objects.get(status="submitted")
    go(page, f"{BASE}/submissions/{enrolled.uuid}/")
    page.get_by_label("What needs fixing").fill("South district looks low; please check.")
    page.get_by_role("button", name="Return with comment").click()
    page.wait_for_load_state("networkidle")
    # The backbone reads a partner's reports and may correct them, with a reason.
    go(page, f"{BASE}/report/")
    check(page, "reporting-pick-partner")
    page.get_by_role("link", name="Riverton Public Library").click()
    page.get_by_role("link", name="Correct: Children Enrolled, Feb 2024").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Reason for the correction").is_visible()
    assert page.get_by_role("textbox", name="Total Value").input_value() == "20"
    check(page, "reporting-correction")
    page.get_by_role("textbox", name="Riverton › South district Value").fill("9")
    page.get_by_role("textbox", name="Total Value").fill("21")
    page.get_by_label("Reason for the correction").fill("Recount of the south district")
    page.get_by_role("button", name="Save the correction").click()
    page.wait_for_load_state("networkidle")
    history = page.get_by_role("group", name="Values of this submission").inner_text()
    assert "Sam Staff: 8 → 9 — “Recount of the south district”" in history
    assert page.get_by_role("link", name="previous submission").first.is_visible()
    check(page, "reporting-correction-history")
    sign_out(page)

    # The partner sees both outcomes on the overview.
    sign_in(page, cast.steward_a.email, PASSWORD)
    go(page, f"{BASE}/report/")
    assert page.get_by_text("Approved", exact=True).first.is_visible()
    # February went back with a comment, and the backbone's correction is now waiting.
    assert "Submitted" in page.get_by_role("group", name="Reports for Feb 2024").inner_text()
    check(page, "reporting-overview-after-review")

    # On a phone the cross-tab scrolls inside its frame; the page itself does not.
    page.set_viewport_size({"width": 390, "height": 844})
    go(page, f"{BASE}/report/kindergarten-readiness/SY2024-25/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.get_by_role("textbox", name="White Not low income Numerator", exact=True)
    assert box.input_value() == "13"
    box.focus()
    assert box.is_visible()
    check(page, "reporting-form-phone")


# --- the Excel template and the upload (the files pages) ---------------------------------


def _files_pages_exist() -> bool:
    try:
        reverse("measurement:template", args=["riverton"])
        reverse("measurement:upload", args=["riverton"])
    except NoReverseMatch:
        return False
    return True


def _header(sheet) -> tuple[int, dict[str, int]]:
    """The row of column headers (the one naming the indicator column) and its columns."""
    for row in sheet.iter_rows(min_row=1, max_row=30):
        names = {str(c.value).strip().lower(): c.column for c in row if c.value is not None}
        if "indicator" in names:
            return row[0].row, names
    raise AssertionError("The template has no header row naming the indicator column")


def _values_sheet(book):
    return next(
        s for s in book.worksheets if any(c.value == "indicator" for r in s.iter_rows() for c in r)
    )


def _fill(path: Path, out: Path, *, bad: bool) -> tuple[int, int]:
    """Fill every readiness row of the template: 10 of 20 ready in each cell, the total
    adding up. The bad version has a numerator above its denominator and a word in a
    number cell."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = _values_sheet(book)
    head, cols = _header(sheet)
    group_cols = [cols[k] for k in ("race", "income") if k in cols]
    data_rows = [
        r
        for r in range(head + 1, sheet.max_row + 1)
        if sheet.cell(r, cols["indicator"]).value == "kindergarten-readiness"
    ]
    cells = [r for r in data_rows if any(sheet.cell(r, c).value for c in group_cols)]
    totals = [r for r in data_rows if r not in cells]
    assert len(cells) == 6 and len(totals) == 1
    for r in cells:
        sheet.cell(r, cols["numerator"]).value = 10
        sheet.cell(r, cols["denominator"]).value = 20
    sheet.cell(totals[0], cols["numerator"]).value = 60
    sheet.cell(totals[0], cols["denominator"]).value = 120
    if bad:
        sheet.cell(cells[0], cols["numerator"]).value = 25
        sheet.cell(cells[1], cols["denominator"]).value = "twenty"
    book.save(out)
    return cells[0], cells[1]


def test_partner_uploads_the_excel_template_and_the_backbone_approves(reporting, page):
    if not _files_pages_exist():
        pytest.skip("the files pages (measurement:template, measurement:upload) are not there yet")
    cast = reporting
    sign_in(page, cast.steward_a.email, PASSWORD)
    go(page, f"{BASE}/report/")
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Excel template: Kindergarten Readiness, School year 2024–25"
        ).click()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    template = ARTIFACTS / "readiness-template.xlsx"
    download.value.save_as(template)

    bad, good = ARTIFACTS / "readiness-bad.xlsx", ARTIFACTS / "readiness.xlsx"
    first, second = _fill(template, bad, bad=True)  # the rows of the two mistakes
    _fill(template, good, bad=False)

    go(page, f"{BASE}/report/")
    page.get_by_role("link", name="Upload a file").click()
    page.wait_for_load_state("networkidle")
    check(page, "reporting-upload")
    page.get_by_label(re.compile(r"^File")).set_input_files(str(bad))
    page.get_by_role("button", name="Upload and submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").is_visible()
    problems = page.get_by_role("group", name="Problems in the file").inner_text()
    assert re.search(
        rf"readiness-bad\.xlsx\s+{first}\s+numerator\s+numerator 25 is larger than "
        r"denominator 20",
        problems,
    ), problems
    assert re.search(
        rf"readiness-bad\.xlsx\s+{second}\s+denominator\s+expected a number, found 'twenty'",
        problems,
    ), problems
    assert not DataValue.objects.exists()
    check(page, "reporting-upload-problems")

    page.get_by_label(re.compile(r"^File")).set_input_files(str(good))
    page.get_by_role("button", name="Upload as a draft").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Submission from Riverton Public Library").is_visible()
    submission = Submission.objects.get()
    assert submission.value_count == 7 and submission.file_name == "readiness.xlsx"
    assert submission.status == "draft"
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_load_state("networkidle")
    submission.refresh_from_db()
    assert submission.status == "submitted"
    check(page, "reporting-upload-submission")
    sign_out(page)

    sign_in(page, cast.staff.email, PASSWORD)
    go(page, f"{BASE}/submissions/")
    page.get_by_role("link", name=re.compile(r"\d+ \w+ \d{4}, \d\d:\d\d")).first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("readiness.xlsx").first.is_visible()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state("networkidle")
    sign_out(page)

    sign_in(page, cast.steward_a.email, PASSWORD)
    go(page, f"{BASE}/report/")
    assert page.get_by_text("Approved", exact=True).first.is_visible()
    check(page, "reporting-overview-approved-upload")
