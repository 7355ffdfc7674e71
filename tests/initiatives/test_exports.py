import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

import backbone
from backbone.spreadsheets import SafeWriter, safe_cell, xlsx_row

pytestmark = pytest.mark.integration


def test_partner_export_lists_every_partner(cast, as_role):
    response = as_role("evaluator").get("/i/riverton/partners.csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert response["Content-Type"].startswith("text/csv")
    assert [r["organisation"] for r in rows] == ["Northside Food Bank", "Riverton Public Library"]
    assert rows[1]["sector"] == "Education"
    assert rows[1]["joined_on"] == "2024-01-01"


def test_partner_export_neutralises_formulas(cast, as_role):
    cast.partner_a.commitment = '=HYPERLINK("http://evil.example","click")'
    cast.partner_a.save()
    text = as_role("staff").get("/i/riverton/partners.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[1]["commitment"].startswith("'=HYPERLINK")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("value", "out"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-3+1", "'-3+1"),
        ("-2-cmd|' /C calc'!A0", "'-2-cmd|' /C calc'!A0"),
        ("-1e5", "'-1e5"),
        ("- 3", "'- 3"),
        ("-3\n", "'-3\n"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Library", "Library"),
        (None, ""),
        # numbers, and text that is wholly a plain number, are numbers to a spreadsheet
        ("-3", "-3"),
        ("-12.5", "-12.5"),
        (-3, -3),
        (Decimal("-1.5"), Decimal("-1.5")),
        (-0.25, -0.25),
    ],
)
def test_safe_cell(value, out):
    assert safe_cell(value) == out


@pytest.mark.unit
def test_safe_writer_neutralises_the_header_and_every_row():
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["=key", "name"])
    writer.writerows([["@SUM(1)", -3], ["\tx", "Library"], ["-1.5", Decimal("-0.5")]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["'=key", "name"],
        ["'@SUM(1)", "-3"],
        ["'\tx", "Library"],
        ["-1.5", "-0.5"],
    ]


@pytest.mark.unit
def test_xlsx_row_keeps_text_that_looks_like_a_formula_as_text():
    from openpyxl import Workbook

    ws = Workbook(write_only=True).create_sheet()
    cells = xlsx_row(ws, ["=1+1", "\t=1", "Library", "-1.5", -3, "", Decimal("-2.5")])
    assert [(c.data_type, bool(c.quotePrefix)) for c in cells[:4]] == [
        ("s", True),
        ("s", True),
        ("s", False),
        ("s", False),  # text stays text, but is no formula
    ]
    assert (cells[4].value, cells[4].data_type, cells[5].value) == (-3, "n", None)
    assert (cells[6].value, cells[6].data_type) == (Decimal("-2.5"), "n")


WRITERS = re.compile(r"\bcsv\.(writer|DictWriter)\(|\bWriteOnlyCell\(")


@pytest.mark.unit
def test_no_export_writes_cells_around_the_guard():
    """CSV and write-only Excel cells are made in backbone/spreadsheets.py only, so that no
    export can forget to neutralise formulas."""
    root = Path(backbone.__file__).parent
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "spreadsheets.py" and WRITERS.search(path.read_text())
    ]
    assert found == []
