"""Blanks with a reason in files: the `missing` column of CSV and Excel files (and the GSS
symbols of ONS tables in a value cell), the template that offers and pre-fills it, and the
exports that show the reason where a number would be."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from backbone.measurement.models import Cell, DataValue
from backbone.measurement.problems import IntakeRefused

from .conftest import BASE, ENROLLED, import_as_a, write_csv, write_xlsx

pytestmark = pytest.mark.integration

HEADER = ["indicator", "period", "place", "value", "missing"]


def reasons() -> dict[str, tuple]:
    """cell key → (value, missing) of org_a's children-enrolled values for January."""
    return {
        v.cell.key or "total": (v.value, v.missing)
        for v in DataValue.objects.filter(indicator__code="children-enrolled").select_related(
            "cell"
        )
    }


def keys(cast) -> dict[str, str]:
    """group key → the key of its cell."""
    return {
        c.groups.get().key: c.key
        for c in Cell.objects.filter(initiative=cast.initiative).exclude(key="")
    }


def test_csv_rows_blank_with_a_reason_are_written_as_such(cast, files, tmp_path):
    rows = [
        HEADER,
        ["children-enrolled", "2024-01", "north", "10", ""],
        ["children-enrolled", "2024-01", "south", "", "Suppressed at the source"],
        ["children-enrolled", "2024-01", "", "", "not_collected"],
        ["open-cases", "2024-01", "", "", ""],  # nothing at all: skipped, as before
    ]

    submission = import_as_a(cast, write_csv(tmp_path, "jan.csv", rows))

    cell = keys(cast)
    assert submission.value_count == 3
    assert reasons() == {
        cell["north"]: (10, ""),
        cell["south"]: (None, "suppressed"),
        "total": (None, "not_collected"),
    }


def test_excel_rows_blank_with_a_reason_are_written_as_such(cast, files, tmp_path):
    rows = [
        HEADER,
        ["children-enrolled", "2024-01", "north", None, "NOT APPLICABLE"],
        ["children-enrolled", "2024-01", "south", 20, None],
    ]

    import_as_a(cast, write_xlsx(tmp_path, "jan.xlsx", rows))

    cell = keys(cast)
    assert reasons() == {cell["north"]: (None, "not_applicable"), cell["south"]: (20, "")}


@pytest.mark.parametrize("write", [write_csv, write_xlsx])
def test_ons_symbols_in_a_value_cell_are_blanks_with_their_reason(cast, files, tmp_path, write):
    rows = [
        ["indicator", "period", "place", "value"],
        ["children-enrolled", "2024-01", "north", "[c]"],
        ["children-enrolled", "2024-01", "south", " [X] "],
        ["children-enrolled", "2024-01", "", "[z]"],
    ]

    import_as_a(cast, write(tmp_path, f"ons.{'csv' if write is write_csv else 'xlsx'}", rows))

    cell = keys(cast)
    assert reasons() == {
        cell["north"]: (None, "suppressed"),
        cell["south"]: (None, "not_collected"),
        "total": (None, "not_applicable"),
    }


def test_file_problems_with_reasons_name_row_and_column(cast, files, tmp_path):
    rows = [
        ["indicator", "period", "place", "value", "Why blank"],
        ["children-enrolled", "2024-01", "north", "10", "not collected"],
        ["children-enrolled", "2024-01", "south", "", "holiday"],
        ["children-enrolled", "2024-01", "", "[u]", ""],
    ]

    with pytest.raises(IntakeRefused) as exc:
        import_as_a(cast, write_csv(tmp_path, "bad.csv", rows))

    (problem,) = exc.value.problems
    assert problem.reason.startswith("unknown column “Why blank”: the columns are indicator")
    assert "denominator, n, missing," in problem.reason
    rows[0][4] = "missing"
    with pytest.raises(IntakeRefused) as exc:
        import_as_a(cast, write_csv(tmp_path, "bad.csv", rows))
    text = str(exc.value)
    assert "bad.csv, row 2, column 'missing': a value and a reason for its absence" in text
    assert "bad.csv, row 3, column 'missing': unknown reason for a blank 'holiday'" in text
    assert "bad.csv, row 4, column 'value': expected a number, found '[u]'" in text
    assert not DataValue.objects.exists()


TEMPLATE = f"{BASE}/files/template/"


def test_template_offers_the_column_and_prefills_current_reasons(cast, files, as_role, tmp_path):
    rows = [*ENROLLED[:2], ["children-enrolled", "2024-01", "south", ""]]
    rows = [[*r, m] for r, m in zip(rows, ["missing", "", "Not collected"], strict=True)]
    import_as_a(cast, write_csv(tmp_path, "jan.csv", rows))

    response = as_role("steward_a").get(
        TEMPLATE, {"period": "2024-01", "indicator": "children-enrolled", "format": "xlsx"}
    )

    header, *body = load_workbook(io.BytesIO(response.content))["values"].iter_rows(
        values_only=True
    )
    by_place = {r[2]: dict(zip(header, r, strict=True)) for r in body}
    assert header[:5] == ("indicator", "period", "place", "value", "missing")
    assert (by_place["north"]["value"], by_place["north"]["missing"]) == (10, None)
    assert (by_place["south"]["value"], by_place["south"]["missing"]) == (None, "Not collected")


def test_template_round_trip_keeps_a_reason_given_in_it(cast, files, as_role):
    client = as_role("steward_a")
    response = client.get(TEMPLATE, {"period": "2024-02", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == "open-cases":
            row[header.index("missing")] = "Suppressed at the source"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    upload = SimpleUploadedFile("filled.csv", buffer.getvalue().encode())
    response = client.post(f"{BASE}/files/upload/", {"file": upload, "action": "submit"})

    assert response.status_code == 302, response.content.decode()[:2000]
    value = DataValue.objects.get()
    assert (value.indicator.code, value.value, value.missing) == ("open-cases", None, "suppressed")


EXPORT = f"{BASE}/files/export/"


def csv_rows(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def changed(cast, files, tmp_path):
    """org_a's north: 10, then not collected, then (a correction) 12; south: suppressed."""
    first = [HEADER, ["children-enrolled", "2024-01", "north", "10", ""]]
    first.append(["children-enrolled", "2024-01", "south", "", "suppressed"])
    import_as_a(cast, write_csv(tmp_path, "1.csv", first))
    second = [HEADER, ["children-enrolled", "2024-01", "north", "", "not collected"]]
    import_as_a(cast, write_csv(tmp_path, "2.csv", second))
    third = [HEADER, ["children-enrolled", "2024-01", "north", "12", ""]]
    import_as_a(cast, write_csv(tmp_path, "3.csv", third), correction_reason="Register found")


def test_values_export_shows_the_reason_where_the_number_would_be(cast, changed, as_role):
    rows = csv_rows(as_role("steward_a").get(EXPORT, {"format": "csv"}))

    shown = {r["place"]: (r["value"], r["missing"]) for r in rows}
    assert shown == {"north": ("12", ""), "south": ("", "Suppressed at the source")}


def test_history_export_shows_old_and_new_reasons_apart_from_why(cast, changed, as_role):
    rows = csv_rows(as_role("staff").get(EXPORT, {"format": "csv", "history": "1"}))

    assert [
        (r["old value"], r["old missing"], r["new value"], r["new missing"], r["reason"])
        for r in rows
    ] == [
        ("10", "", "", "Not collected", ""),
        ("", "Not collected", "12", "", "Register found"),
    ]


def test_xlsx_export_gives_the_reason_as_text_and_the_number_as_a_number(cast, changed, as_role):
    response = as_role("staff").get(EXPORT, {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["values"]
    header, *body = ws.iter_rows(values_only=True)

    shown = {r[header.index("place")]: r for r in body}
    value, why = header.index("value"), header.index("missing")
    assert (shown["north"][value], shown["north"][why]) == (12, None)
    assert (shown["south"][value], shown["south"][why]) == (None, "Suppressed at the source")
