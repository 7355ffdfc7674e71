import csv
import io

import pytest

from backbone.spreadsheets import safe_cell

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
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Library", "Library"),
        (None, ""),
        (-3, -3),
    ],
)
def test_safe_cell(value, out):
    assert safe_cell(value) == out
