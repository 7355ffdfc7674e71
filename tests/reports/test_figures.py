"""The report's figures, recomputed from the raw rows with plain SQL and pandas, and found on
the page as the reader sees them."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from django.db import connection

from backbone.activities.models import Activity
from backbone.advocacy.models import PublicWillItem
from backbone.measurement.models import DataValue
from backbone.money import format_money
from backbone.reports.selectors import build_report
from backbone.workplan.models import BackboneTask, EffortEntry, Grant
from backbone.workplan.services import backbone_roles

from .conftest import END, START, report_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def one_decimal(x) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_effort_by_role_is_the_sum_of_the_period_entries(quarter, as_role):
    found = sql(
        f"""SELECT t.role, SUM(e.hours) FROM {EffortEntry._meta.db_table} e
            JOIN {BackboneTask._meta.db_table} t ON t.id = e.task_id
            WHERE t.initiative_id = %s AND e.worked_on BETWEEN %s AND %s GROUP BY t.role""",
        [quarter.initiative.pk, START.isoformat(), END.isoformat()],
    )
    expected = {role: one_decimal(total) for role, total in found}
    doc = build_report(quarter.shared_with_funders, quarter.cast.staff)
    shown = {r.role["key"]: r.hours for r in doc.effort.rows if r.hours}
    assert shown == expected
    assert doc.effort.total == sum(expected.values())
    roles = [r["key"] for r in backbone_roles(quarter.initiative)]
    least = min(expected.get(r, Decimal(0)) for r in roles)
    assert [r["key"] for r in doc.effort.starved] == [
        r for r in roles if expected.get(r, Decimal(0)) == least
    ]
    page = text_of(as_role("funder").get(report_url(quarter.shared_with_funders)).text)
    for r in doc.effort.rows:
        assert f"{r.role['name']} {one_decimal(expected.get(r.role['key'], 0)):,.1f}" in page


def _secured_by_pandas(initiative_id: int, year: int) -> Decimal:
    grants = pd.DataFrame(
        sql(
            f"SELECT amount, status, starts_on, ends_on FROM {Grant._meta.db_table} "
            "WHERE initiative_id = %s",
            [initiative_id],
        ),
        columns=["amount", "status", "starts_on", "ends_on"],
    )
    grants = grants[grants.status.isin(["committed", "received"])]
    total = Decimal(0)
    for row in grants.itertuples():
        days = pd.date_range(row.starts_on, row.ends_on, freq="D")
        in_year = int((days.year == year).sum())
        total += Decimal(str(row.amount)) * in_year / len(days)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_funding_secured_is_committed_and_received_grants_pro_rata(quarter, as_role):
    expected = _secured_by_pandas(quarter.initiative.pk, 2026)
    doc = build_report(quarter.shared_with_funders, quarter.cast.staff)
    assert doc.funding.secured == [("USD", expected)]
    page = text_of(as_role("staff").get(report_url(quarter.shared_with_funders)).text)
    secured = format_money(expected, "USD").replace("\u00a0", " ")
    assert f"Secured for 2026: {secured} of USD 250,000 needed" in page
    # A funder's person acting for no funder organisation sums no grant at all.
    doc = build_report(quarter.shared_with_funders, quarter.cast.funder)
    assert doc.funding.secured == [("USD", Decimal("0.00"))]
    page = text_of(as_role("funder").get(report_url(quarter.shared_with_funders)).text)
    assert "Secured by your organisation for 2026: USD 0 of USD 250,000 needed" in page


def _latest_from_raw_rows(indicator, end) -> tuple[str, Decimal]:
    """The latest closed period ending by `end` with approved values, and the indicator's
    value in it: a rate from summed numerators and denominators, a count summed."""
    rows = pd.DataFrame(
        DataValue.objects.filter(indicator=indicator, status="approved").values(
            "period__code", "period__end", "period__status", "value", "numerator", "denominator"
        )
    )
    rows = rows[(rows.period__end <= end) & (rows.period__status == "closed")]
    latest = rows[rows.period__end == rows.period__end.max()]
    code = latest.period__code.iloc[0]
    if indicator.aggregation == "rate":
        value = Decimal(str(latest.numerator.sum())) / Decimal(str(latest.denominator.sum())) * 100
    else:
        value = Decimal(str(latest.value.sum()))
    return code, value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def test_indicators_latest_values_are_of_the_report_period(quarter, as_role):
    doc = build_report(quarter.shared_with_funders, quarter.cast.staff)
    rows = {row.indicator.code: row for row in doc.indicators.rows}
    page = text_of(as_role("staff").get(report_url(quarter.shared_with_funders)).text)
    for indicator in (quarter.readiness, quarter.visits, quarter.absence):
        code, value = _latest_from_raw_rows(indicator, END)
        row = rows[indicator.code]
        assert code == "2026Q2"  # Q3 is closed too, but ended after the report's period
        assert (row.current.period.code, row.current.value) == (code, value)
        decimals = 0 if indicator.unit == "count" else indicator.decimals
        shown = f"{value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):,}"
        shown += "%" if indicator.unit == "percent" else ""
        assert f"{indicator.name}" in page and f"{shown} Q2 2026" in page


def test_change_since_baseline_and_needle_moving_follow_the_raw_values(quarter):
    doc = build_report(quarter.shared_with_funders, quarter.cast.staff)
    rows = {row.indicator.code: row for row in doc.indicators.rows}
    _, absence = _latest_from_raw_rows(quarter.absence, END)
    row = rows["absence"]
    assert row.change.difference == absence - 20
    relative = (absence - 20) / 20
    assert row.needle_moving == (relative <= Decimal("-0.10"))
    assert row.needle_moving  # 29 of 190 against a baseline of 20%
    assert [r.indicator.code for r in doc.indicators.needle_moving] == ["readiness", "absence"]


def test_public_will_reach_counts_items_dated_in_the_period(quarter, as_role):
    ((expected,),) = sql(
        f"SELECT COALESCE(SUM(reach), 0) FROM {PublicWillItem._meta.db_table} "
        "WHERE initiative_id = %s AND starts_on BETWEEN %s AND %s",
        [quarter.initiative.pk, START.isoformat(), END.isoformat()],
    )
    doc = build_report(quarter.shared_with_members, quarter.cast.community)
    assert doc.policy.reach_total == expected == 1550
    assert [e.policy.title for e in doc.policy.wins] == ["Universal pre-K"]
    assert [e.policy.title for e in doc.policy.steps] == ["Youth jobs fund"]
    page = text_of(as_role("community").get(report_url(quarter.shared_with_members)).text)
    assert f"reached {expected:,} people" in page


def test_activities_of_the_period_with_their_gap_and_overlap(quarter):
    doc = build_report(quarter.shared_with_members, quarter.cast.community)
    running = (
        Activity.objects.filter(initiative=quarter.initiative)
        .exclude(ends_on__lt=START)
        .exclude(starts_on__gt=END)
    )
    assert doc.activities.total == running.count() == 4
    by_status = dict(doc.activities.by_status)
    assert by_status == {"Planned": 1, "Active": 3, "Paused": 0, "Done": 0}
    assert [s.title for s in doc.activities.strategy_gaps] == ["Pre-K places"]
    assert doc.activities.overlap_count == 1
    pair = doc.activities.overlaps[0]
    assert {pair.first.name, pair.second.name} == {"Books for babies", "Family reading nights"}


def test_agenda_summary_counts_strategies_and_endorsements(quarter):
    doc = build_report(quarter.shared_with_funders, quarter.cast.funder)
    assert [(g.title, g.strategies) for g in doc.agenda.goals] == [
        ("Children enter school ready", 2),
        ("Students attend every day", 1),
    ]
    assert (doc.agenda.endorsed, doc.agenda.partners) == (1, 2)
    assert doc.agenda.version.number == 1
