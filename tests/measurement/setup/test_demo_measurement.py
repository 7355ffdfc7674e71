"""The demo's shared measurement: restored once for this module, checked, then rolled back."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from django.db import connection, transaction

from backbone.demo.measurement import LATEST, YEARS, sy_code
from backbone.measurement.models import (
    DataValue,
    Indicator,
    IndicatorDimension,
    Period,
    Submission,
    Target,
)

pytestmark = pytest.mark.integration


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_snapshot):
    """The session's demo, restored once: an outer transaction undone after the module's tests."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield demo_snapshot.restore()
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def riverton(demo, db):
    return demo


def test_demo_defines_eight_to_twelve_indicators_tied_to_the_agenda(riverton):
    indicators = Indicator.objects.filter(initiative=riverton)

    assert 8 <= indicators.count() <= 12
    assert all(i.goal_id or i.strategy_id for i in indicators)
    assert {i.aggregation for i in indicators} == {"sum", "rate", "weighted", "stock", "cumulative"}
    readiness = indicators.get(code="kindergarten-readiness")
    assert (readiness.unit, readiness.visibility, readiness.kind) == (
        "percent",
        "public",
        "population",
    )
    assert list(
        IndicatorDimension.objects.filter(indicator=readiness).values_list(
            "dimension__key", flat=True
        )
    ) == ["race", "income"]


def test_demo_has_five_school_years_the_latest_open(riverton):
    years = Period.objects.filter(initiative=riverton, kind="school_year").order_by("start")

    assert [p.code for p in years] == [sy_code(y) for y in YEARS]
    assert years.last().due < date.today()  # the newest school year's report is past due
    assert all(p.start.month == 8 for p in years)
    assert [p.is_open for p in years] == [False, False, False, False, True]
    months = Period.objects.filter(initiative=riverton, kind="month")
    assert months.count() == 60 and months.filter(status="open").count() == 3


def test_demo_geography_is_a_city_of_four_districts(riverton):
    from backbone.measurement.models import Group

    place = Group.objects.filter(initiative=riverton, dimension__key="place")
    city = place.get(parent__isnull=True)
    districts = place.filter(parent=city)
    assert districts.count() == 4
    assert all(2 <= place.filter(parent=d).count() <= 3 for d in districts)


def test_demo_submissions_are_approved_returned_and_waiting(riverton):
    statuses = set(Submission.objects.filter(initiative=riverton).values_list("status", flat=True))
    returned = Submission.objects.filter(initiative=riverton, status="returned")

    assert {"approved", "returned", "submitted"} <= statuses
    assert all(s.review_comment for s in returned)
    assert Submission.objects.filter(initiative=riverton).values("partner").distinct().count() >= 6


def test_demo_has_missing_reports_for_a_past_due_period(riverton):
    sy = Period.objects.get(initiative=riverton, code=sy_code(LATEST))
    on_track = Indicator.objects.get(initiative=riverton, code="ninth-grade-on-track")

    assert sy.due is not None
    assert not DataValue.objects.filter(indicator=on_track, period=sy).exists()
    assert DataValue.objects.filter(
        indicator=on_track, period__code=sy_code(LATEST - 1), status="approved"
    ).exists()


def test_demo_values_are_a_few_thousand_with_small_groups(riverton):
    values = DataValue.objects.filter(initiative=riverton)

    assert 2000 <= values.count() <= 40000
    assert values.filter(denominator__lt=10, denominator__gt=0).exists()


def test_demo_baselines_and_targets(riverton):
    readiness = Indicator.objects.get(initiative=riverton, code="kindergarten-readiness")
    targets = Target.objects.filter(indicator=readiness)

    assert targets.filter(kind="baseline", cell__key="").count() == 1
    assert targets.filter(kind="target", cell__key="").count() >= 3
    assert targets.exclude(cell__key="").exists()  # per race group
    assert Target.objects.filter(initiative=riverton).values("indicator").distinct().count() == (
        Indicator.objects.filter(initiative=riverton).count()
    )


def _readiness_frame(riverton) -> pd.DataFrame:
    """Readiness values with plain SQL: one row per cell and school year."""
    sql = f"""
        SELECT p.code AS period, c.key AS cell, v.numerator, v.denominator, v.value
        FROM {DataValue._meta.db_table} v
        JOIN {Period._meta.db_table} p ON p.id = v.period_id
        JOIN measurement_cell c ON c.id = v.cell_id
        JOIN {Indicator._meta.db_table} i ON i.id = v.indicator_id
        WHERE i.initiative_id = %s AND i.code = 'kindergarten-readiness'
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [riverton.pk])
        rows = cursor.fetchall()
    frame = pd.DataFrame(rows, columns=["period", "cell", "numerator", "denominator", "value"])
    return frame.astype({"numerator": float, "denominator": float, "value": float})


def test_demo_total_rate_is_the_sum_of_numerators_over_denominators(riverton):
    frame = _readiness_frame(riverton)
    cells = frame[frame.cell != ""].groupby("period")[["numerator", "denominator"]].sum()
    totals = frame[frame.cell == ""].set_index("period")

    recomputed = cells.numerator / cells.denominator * 100

    assert len(totals) == 5
    for period, total in totals.iterrows():
        assert abs(recomputed[period] - total.value) < 1e-4, period
        assert cells.loc[period, "denominator"] == total.denominator


def test_demo_readiness_rises_from_about_45_to_52_percent(riverton):
    totals = _readiness_frame(riverton).query("cell == ''").set_index("period").value

    first, latest = sy_code(YEARS[0]), sy_code(LATEST)
    assert 43 <= totals[first] <= 47
    assert 50 <= totals[latest] <= 54
    assert totals[latest] > totals[first]


def test_demo_dashboards_show_gaps_moving_both_ways_and_the_needle_moving(riverton):
    from backbone.accounts.models import Person
    from backbone.dashboards.scorecard import scorecard

    staff = Person.objects.get(email="maya.okafor@riverton.example")
    rows = scorecard(initiative=riverton, person=staff).rows
    movements = {g.movement for row in rows for g in row.gaps}
    assert {"closing", "widening"} <= movements
    assert any(row.needle_moving for row in rows)


def test_the_overview_draws_each_needle_moving_indicators_line_with_its_words(riverton):
    from django.test import Client

    from backbone.accounts.models import Person
    from backbone.dashboards.charts import with_sparklines
    from backbone.dashboards.scorecard import scorecard

    staff = Person.objects.get(email="maya.okafor@riverton.example")
    moving = with_sparklines(scorecard(initiative=riverton, person=staff).needle_moving)
    client = Client()
    client.force_login(staff)
    html = client.get(f"/i/{riverton.slug}/").content.decode()
    listed = html.split("Moving the needle")[1].split("</section>")[0]
    assert listed.count('<svg class="spark"') == len(moving) > 0
    for row in moving:
        assert row.indicator.name in listed and row.sparkline.text in listed


def test_demo_hides_small_cells_from_funders_and_not_from_staff(riverton):
    from backbone.accounts.models import Person
    from backbone.dashboards.indicator_page import indicator_page

    indicator = Indicator.objects.get(initiative=riverton, code="kindergarten-readiness")
    hidden = {}
    for email in ("maya.okafor@riverton.example", "helen.park@riverton.example"):
        person = Person.objects.get(email=email)
        page = indicator_page(initiative=riverton, indicator=indicator, person=person)
        hidden[email] = sum(v is None for v in page.cross_tab.cells.values())
    assert hidden["maya.okafor@riverton.example"] == 0
    assert hidden["helen.park@riverton.example"] > 0


def test_demo_has_missing_and_late_reports(riverton):
    from backbone.measurement.completeness.selectors import completeness

    figures = completeness(initiative=riverton).overall
    assert figures.missing > 0 and figures.late > 0 and figures.received > 0


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (date(2026, 12, 1), 2025),  # SY2025-26 was due on 29 October 2026
        (date(2026, 10, 29), 2024),  # due today: not yet past due
        (date(2026, 10, 30), 2025),
        (date(2027, 3, 1), 2025),
    ],
)
def test_the_demo_reads_as_of_today_with_its_newest_school_year_past_due(today, latest):
    from backbone.demo.measurement import latest_school_year

    assert latest_school_year(today) == latest
