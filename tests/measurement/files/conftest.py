"""Files of values: the shared set-up given reporting frequencies and one more indicator (a
plain percentage), and helpers that write files the way partners' spreadsheets do."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from backbone.measurement.files.reading import import_file
from backbone.measurement.models import DataValue, Period, Submission, ValueChange
from tests.measurement.conftest import make_indicator

BASE = "/i/riverton/measurement"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BAD_FILES = FIXTURES / "bad_files"
ORG_A = "riverton-public-library"
ORG_B = "northside-food-bank"


@pytest.fixture
def files(cast, measured):
    """readiness and score by school year; enrolled, caseload and share-attending by month;
    served yearly (only the closed 2021 exists)."""
    for indicator, frequency in [
        (measured.readiness, "school_year"),
        (measured.score, "school_year"),
        (measured.enrolled, "month"),
        (measured.caseload, "month"),
        (measured.served, "year"),
    ]:
        indicator.frequency = frequency
        indicator.save()
    make_indicator(cast.initiative, "share-attending", "stock", unit="percent", frequency="month")
    return measured


def counts() -> tuple[int, int, int]:
    return DataValue.objects.count(), Submission.objects.count(), ValueChange.objects.count()


def csv_bytes(rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv(folder: Path, name: str, rows: list[list], **kw) -> Path:
    path = folder / name
    path.write_bytes(csv_bytes(rows, **kw))
    return path


def write_xlsx(folder: Path, name: str, rows: list[list], sheet: str = "values") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path = folder / name
    wb.save(path)
    return path


def import_as_a(cast, path: Path, **kw):
    """A file of org_a's, sent by its steward."""
    kw.setdefault("partner", cast.partner_a)
    return import_file(initiative=cast.initiative, by=cast.steward_a, path=path, **kw)


def import_as_staff(cast, path: Path, **kw):
    """A backbone import of many partners' values."""
    return import_file(
        initiative=cast.initiative, by=cast.staff, many_partners=True, path=path, **kw
    )


ENROLLED = [
    ["indicator", "period", "place", "value"],
    ["children-enrolled", "2024-01", "north", "10"],
    ["children-enrolled", "2024-01", "south", "20"],
    ["children-enrolled", "2024-01", "", "30"],
]


def stored(indicator_code: str, period: str = "2024-01") -> dict[str, str]:
    """cell key → value as text, of org_a's values."""
    return {
        v.cell.key: format(v.value.normalize(), "f")
        for v in DataValue.objects.filter(
            indicator__code=indicator_code, period__code=period
        ).select_related("cell")
    }


def open_period(cast, code: str) -> Period:
    return Period.objects.get(initiative=cast.initiative, code=code)
