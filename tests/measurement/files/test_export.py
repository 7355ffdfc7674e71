"""Exports: which values each reader gets, what each row says, the history of each value, and
text that a spreadsheet could run as a formula arriving as plain text."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from backbone.initiatives.models import Organisation
from backbone.measurement.files.reading import import_file
from backbone.measurement.models import Group

from .conftest import BASE, ENROLLED, ORG_A, ORG_B, import_as_a, write_csv

pytestmark = pytest.mark.integration

URL = f"{BASE}/files/export/"


@pytest.fixture
def reported(cast, files, tmp_path):
    """org_a: enrolled for January (then corrected by the backbone) and a rate; org_b: open
    cases for January."""
    import_as_a(cast, write_csv(tmp_path, "jan.csv", ENROLLED))
    rate = [
        ["indicator", "period", "race", "income", "numerator", "denominator"],
        ["kindergarten-readiness", "SY2024-25", "black", "low", "30", "60"],
    ]
    import_as_a(cast, write_csv(tmp_path, "rate.csv", rate))
    fixed = [ENROLLED[0], ENROLLED[1], ["children-enrolled", "2024-01", "south", "22"]]
    fixed.append(["children-enrolled", "2024-01", "", "32"])
    import_file(
        initiative=cast.initiative,
        by=cast.staff,
        partner=cast.partner_a,
        path=write_csv(tmp_path, "fix.csv", fixed),
        correction_reason="South recounted",
    )
    b = [["indicator", "period", "value"], ["open-cases", "2024-01", "-0"]]
    import_file(
        initiative=cast.initiative,
        by=cast.steward_b,
        partner=cast.partner_b,
        path=write_csv(tmp_path, "b.csv", b),
    )


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_backbone_exports_every_partners_values(cast, reported, as_role):
    rows = csv_rows(as_role("staff").get(URL, {"format": "csv"}))
    assert {r["partner"] for r in rows} == {ORG_A, ORG_B}
    assert len(rows) == 5
    south = next(r for r in rows if r["place"] == "south")
    assert south == {
        "indicator": "children-enrolled",
        "indicator name": "Children Enrolled",
        "period": "2024-01",
        "partner": ORG_A,
        "partner name": "Riverton Public Library",
        "income": "",
        "place": "south",
        "race": "",
        "groups": "South district",
        "value": "22",
        "numerator": "",
        "denominator": "",
        "n": "",
        "missing": "",
        "status": "submitted",
        "submitted at": south["submitted at"],
        "updated at": south["updated at"],
        "series from": "",
        "series break": "",
    }
    assert south["submitted at"].startswith("20")
    rate = next(r for r in rows if r["indicator"] == "kindergarten-readiness")
    assert (rate["race"], rate["income"], rate["groups"]) == ("black", "low", "Low income × Black")
    assert (rate["value"], rate["numerator"], rate["denominator"]) == ("50", "30", "60")


@pytest.mark.parametrize("role", ["steward_a", "member_a"])
def test_partner_people_export_their_own_organisations_values_only(cast, reported, as_role, role):
    rows = csv_rows(as_role(role).get(URL, {"format": "csv"}))
    assert {r["partner"] for r in rows} == {ORG_A} and len(rows) == 4


def test_another_partners_values_are_not_found(cast, reported, as_role):
    assert as_role("steward_a").get(URL, {"format": "csv", "partner": ORG_B}).status_code == 404


def test_filters_by_indicator_period_status_and_partner(cast, reported, as_role):
    client = as_role("evaluator")
    only_rate = csv_rows(client.get(URL, {"format": "csv", "indicator": "kindergarten-readiness"}))
    assert [r["period"] for r in only_rate] == ["SY2024-25"]
    january = csv_rows(client.get(URL, {"format": "csv", "period": "2024-01", "partner": ORG_B}))
    assert [(r["indicator"], r["value"]) for r in january] == [("open-cases", "0")]
    assert csv_rows(client.get(URL, {"format": "csv", "status": "approved"})) == []


def test_csv_history_gives_who_when_old_new_and_why(cast, reported, as_role):
    rows = csv_rows(as_role("staff").get(URL, {"format": "csv", "history": "1"}))
    assert [(r["groups"], r["old value"], r["new value"], r["reason"]) for r in rows] == [
        ("South district", "20", "22", "South recounted"),
        ("Total", "30", "32", "South recounted"),
    ]
    assert rows[0]["changed by"] == "Sam Staff" and rows[0]["changed at"].startswith("20")


def test_xlsx_has_values_and_history_sheets(cast, reported, as_role):
    response = as_role("staff").get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="riverton-values-all-')
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["values", "history"]
    values = list(wb["values"].iter_rows(values_only=True))
    assert len(values) == 6 and values[0][0] == "indicator"
    south = next(r for r in values if r[6] == "south")
    assert south[9] == 22  # a number, not text
    history = list(wb["history"].iter_rows(values_only=True))
    assert [h[-1] for h in history[1:]] == ["South recounted", "South recounted"]


def test_negative_values_are_exported_as_numbers(cast, reported, as_role, tmp_path):
    rows = [["indicator", "period", "value", "n"], ["reading-score", "SY2024-25", "-3.25", "4"]]
    import_as_a(cast, write_csv(tmp_path, "score.csv", rows))
    client = as_role("staff")
    query = {"indicator": "reading-score"}

    found = csv_rows(client.get(URL, {**query, "format": "csv"}))
    response = client.get(URL, {**query, "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *values = book["values"].iter_rows(values_only=True)

    assert [r["value"] for r in found] == ["-3.25"]
    assert [dict(zip(header, v, strict=True))["value"] for v in values] == [-3.25]


HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def hostile(cast, reported):
    """Names a partner's people chose, that a spreadsheet would run."""
    Organisation.objects.filter(pk=cast.org_a.pk).update(name=HOSTILE[0])
    Organisation.objects.filter(pk=cast.org_b.pk).update(name=HOSTILE[1])
    Group.objects.filter(key="north").update(name=HOSTILE[2])
    Group.objects.filter(key="south").update(name=HOSTILE[3])


def test_csv_export_neutralises_formulas(cast, hostile, as_role):
    rows = csv_rows(as_role("staff").get(URL, {"format": "csv"}))
    texts = {r["partner name"] for r in rows} | {r["groups"] for r in rows}
    assert {"'" + h for h in HOSTILE} <= texts
    starts = ("=", "+", "-", "@")
    assert not [v for r in rows for v in r.values() if v.startswith(starts)]


def test_xlsx_export_has_no_formula_cell(cast, hostile, as_role):
    response = as_role("staff").get(URL, {"format": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    hostile_cells = [c for c in cells if c.value in HOSTILE]
    assert {c.value for c in hostile_cells} == set(HOSTILE)
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile_cells)


def test_export_page_offers_formats_and_filters(cast, reported, as_role):
    html = as_role("steward_a").get(URL).content.decode()
    assert 'name="format"' in html and 'name="indicator"' in html
    assert 'name="partner"' not in html  # one organisation: nothing to choose
    html = as_role("evaluator").get(URL).content.decode()
    assert 'name="partner"' in html and "Every partner" in html


def test_export_with_an_unknown_indicator_shows_the_form_again(cast, reported, as_role):
    response = as_role("staff").get(URL, {"format": "csv", "indicator": "no-such"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_export_makes_as_many_queries_for_few_values_as_for_many(cast, files, as_role, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_role("staff")

    def exported() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = csv_rows(client.get(URL, {"format": "csv"}))
        return len(rows), len(queries)

    import_as_a(cast, write_csv(tmp_path, "jan.csv", ENROLLED))
    few = exported()
    more = [ENROLLED[0]] + [[r[0], p, *r[2:]] for p in ("2024-02", "2024-03") for r in ENROLLED[1:]]
    import_as_a(cast, write_csv(tmp_path, "more.csv", more))
    many = exported()
    assert (few[0], many[0]) == (3, 9)
    assert few[1] == many[1]
