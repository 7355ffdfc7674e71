"""The 4W view, its filters and exports, and the alignment page, with their query counts."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from .conftest import make_activity

pytestmark = pytest.mark.integration

BASE = "/i/riverton/activities/"


@pytest.fixture
def four(cast, plan):
    a, b = cast.partner_a, cast.partner_b
    return {
        "tutoring": make_activity(
            a, "Tutoring", strategies=[plan.reading], places=[plan.millbrook], groups=[plan.black]
        ),
        "summer": make_activity(
            a,
            "=Summer reading",
            strategies=[plan.summer],
            places=[plan.southside],
            starts_on=date(2023, 6, 1),
            ends_on=date(2023, 8, 31),
            status="done",
        ),
        "attendance": make_activity(
            b, "Attendance mentors", strategies=[plan.attendance], places=[plan.northside]
        ),
        "pantry": make_activity(
            b, "School pantry", strategies=[plan.reading], places=[plan.cedar], status="paused"
        ),
    }


def names(response) -> set[str]:
    return {a.name for a in response.context["activities"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Tutoring", "=Summer reading", "Attendance mentors", "School pantry"}),
        ("strategy={reading}", {"Tutoring", "School pantry"}),
        ("partner=northside-food-bank", {"Attendance mentors", "School pantry"}),
        ("sector=education", {"Tutoring", "=Summer reading"}),
        ("place={northside}", {"Tutoring", "Attendance mentors", "School pantry"}),
        ("place={millbrook}", {"Tutoring"}),
        ("status=active", {"Tutoring", "Attendance mentors"}),
        ("start=2023-08-31&end=2023-12-31", {"=Summer reading"}),
        ("start=2023-09-01&end=2023-12-31", set()),
    ],
)
def test_four_w_filters_rows(as_role, plan, four, query, expected):
    query = query.format(
        reading=plan.reading.uuid, northside=plan.northside.uuid, millbrook=plan.millbrook.uuid
    )
    response = as_role("funder").get(f"{BASE}?{query}")
    assert response.status_code == 200
    assert names(response) == expected


def test_four_w_shows_who_what_where_when(as_role, four):
    html = as_role("community").get(BASE).content.decode()
    for text in ("Riverton Public Library", "Education", "Tutoring", "Millbrook", "Black"):
        assert text in html
    assert '<th scope="col">Who</th>' in html


def test_four_w_csv_exports_filtered_rows(as_role, plan, four):
    response = as_role("evaluator").get(f"{BASE}export.csv?partner=riverton-public-library")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("partner,sector,what,strategies,where")
    assert len(lines) == 3
    assert "'=Summer reading" in response.content.decode()  # a formula is neutralised


def test_four_w_xlsx_exports_filtered_rows_as_text(as_role, plan, four):
    response = as_role("staff").get(f"{BASE}export.xlsx?status=done")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("partner", "sector", "what")
    assert rows[1][2] == "=Summer reading"
    assert sheet["C2"].data_type == "s"
    assert len(rows) == 2


def test_alignment_page_lists_gaps_and_overlaps(as_role, cast, plan, four):
    make_activity(
        cast.partner_b,
        "Reading circle",
        strategies=[plan.reading],
        places=[plan.northside],
        groups=[plan.black],
    )
    response = as_role("staff").get(BASE + "alignment/")
    found = response.context["found"]
    assert [s.title for s in found.strategy_gaps] == ["Keep children reading in summer"]
    assert [p.name for p in found.place_gaps] == ["Southside"]
    assert [(a.name, b.name) for a, b, _, _ in found.overlaps] == [("Reading circle", "Tutoring")]
    html = response.content.decode()
    assert "Keep children reading in summer" in html and "Reading circle" in html


def grow(cast, plan, n):
    for k in range(n):
        make_activity(
            cast.partner_a if k % 2 else cast.partner_b,
            f"Extra {k}",
            strategies=[plan.reading, plan.summer],
            places=[plan.millbrook, plan.southside],
            groups=[plan.latino],
        )


@pytest.mark.parametrize("url", ["", "alignment/", "export.csv", "export.xlsx"])
def test_activity_lists_query_count_constant(as_role, cast, plan, url):
    client = as_role("staff")
    grow(cast, plan, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(BASE + url).status_code == 200
    grow(cast, plan, 6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(BASE + url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
