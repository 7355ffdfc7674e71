"""Files that must be read: the encodings and separators spreadsheets write, Excel workbooks,
a real file as a partner would turn it into an upload, and the columns a reader matches."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils.text import slugify

from backbone.measurement.files.reading import CsvReader, Problems, column_letter, import_file
from backbone.measurement.models import DataValue, Submission
from backbone.measurement.problems import IntakeRefused
from tests.measurement.conftest import make_dimension, make_indicator, make_period

from .conftest import (
    ENROLLED,
    FIXTURES,
    ORG_A,
    ORG_B,
    counts,
    import_as_a,
    import_as_staff,
    stored,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.integration

ENROLLED_STORED = {"": "30", "north": "10", "south": "20"}


def by_place(measured, values: dict[str, str]) -> dict[str, str]:
    keys = {str(g.pk): g.key for g in measured.place.groups.all()}
    return {keys.get(k, k): v for k, v in values.items()}


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("utf-8", "\t")],
)
def test_csv_is_read_in_the_encodings_and_separators_spreadsheets_write(
    cast, files, tmp_path, encoding, delimiter
):
    path = write_csv(tmp_path, "enrolled.csv", ENROLLED, encoding=encoding, delimiter=delimiter)
    submission = import_as_a(cast, path)
    assert submission.channel == "csv" and submission.file_name == "enrolled.csv"
    assert by_place(files, stored("children-enrolled")) == ENROLLED_STORED


def test_windows_1252_accents_reach_the_intake_intact(cast, files, tmp_path):
    school = make_dimension(
        cast.initiative, "school", "School", [("école-thérèse", "École Sainte-Thérèse")]
    )
    make_indicator(cast.initiative, "pupils", "sum", (school,), unit="count")
    rows = [
        ["indicator", "period", "school", "value", "notes"],
        ["pupils", "2024-01", "école-thérèse", "41", "Année scolaire, données de l’école"],
    ]
    path = write_csv(tmp_path, "élèves.csv", rows, encoding="cp1252", delimiter=";")
    import_as_a(cast, path)
    value = DataValue.objects.select_related("cell").get(indicator__code="pupils")
    assert [g.name for g in value.cell.groups.all()] == ["École Sainte-Thérèse"]
    assert value.value == 41


def test_csv_reader_yields_spreadsheet_row_numbers_and_the_files_own_columns():
    content = (
        'Indicator;PERIOD;value\r\nopen-cases;2024-01;"1\r\n2"\r\n\r\nopen-cases;2024-02;5\r\n'
    )
    reader = CsvReader(io.BytesIO(content.encode("cp1252")), problems=Problems("x.csv"))
    assert reader.header == ["Indicator", "PERIOD", "value"]
    rows = list(reader)
    assert rows[0] == (2, {"Indicator": "open-cases", "PERIOD": "2024-01", "value": "1\r\n2"})
    assert rows[-1] == (4, {"Indicator": "open-cases", "PERIOD": "2024-02", "value": "5"})


def test_column_names_match_without_case_or_spaces_and_messages_use_the_files_own(
    cast, files, tmp_path
):
    rows = [
        [" Indicator ", "PERIOD", "Place", "Value "],
        ["children-enrolled", "2024-01", "north", "ten"],
    ]
    with pytest.raises(IntakeRefused) as exc:
        import_as_a(cast, write_csv(tmp_path, "caps.csv", rows))
    problem = exc.value.problems[0]
    assert (problem.row, problem.column) == (2, "Value")


def test_blank_rows_and_rows_without_any_value_are_skipped(cast, files, tmp_path):
    rows = [
        ENROLLED[0],
        ENROLLED[1],
        ["", "", "", ""],
        ["children-enrolled", "2024-01", "south", ""],
        ["children-enrolled", "2024-01", "", "10"],
    ]
    submission = import_as_a(cast, write_csv(tmp_path, "sparse.csv", rows))
    assert submission.value_count == 2


def test_a_partner_file_may_name_its_own_partner(cast, files, tmp_path):
    rows = [["indicator", "period", "value", "partner"], ["open-cases", "2024-01", "4", ORG_A]]
    import_as_a(cast, write_csv(tmp_path, "own.csv", rows))
    assert DataValue.objects.get().partner == cast.partner_a


def test_backbone_imports_many_partners_values_from_one_file(cast, files, tmp_path):
    rows = [
        ["partner", "indicator", "period", "value"],
        [ORG_A, "open-cases", "2024-01", "4"],
        [ORG_B, "open-cases", "2024-01", "7"],
    ]
    import_as_staff(cast, write_csv(tmp_path, "all.csv", rows))
    assert dict(DataValue.objects.values_list("partner__organisation__slug", "value")) == {
        ORG_A: Decimal(4),
        ORG_B: Decimal(7),
    }


def test_rates_and_weighted_averages_take_their_own_columns(cast, files, tmp_path):
    rows = [
        ["indicator", "period", "race", "income", "numerator", "denominator", "value", "n"],
        ["kindergarten-readiness", "SY2024-25", "black", "low", "30", "60", "", ""],
        ["reading-score", "SY2024-25", "", "", "", "", "245.5", "40"],
    ]
    import_as_a(cast, write_csv(tmp_path, "mixed.csv", rows))
    rate = DataValue.objects.get(indicator__code="kindergarten-readiness")
    score = DataValue.objects.get(indicator__code="reading-score")
    assert (rate.numerator, rate.denominator, rate.value) == (30, 60, 50)
    assert (score.value, score.weight) == (Decimal("245.5"), 40)


def test_xlsx_is_read_from_the_first_sheet_with_numbers_as_numbers(cast, files, tmp_path):
    rows = [
        ["indicator", "period", "place", "value"],
        ["children-enrolled", "2024-01", "north", 10],
        ["children-enrolled", "2024-01", "south", 20.0],
        ["children-enrolled", "2024-01", None, 30],
    ]
    submission = import_as_a(cast, write_xlsx(tmp_path, "enrolled.xlsx", rows, sheet="Sheet1"))
    assert submission.channel == "xlsx"
    assert by_place(files, stored("children-enrolled")) == ENROLLED_STORED


def test_xlsx_reads_the_sheet_named_values_wherever_it_is(cast, files, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "read me"
    wb.active.append(["This workbook holds the January report."])
    ws = wb.create_sheet("Values")
    for row in ENROLLED:
        ws.append(row)
    wb.save(tmp_path / "book.xlsx")
    import_as_a(cast, tmp_path / "book.xlsx")
    assert by_place(files, stored("children-enrolled")) == ENROLLED_STORED


def test_uploaded_file_objects_are_read_like_paths(cast, files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "from-browser.csv", b"\xef\xbb\xbf" + "\r\n".join(",".join(r) for r in ENROLLED).encode()
    )
    submission = import_file(
        initiative=cast.initiative, by=cast.steward_a, partner=cast.partner_a, uploaded_file=upload
    )
    assert submission.file_name == "from-browser.csv" and submission.value_count == 3


def test_column_letters_go_past_z():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


# --- a real file -------------------------------------------------------------------------

ONS = FIXTURES / "uk-ons-sdg-4-2-1-regions-2018-19-and-2021-22.csv"


@pytest.fixture
def england(cast):
    """Regions of England as places (London split into Inner and Outer London, as the ONS
    file does), school years 2018/19 and 2021/22, and the share of children reaching a good
    level of development. ONS publishes the percentages without the counts behind them, so
    the indicator takes a value per place and no total: a percentage cannot be added up."""
    with ONS.open(encoding="utf-8-sig", newline="") as f:
        regions = sorted({r["Region"] for r in csv.DictReader(f)})
    groups = [("england", "England")]
    for name in regions:
        parent = "london" if name in {"Inner London", "Outer London"} else "england"
        groups.append((slugify(name), name, parent))
    region = make_dimension(cast.initiative, "region", "Region", groups, is_geography=True)
    for year in (2018, 2021):
        make_period(cast.initiative, "school_year", date(year, 9, 1))
    return make_indicator(
        cast.initiative,
        "good-level-of-development",
        "stock",
        (region,),
        unit="percent",
        frequency="school_year",
    )


def ons_as_upload() -> list[list[str]]:
    """What a partner does with the ONS download: one row per region and school year, at the
    finest level (Inner and Outer London, not London), in the upload's columns."""
    rows = [["indicator", "period", "region", "value", "notes"]]
    with ONS.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["Region"] == "London":
                continue
            start, end = r["Year"].split("/")
            rows.append(
                [
                    "good-level-of-development",
                    f"SY{start}-{end}",
                    slugify(r["Region"]),
                    r["Value"],
                    f"{r['Series']}; {r['GeoCode']}",
                ]
            )
    return rows


def test_real_ons_file_turned_into_an_upload_is_stored(cast, england, tmp_path):
    rows = ons_as_upload()
    assert len(rows) == 1 + 20  # 10 places × 2 school years
    path = write_csv(tmp_path, "gld-by-region.csv", rows)
    submission = import_as_a(cast, path)
    assert submission.value_count == 20
    values = {
        (v.period.code, v.cell.groups.get().key): v.value
        for v in DataValue.objects.select_related("period", "cell")
    }
    assert values[("SY2018-19", "north-east")] == Decimal("70.9")
    assert values[("SY2021-22", "inner-london")] == Decimal("65.6")
    assert values[("SY2021-22", "south-west")] == Decimal("65.1")


def test_real_ons_file_uploaded_as_downloaded_is_refused_by_its_columns(cast, england):
    before = counts()
    with pytest.raises(IntakeRefused) as exc:
        import_as_a(cast, ONS)
    problems = exc.value.problems
    unknown = [p.column for p in problems if p.reason.startswith("unknown column")]
    # "Region" is the region dimension's column and "Value" the value column, whatever the case
    assert unknown == [
        "Year",
        "Series",
        "Local authority",
        "Gender",
        "Ethnicity",
        "Free school meals",
        "Learning category",
        "Learning sub-category (higher)",
        "Observation status",
        "Unit multiplier",
        "Unit measure",
        "GeoCode",
    ]
    assert problems[-1].reason == "missing columns: indicator, period"
    assert counts() == before and not Submission.objects.exists()
