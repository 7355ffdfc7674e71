"""The bad-file corpus (tests/fixtures/bad_files/): each file is refused with the exact
problem — file, row, column and reason — and nothing is written, not even the good rows."""

from __future__ import annotations

import pytest
from django.test import override_settings

from backbone.measurement.files.reading import import_file
from backbone.measurement.models import Indicator
from backbone.measurement.problems import IntakeRefused

from .conftest import BAD_FILES, ENROLLED, counts, import_as_a, import_as_staff, write_csv

pytestmark = pytest.mark.integration

# file → (row, column, a part of the reason); the first problem of the file
CASES = {
    "utf16.csv": (None, None, "the file is UTF-16 text; save it as “CSV UTF-8”"),
    "random-bytes.csv": (None, None, "the file is not readable text"),
    "empty.csv": (None, None, "the file is empty"),
    "header-only.csv": (None, None, "no values: the file has no data rows"),
    "missing-columns.csv": (1, None, "missing column: period"),
    "extra-column.csv": (1, "comment", "unknown column “comment”: the columns are indicator"),
    "duplicate-column.csv": (1, "value", "the column “value” appears twice (columns C and D)"),
    "ragged-row.csv": (3, None, "this row has 5 fields but the header has 4: a comma too many"),
    "values.ods": (None, None, "only CSV (.csv) and Excel (.xlsx) files are read"),
    "old-excel.xls": (None, None, "old Excel files (.xls) are not read"),
    "text-in-number.csv": (2, "value", "expected a number, found 'ten'"),
    "date-in-period.csv": (2, "period", "'01/03/2024' is a date, not a period code"),
    "formula.csv": (2, "value", "formula cells are not accepted; paste values"),
    "duplicate-rows.csv": (3, None, "duplicate of row 2: same indicator, period and groups"),
    "unknown-group.csv": (2, "place", "unknown group 'east' of place"),
    "unknown-indicator.csv": (2, "indicator", "unknown indicator 'children-fed'"),
    "unknown-period.csv": (2, "period", "unknown period '2030-01'"),
    "closed-period.csv": (2, "period", "period 2021 is closed; only the backbone can correct it"),
    "numerator-over-denominator.csv": (
        2,
        "numerator",
        "numerator 31 is larger than denominator 30",
    ),
    "negative-count.csv": (2, "value", "-5 is below the minimum 0"),
    "total-disagrees.csv": (4, "value", "total value 35 disagrees with its parts"),
    "another-partner.csv": (2, "partner", "you may report only for your own organisation"),
    "percent-above-100.csv": (2, "value", "104.5 is above the maximum 100"),
    "weighted-without-n.csv": (2, "n", "n is missing"),
    "group-not-reported.csv": (2, "race", "indicator open-cases is not reported by race"),
    "really-a-csv.xlsx": (None, None, "not an Excel workbook (.xlsx): it holds text, probably CSV"),
    "really-an-xlsx.csv": (None, None, "the file is an Excel workbook (or another zip file)"),
    "zip-not-workbook.xlsx": (None, None, "cannot be read as an Excel workbook"),
    "merged-cells.xlsx": (2, None, "merged cells A2:A3 are not accepted: unmerge them"),
    "formula-cells.xlsx": (3, "value", "formula cells are not accepted; paste values"),
    "date-in-period.xlsx": (
        2,
        "period",
        "'2024-03-01' is a date, not a period code: for that month type 2024-03",
    ),
    "error-cell.xlsx": (2, "value", "expected a number, found '#DIV/0!'"),
    "value-without-header.xlsx": (2, "column F", "a value ('see note') in a column with no header"),
    "data-on-hidden-sheet.xlsx": (
        1,
        None,
        "the sheet “Notes” is empty: the values must be on the first sheet, or on a sheet "
        "named “values”, with the column names in row 1 (this workbook also has “Data” (hidden))",
    ),
}
# backbone imports of many partners' values
MANY = {
    "unknown-partner.csv": (2, "partner", "unknown partner 'riverton-zoo'"),
    "many-partners-no-partner-column.csv": (1, None, "missing column: partner"),
}


@pytest.fixture
def earlier(cast, files, tmp_path):
    """Values already there, so "nothing written" also means "nothing changed"."""
    rows = [ENROLLED[0]] + [[r[0], "2024-02", *r[2:]] for r in ENROLLED[1:]]
    import_as_a(cast, write_csv(tmp_path, "february.csv", rows))
    return counts()


def refused(call) -> list:
    with pytest.raises(IntakeRefused) as exc:
        call()
    return exc.value.problems


def test_corpus_is_large_enough():
    corpus = {p.name for p in BAD_FILES.iterdir() if p.suffix != ".py"}
    assert set(CASES) | set(MANY) | {"missing-required-cell.csv"} == corpus
    assert len(corpus) >= 25


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_with_its_problem_and_nothing_written(cast, earlier, name):
    row, column, reason = CASES[name]
    problems = refused(lambda: import_as_a(cast, BAD_FILES / name))
    first = problems[0]
    assert (first.file, first.row, first.column) == (name, row, column)
    assert reason in first.reason
    assert counts() == earlier


@pytest.mark.parametrize("name", sorted(MANY))
def test_bad_file_of_many_partners_is_refused_and_nothing_written(cast, earlier, name):
    row, column, reason = MANY[name]
    problems = refused(lambda: import_as_staff(cast, BAD_FILES / name))
    assert (problems[0].file, problems[0].row, problems[0].column) == (name, row, column)
    assert reason in problems[0].reason
    assert counts() == earlier


def test_missing_required_cell_is_refused(cast, earlier):
    Indicator.objects.filter(code="children-enrolled").update(all_cells_required=True)
    name = "missing-required-cell.csv"
    problems = refused(lambda: import_as_a(cast, BAD_FILES / name))
    assert [(p.file, p.row, p.reason) for p in problems] == [
        (name, 2, "children-enrolled: 1 of 2 combinations of groups given; every one is required")
    ]
    assert counts() == earlier


def test_closed_period_is_taken_as_a_correction_by_the_backbone(cast, earlier):
    submission = import_file(
        initiative=cast.initiative,
        by=cast.staff,
        partner=cast.partner_a,
        path=BAD_FILES / "closed-period.csv",
        correction_reason="Late report, agreed at the March meeting",
    )
    assert submission.channel == "correction"
    assert submission.review_comment == "Late report, agreed at the March meeting"


def test_file_over_the_size_limit_is_refused_before_reading(cast, earlier, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.write(b"indicator,period,value\n")
        f.truncate(50 * 1024 * 1024 + 1)  # 50 MB and a byte: the default limit
    problems = refused(lambda: import_as_a(cast, path))
    assert [(p.file, p.row, p.column) for p in problems] == [("huge.csv", None, None)]
    assert "the file is 50.0 MB; files up to 50.0 MB are read" in problems[0].reason
    assert counts() == earlier


@override_settings(BACKBONE_MAX_UPLOAD_MB=1)
def test_size_limit_follows_the_setting(cast, earlier, tmp_path):
    rows = [["indicator", "period", "value"]] + [["open-cases", "2024-01", "1"]] * 70_000
    path = write_csv(tmp_path, "big.csv", rows)
    assert path.stat().st_size > 1024 * 1024
    problems = refused(lambda: import_as_a(cast, path))
    assert "files up to 1.0 MB are read" in problems[0].reason
    assert counts() == earlier


def test_utf16_without_a_byte_order_mark_is_refused(cast, earlier, tmp_path):
    path = tmp_path / "no-bom.csv"
    path.write_bytes("indicator,period,value\nopen-cases,2024-01,3\n".encode("utf-16-le"))
    problems = refused(lambda: import_as_a(cast, path))
    assert "the file is not readable text" in problems[0].reason
    assert counts() == earlier


def test_every_problem_of_a_file_is_listed_in_row_order(cast, earlier, tmp_path):
    rows = [
        ["indicator", "period", "place", "value"],
        ["children-enrolled", "2024-01", "north", "=A1"],
        ["children-enrolled", "2024-01", "east", "3"],
        ["children-enrolled", "2024-13", "south", "4"],
        ["children-enrolled", "2024-01", "south", "lots"],
    ]
    problems = refused(lambda: import_as_a(cast, write_csv(tmp_path, "many.csv", rows)))
    assert [(p.row, p.column) for p in problems] == [
        (2, "value"),
        (3, "place"),
        (4, "period"),
        (5, "value"),
    ]
    assert counts() == earlier


def test_a_good_row_beside_a_bad_one_is_not_written(cast, earlier, tmp_path):
    rows = [
        ["indicator", "period", "value"],
        ["open-cases", "2024-01", "12"],
        ["open-cases", "2024-02", "twelve"],
    ]
    refused(lambda: import_as_a(cast, write_csv(tmp_path, "half.csv", rows)))
    assert counts() == earlier
