"""The reporting template: its rows and columns, and the round trip — download, fill in,
upload — in Excel and in CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from backbone.measurement.files.reading import IGNORED_COLUMNS
from backbone.measurement.models import DataValue

from .conftest import BASE, ORG_A, ORG_B, counts, csv_bytes, import_as_a, write_csv

pytestmark = pytest.mark.integration

URL = f"{BASE}/files/template/"


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_template_has_a_row_per_combination_of_groups_and_the_total(cast, files, as_role):
    wb = workbook(as_role("steward_a").get(URL, {"period": "SY2024-25", "format": "xlsx"}))
    assert wb.sheetnames == ["values", "groups", "indicators"]
    rows = sheet_rows(wb["values"])
    assert rows[0] == [
        "indicator",
        "period",
        "race",
        "income",
        "value",
        "numerator",
        "denominator",
        "n",
        "missing",
        *IGNORED_COLUMNS,
    ]
    readiness = [r for r in rows[1:] if r[0] == "kindergarten-readiness"]
    assert [(r[2], r[3], r[9]) for r in readiness] == [
        (None, None, "Total"),
        ("black", "low", "Black × Low income"),
        ("black", "other", "Black × Not low income"),
        ("latino", "low", "Latino × Low income"),
        ("latino", "other", "Latino × Not low income"),
        ("white", "low", "White × Low income"),
        ("white", "other", "White × Not low income"),
    ]
    score = [r for r in rows[1:] if r[0] == "reading-score"]
    assert len(score) == 1 and score[0][1] == "SY2024-25"
    assert "value and n" in score[0][-1] and "numerator and denominator" in readiness[0][-1]
    # only the school-year indicators: monthly ones belong to monthly periods
    assert {r[0] for r in rows[1:]} == {"kindergarten-readiness", "reading-score"}


def test_places_are_reported_at_their_finest_level(cast, files, as_role):
    wb = workbook(as_role("steward_a").get(URL, {"period": "2024-01", "format": "xlsx"}))
    rows = sheet_rows(wb["values"])
    enrolled = [r for r in rows[1:] if r[0] == "children-enrolled"]
    assert [r[2] for r in enrolled] == [None, "north", "south"]  # never "city"
    assert {r[0] for r in rows[1:]} == {"children-enrolled", "open-cases", "share-attending"}


def test_template_is_styled_frozen_and_validated(cast, files, as_role):
    wb = workbook(as_role("steward_a").get(URL, {"period": "2024-01", "format": "xlsx"}))
    ws = wb["values"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("1F4E79")
    assert ws.column_dimensions["A"].width == 28
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert [str(dv.sqref) for dv in lists] == ["C2:C6", "E2:E6"]
    assert lists[0].formula1 == "groups!$B$2:$B$3"
    # the column "missing": why a value is blank
    assert lists[1].formula1 == '"Not collected,Suppressed at the source,Not applicable"'
    assert sheet_rows(wb["groups"])[1:] == [
        ["place", "north", "North district"],
        ["place", "south", "South district"],
    ]
    assert all(c.data_type != "f" for s in wb for row in s.iter_rows() for c in row)


def test_template_is_prefilled_with_current_values_and_last_periods_beside(
    cast, files, as_role, tmp_path
):
    rows = [
        ["indicator", "period", "place", "value"],
        ["children-enrolled", "2024-01", "north", "10"],
        ["children-enrolled", "2024-02", "north", "12"],
    ]
    import_as_a(cast, write_csv(tmp_path, "jan-feb.csv", rows))
    wb = workbook(
        as_role("steward_a").get(
            URL, {"period": "2024-02", "indicator": "children-enrolled", "format": "xlsx"}
        )
    )
    header, *body = sheet_rows(wb["values"])
    north = dict(zip(header, body[1], strict=True))
    assert (north["place"], north["value"], north["last value"]) == ("north", 12, "10")
    assert "last value is for 2024-01" in north["notes"]
    south = dict(zip(header, body[2], strict=True))
    assert south["value"] is None and south["last value"] is None


def test_template_keeps_a_negative_value_a_number_that_uploads_again(
    cast, files, as_role, tmp_path
):
    rows = [["indicator", "period", "value", "n"], ["reading-score", "SY2024-25", "-12.5", "10"]]
    import_as_a(cast, write_csv(tmp_path, "score.csv", rows))
    client = as_role("steward_a")
    query = {"period": "SY2024-25", "indicator": "reading-score"}

    text = client.get(URL, {**query, "format": "csv"}).content.decode("utf-8-sig")
    header, line = list(csv.reader(io.StringIO(text)))
    book = workbook(client.get(URL, {**query, "format": "xlsx"}))

    assert line[header.index("value")] == "-12.5"  # not '-12.5, which is text
    assert sheet_rows(book["values"])[1][header.index("value")] == -12.5
    assert _upload(client, "again.csv", text.encode()).status_code == 302
    assert DataValue.objects.get(indicator__code="reading-score").value == Decimal("-12.5")


def test_template_of_named_indicators_only(cast, files, as_role):
    response = as_role("steward_a").get(
        URL, {"period": "2024-01", "indicator": ["open-cases"], "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["indicator", "period", "value", "missing", *IGNORED_COLUMNS]
    assert [r[:2] for r in rows[1:]] == [["open-cases", "2024-01"]]
    assert response["Content-Disposition"] == (
        'attachment; filename="riverton-riverton-public-library-2024-01.csv"'
    )


@pytest.mark.parametrize(
    "query",
    [{"period": "2031-01"}, {"period": "2024-01", "indicator": "no-such"}],
)
def test_template_of_unknown_period_or_indicator_is_not_found(cast, files, as_role, query):
    assert as_role("steward_a").get(URL, query).status_code == 404


def test_template_in_an_unknown_format_is_refused(cast, files, as_role):
    assert as_role("steward_a").get(URL, {"format": "ods"}).status_code == 400


def test_template_without_a_period_covers_every_open_period(cast, files, as_role):
    wb = workbook(as_role("steward_a").get(URL))
    periods = {r[1] for r in sheet_rows(wb["values"])[1:]}
    assert periods == {"SY2022-23", "SY2023-24", "SY2024-25", "2024-01", "2024-02", "2024-03"}


def _upload(client, name: str, content: bytes, **data):
    file = SimpleUploadedFile(name, content)
    return client.post(f"{BASE}/files/upload/", {"file": file, "action": "submit", **data})


def test_xlsx_round_trip_download_fill_upload(cast, files, as_role):
    client = as_role("steward_a")
    wb = workbook(client.get(URL, {"period": "SY2024-25", "format": "xlsx"}))
    ws = wb["values"]
    header = [c.value for c in ws[1]]
    col = {name: i + 1 for i, name in enumerate(header)}
    numbers = {
        "Total": (67, 136),
        "Black × Low income": (30, 60),
        "Black × Not low income": (20, 40),
        "Latino × Low income": (10, 20),
        "Latino × Not low income": (5, 10),
        "White × Low income": (1, 2),
        "White × Not low income": (1, 4),
    }
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == "kindergarten-readiness":
            num, den = numbers[ws.cell(r, col["groups"]).value]
            ws.cell(r, col["numerator"]).value = num
            ws.cell(r, col["denominator"]).value = den
        else:
            ws.cell(r, col["value"]).value = 251.5
            ws.cell(r, col["n"]).value = 40
    buffer = io.BytesIO()
    wb.save(buffer)
    response = _upload(client, "filled.xlsx", buffer.getvalue())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DataValue.objects.filter(partner=cast.partner_a).count() == 8
    total = DataValue.objects.get(indicator__code="kindergarten-readiness", cell__key="")
    assert (total.numerator, total.denominator) == (67, 136)
    assert DataValue.objects.get(indicator__code="reading-score").weight == 40


def test_csv_round_trip_download_fill_upload(cast, files, as_role):
    client = as_role("steward_a")
    response = client.get(URL, {"period": "2024-01", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    filled = {("children-enrolled", ""): "30", ("children-enrolled", "north"): "10"}
    filled |= {("children-enrolled", "south"): "20", ("open-cases", ""): "7"}
    for row in rows[1:]:
        row[header.index("value")] = filled.get((row[0], row[header.index("place")]), "")
    response = _upload(client, "filled.csv", csv_bytes(rows))
    assert response.status_code == 302
    assert DataValue.objects.filter(partner=cast.partner_a).count() == 4


def test_a_column_that_is_not_the_templates_is_refused_even_beside_them(cast, files, as_role):
    before = counts()
    rows = [
        ["indicator", "period", "value", "notes", "comment"],
        ["open-cases", "2024-01", "4", "fine", "also fine?"],
    ]
    response = _upload(as_role("steward_a"), "extra.csv", csv_bytes(rows))
    assert "unknown column “comment”" in response.content.decode()
    assert counts() == before


def test_staff_template_for_a_named_partner(cast, files, as_role):
    response = as_role("staff").get(URL, {"period": "2021", "partner": ORG_A, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[:2] for r in rows[1:]] == [["families-served", "2021"]]


def test_a_steward_of_two_partners_names_the_one_of_the_template(cast, files, as_role):
    from backbone.initiatives import services
    from backbone.initiatives.roles import Role

    services.membership_grant(
        initiative=cast.initiative,
        person=cast.steward_a,
        role=Role.PARTNER_STEWARD,
        organisation=cast.org_b,
    )
    client = as_role("steward_a")
    assert client.get(URL, {"period": "2024-01"}).status_code == 400
    response = client.get(URL, {"period": "2024-01", "partner": ORG_B, "format": "csv"})
    assert response.status_code == 200
    assert f"riverton-{ORG_B}-2024-01.csv" in response["Content-Disposition"]
    page = client.get(f"{BASE}/files/upload/", {"partner": ORG_B}).content.decode()
    assert f'<option value="{ORG_B}" selected>' in page
