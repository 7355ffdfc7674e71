"""Series breaks on the dashboards: baseline, change since baseline, trend, forecast,
needle-moving and equity-gap movement never compare across a break; charts, the scorecard, the
API and the CSV files show it.

The real case is England's share of children with a good level of development at the end of
reception (ONS, SDG 4.2.1): the early years foundation stage profile was reformed in 2021/22,
so the 2012/13 baseline of the old profile says nothing about 2021/22. The expected figures
are read from the file itself, never through the dashboards."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backbone.dashboards.charts import sparkline
from backbone.dashboards.scorecard import scorecard
from backbone.measurement.breaks import series_break_add
from backbone.measurement.models import DataValue, Period, SeriesBreak, Submission
from backbone.measurement.services_setup import period_close
from backbone.reports.sections import indicators_section
from tests.measurement.conftest import make_indicator, make_period

from .test_numbers import assert_same_figures, expected_row, reference_gaps, row_periods

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ONS = FIXTURES / "uk-ons-sdg-4-2-1-england-2012-13-to-2021-22.csv"
CODE = "good-level-of-development"
REASON = "new early years foundation stage profile"
MEASUREMENT = "/i/riverton/measurement"
SCORECARD = "/i/riverton/scorecard"
D = Decimal


# --- generated data: every figure against the reference -----------------------------------

# Positions (in the six months) of the first month of each new series, by indicator: a break
# at the current month (readiness), one before it and one after it (enrolled: no forecast into
# June), one before a gap (score), one with the baseline left behind it (absent).
BREAKS = {"readiness": [4], "enrolled": [2, 5], "score": [2], "absent": [3]}


def test_scorecard_rows_match_the_reference_with_series_breaks(setting, ref):
    months = setting.months
    for ind in setting.indicators:
        for at in BREAKS[ind.code]:
            series_break_add(
                indicator=ind, period=months[at], reason="new survey", by=setting.cast.staff
            )

    card = scorecard(initiative=setting.cast.initiative, person=setting.cast.staff)

    for row in card.rows:
        ind = row.indicator
        starts = [months[at].start for at in BREAKS[ind.code]]
        expected = expected_row(ref, ind, months, shows_small=True, breaks=starts)
        ignoring = expected_row(ref, ind, months, shows_small=True)
        assert expected != ignoring, f"{ind.code}: the break changes nothing to check"
        assert_same_figures(row, expected)
        now = row.current.period.start
        compared = [p for p in row_periods(row) if not any(p.start < d <= now for d in starts)]
        gaps = reference_gaps(ref, ind, compared)
        assert [(g.dimension.pk, g.movement) for g in row.gaps] == [(d, m) for d, _, m in gaps]


# --- the ONS file, imported as a partner would ----------------------------------------------


def ons_rows() -> pd.DataFrame:
    """England's headline figure by school year, oldest first, as ONS publishes it."""
    df = pd.read_csv(ONS, encoding="utf-8-sig", dtype=str)
    df["code"] = "SY" + df["Year"].str.replace("/", "-")
    df["value"] = df["Value"].map(D)
    return df.sort_values("Year").reset_index(drop=True)


def first_of_new_series(df: pd.DataFrame) -> str:
    """The first school year whose series is not the first one's: where the file says the
    measure changed."""
    return df[df["Series"] != df["Series"].iloc[0]]["code"].iloc[0]


def as_upload(df: pd.DataFrame) -> bytes:
    """The file a partner uploads: the upload's columns, one row per school year."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["indicator", "period", "value", "notes"])
    for r in df.itertuples():
        writer.writerow([CODE, r.code, r.Value, r.Series])
    return out.getvalue().encode()


@pytest.fixture
def england(cast, as_role):
    """Every school year from the file's first to its last (2019/20 and 2020/21, which ONS
    did not publish, are gaps), the indicator, the ONS figures uploaded by partner A's steward
    and approved by the backbone, the periods closed, and the 2012/13 figure as the baseline."""
    df = ons_rows()
    first, last = int(df["Year"].iloc[0][:4]), int(df["Year"].iloc[-1][:4])
    for year in range(first, last + 1):
        make_period(cast.initiative, "school_year", date(year, 9, 1))
    indicator = make_indicator(
        cast.initiative,
        CODE,
        "stock",
        unit="percent",
        frequency="school_year",
        visibility="public",
        source="ONS, SDG 4.2.1",
    )
    upload = SimpleUploadedFile("england-gld.csv", as_upload(df), content_type="text/csv")
    response = as_role("steward_a").post(
        f"{MEASUREMENT}/files/upload/", {"file": upload, "action": "submit"}
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    staff = as_role("staff")
    assert staff.post(f"{MEASUREMENT}/submissions/{submission.uuid}/approve/").status_code == 302
    for period in Period.objects.filter(initiative=cast.initiative):
        period_close(period=period, by=cast.staff)
    baseline = Period.objects.get(initiative=cast.initiative, code=df["code"].iloc[0])
    response = staff.post(
        f"{MEASUREMENT}/indicators/{CODE}/targets/?kind=school_year",
        {f"baseline-{baseline.pk}-total": df["Value"].iloc[0]},
    )
    assert response.status_code == 302
    assert DataValue.objects.filter(status="approved").count() == len(df)
    return indicator


def mark_the_break(cast, as_role, df) -> None:
    period = Period.objects.get(initiative=cast.initiative, code=first_of_new_series(df))
    response = as_role("staff").post(
        f"{MEASUREMENT}/indicators/{CODE}/breaks/",
        {"action": "add", "period": period.pk, "reason": REASON},
    )
    assert response.status_code == 302


def row_of(cast, **kw):
    card = scorecard(initiative=cast.initiative, person=cast.staff, **kw)
    return next(r for r in card.rows if r.indicator.code == CODE)


def test_without_the_break_the_old_baseline_makes_the_reformed_measure_needle_moving(cast, england):
    df = ons_rows()
    baseline, current = df["value"].iloc[0], df["value"].iloc[-1]
    assert current - baseline == D("14.5") and (current - baseline) / baseline >= D("0.1")

    row = row_of(cast)

    assert (row.baseline.value, row.current.value) == (baseline, current)
    assert row.change.difference == current - baseline
    assert row.needle_moving


def test_after_the_break_nothing_compares_across_it(cast, england, as_role):
    df = ons_rows()
    mark_the_break(cast, as_role, df)
    new = df[df["code"] >= first_of_new_series(df)]

    row = row_of(cast)

    assert row.current.value == df["value"].iloc[-1]
    assert row.series_break.reason == REASON
    assert row.baseline is None and row.change is None and row.progress is None
    assert not row.needle_moving
    assert row.trend is None and len(new) == 1  # one value in the new series: no trend yet
    assert row.forecast is None
    assert row.prior.period.code == df["code"].iloc[-2] and not row.prior_in_series


def test_a_baseline_set_in_the_new_series_is_compared_again(cast, england, as_role):
    df = ons_rows()
    mark_the_break(cast, as_role, df)
    start = Period.objects.get(code=first_of_new_series(df))
    as_role("staff").post(
        f"{MEASUREMENT}/indicators/{CODE}/targets/?kind=school_year",
        {f"baseline-{start.pk}-total": "60"},
    )

    row = row_of(cast)

    assert row.baseline.period == start
    assert row.change.difference == df["value"].iloc[-1] - 60


def test_a_report_as_of_before_the_break_still_compares_the_old_series(cast, england, as_role):
    df = ons_rows()
    mark_the_break(cast, as_role, df)
    old = df[df["code"] < first_of_new_series(df)]
    until = Period.objects.get(code=old["code"].iloc[-1]).end

    section = indicators_section(initiative=cast.initiative, viewer=cast.staff, until=until)

    row = next(r for r in section.rows if r.indicator.code == CODE)
    assert row.series_break is None
    assert row.change.difference == old["value"].iloc[-1] - old["value"].iloc[0]
    assert row in section.needle_moving


def test_scorecard_says_new_series_instead_of_a_change(cast, england, as_role):
    staff = as_role("staff")
    before = staff.get(f"{SCORECARD}/").content.decode()
    assert "Needle-moving" in before and "New series since" not in before

    mark_the_break(cast, as_role, ons_rows())

    html = staff.get(f"{SCORECARD}/").content.decode()
    assert "Needle-moving" not in html
    assert f'title="{REASON}">New series <span class="small muted">since SY2021-22' in html


def test_indicator_page_names_the_break_and_its_chart_breaks_the_line(cast, england, as_role):
    df = ons_rows()
    mark_the_break(cast, as_role, df)

    response = as_role("staff").get(f"{SCORECARD}/indicators/{CODE}/")

    html = response.content.decode()
    assert f"New series since School year 2021–22: {REASON}" in html
    chart = response.context["page"].chart
    labels = chart["labels"]
    at = labels.index("School year 2021–22")
    assert chart["breaks"] == [{"index": at, "label": "School year 2021–22", "reason": REASON}]
    actual = next(s for s in chart["series"] if s["key"] == "actual")["data"]
    assert actual[at] == float(df["value"].iloc[-1])  # the value stays; only the line breaks
    forecast = next(s for s in chart["series"] if s["key"] == "forecast")["data"]
    assert forecast[:at] == [None] * at  # no forecast drawn from the old series
    data = json.loads(html.split('id="curve-data" type="application/json">')[1].split("<")[0])
    assert data["breaks"] == chart["breaks"]
    marked = '<tr class="series-start"><th scope="row">School year 2021–22<div class="small">'
    assert f"{marked}New series: {REASON}</div>" in html
    spark = response.context["page"].row.sparkline
    assert f"new series ({REASON}) from School year 2021–22" in spark.text


def test_sparkline_lifts_the_pen_at_a_break_and_keeps_every_value():
    values = [D(50), D(52), D(40), D(41)]

    whole = sparkline(values)
    broken = sparkline(values, breaks_at={2})

    assert whole.path.count("M") == 1 and broken.path.count("M") == 2
    assert broken.path.replace("M", "L") == whole.path.replace("M", "L")


def test_api_series_and_indicator_carry_the_break(cast, england, as_role):
    mark_the_break(cast, as_role, ons_rows())
    client = as_role("evaluator")

    series = client.get(f"/api/initiatives/riverton/indicators/{CODE}/series").json()
    indicator = client.get(f"/api/initiatives/riverton/indicators/{CODE}").json()

    wanted = [{"period": "SY2021-22", "label": "School year 2021–22", "reason": REASON}]
    assert series["breaks"] == wanted and indicator["breaks"] == wanted
    listed = client.get("/api/initiatives/riverton/indicators").json()["items"]
    assert next(i for i in listed if i["code"] == CODE)["breaks"] == wanted
    schema = Client().get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("SeriesOut", "IndicatorOut"):
        assert schema[name]["properties"]["breaks"]["items"] == {
            "$ref": "#/components/schemas/SeriesBreakOut"
        }
    assert set(schema["SeriesBreakOut"]["properties"]) == {"period", "label", "reason"}


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_files_mark_the_break(cast, england, as_role):
    df = ons_rows()
    mark_the_break(cast, as_role, df)
    staff = as_role("staff")
    new = first_of_new_series(df)

    card = _csv(staff.get(f"{SCORECARD}/export.csv"))
    values = _csv(staff.get(f"{MEASUREMENT}/files/export/", {"format": "csv"}))

    marked = {r["period"]: r["series break"] for r in card if r["indicator"] == CODE}
    assert marked == {code: (REASON if code == new else "") for code in marked}
    assert next(r for r in card if r["period"] == new)["needle-moving"] == "no"
    series = {r["period"]: (r["series from"], r["series break"]) for r in values}
    assert series == {code: ((new, REASON) if code >= new else ("", "")) for code in df["code"]}


def test_removing_the_break_compares_the_two_series_again(cast, england, as_role):
    mark_the_break(cast, as_role, ons_rows())
    as_role("staff").post(
        f"{MEASUREMENT}/indicators/{CODE}/breaks/", {"action": "remove", "period": "SY2021-22"}
    )

    assert not SeriesBreak.objects.exists()
    assert row_of(cast).needle_moving
