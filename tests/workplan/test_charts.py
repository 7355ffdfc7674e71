"""The backbone's pictures: bars as long as the figures of the tables beside them, nothing
drawn when there is nothing to draw, and the demo's effort chart recomputed with plain SQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from backbone.charts import GRAPHIC_CONTRAST, declared_colours, least_contrast
from backbone.workplan import charts, selectors
from backbone.workplan.models import BackboneTask, EffortEntry, Funder, Grant
from backbone.workplan.selectors import EffortByRole, RoleEffort, YearFunding

STYLESHEET = Path(charts.__file__).parent / "static" / "workplan" / "workplan.css"


def year(y, currency, needed, secured) -> YearFunding:
    return YearFunding(
        year=y,
        currency=currency,
        needed=None if needed is None else Decimal(needed),
        secured=Decimal(secured),
    )


@pytest.mark.unit
def test_funding_bars_measure_each_currency_on_its_own_scale():
    chart = charts.funding_bars(
        [
            year(2026, "USD", 400000, 100000),
            year(2027, "USD", 200000, 250000),
            year(2026, "EUR", 1000, 500),
            year(2028, "USD", None, 40000),
        ]
    )
    lengths = [(b.year, b.currency, b.needed_length, b.secured_length) for b in chart.bars]
    assert lengths == [
        (2026, "USD", 100.0, 25.0),
        (2027, "USD", 50.0, 62.5),
        (2026, "EUR", 100.0, 50.0),  # its own scale: euros are never measured in dollars
        (2028, "USD", 0.0, 10.0),
    ]
    assert chart.bars[0].words == "USD\u00a0100,000 secured of USD\u00a0400,000 needed (25%)"
    assert chart.bars[3].words == "USD\u00a040,000 secured, no budget set"
    assert "2027: USD\u00a0250,000 secured of USD\u00a0200,000 needed (125%)" in chart.summary
    own = charts.funding_bars([year(2026, "USD", 400000, 100000)], with_share=False)
    assert own.bars[0].words == "USD\u00a0100,000 secured of USD\u00a0400,000 needed"


@pytest.mark.unit
@pytest.mark.parametrize("years", [[], [year(2026, "USD", 0, 0)], [year(2026, "USD", None, 0)]])
def test_funding_bars_draw_nothing_without_amounts(years):
    assert charts.funding_bars(years) is None


def effort(hours_by_role: list[list[int]]) -> EffortByRole:
    months = [date(2026, m, 1) for m in range(1, len(hours_by_role[0]) + 1)]
    rows = [
        RoleEffort(
            role={"key": f"r{n}", "name": f"Role {n}"},
            hours=[Decimal(h) for h in hours],
            recent_hours=Decimal(sum(hours)),
            recent_share=None,
        )
        for n, hours in enumerate(hours_by_role)
    ]
    totals = [sum((r.hours[m] for r in rows), Decimal(0)) for m in range(len(months))]
    return EffortByRole(
        months=months,
        rows=rows,
        totals=totals,
        recent_total=sum(totals, Decimal(0)),
        starved=[rows[-1].role],
        without_effort=[],
    )


@pytest.mark.unit
def test_effort_stacks_are_as_long_as_each_months_hours():
    chart = charts.effort_stacks(effort([[30, 10, 0], [30, 5, 0], [0, 5, 1]]))
    first, second, third = chart.stacks
    assert [(s.role, s.start, s.length) for s in first.segments] == [
        ("Role 0", 0.0, 50.0),
        ("Role 1", 50.0, 50.0),
    ]
    assert [(s.start, s.length) for s in second.segments] == [(0.0, 16.7), (16.7, 8.3), (25.0, 8.3)]
    assert (first.length, second.length, third.length) == (100.0, 33.3, 1.7)
    assert [s.css for s in second.segments] == ["series-0", "series-1", "series-2"]
    assert [(e.name, e.starved) for e in chart.legend][-1] == ("Role 2", True)
    assert chart.summary == "Jan 2026: 60 hours; Feb 2026: 20 hours; Mar 2026: 1 hours"


@pytest.mark.unit
def test_effort_stacks_draw_nothing_without_hours():
    assert charts.effort_stacks(effort([[0, 0], [0, 0]])) is None


@pytest.mark.unit
def test_funding_colours_stand_out_and_match_the_stylesheet():
    assert declared_colours(STYLESHEET, "fund-")["secured"] == charts.FUNDING_COLOURS["secured"]
    outline = declared_colours(STYLESHEET, "fund-", properties=("stroke",))
    assert outline["needed"] == charts.FUNDING_COLOURS["needed"]
    for colour in charts.FUNDING_COLOURS.values():
        assert least_contrast(colour) >= GRAPHIC_CONTRAST


@pytest.mark.integration
@pytest.mark.django_db
def test_demo_effort_chart_is_the_hours_plain_sql_sums(demo):
    """The chart's segments and totals against the entries summed by pandas from plain SQL."""
    today = timezone.localdate()
    found = selectors.effort_by_role(initiative=demo, today=today)
    chart = charts.effort_stacks(found)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT t.role, e.worked_on, e.hours FROM {EffortEntry._meta.db_table} e
                JOIN {BackboneTask._meta.db_table} t ON t.id = e.task_id
                WHERE t.initiative_id = %s AND e.worked_on BETWEEN %s AND %s""",
            [demo.pk, found.months[0], today],
        )
        rows = pd.DataFrame(cursor.fetchall(), columns=["role", "worked_on", "hours"])
    rows["month"] = pd.to_datetime(rows.worked_on).dt.strftime("%Y-%m")
    rows["hours"] = rows.hours.map(lambda h: Decimal(str(h)))
    sums = rows.groupby(["month", "role"]).hours.sum()
    names = {r.role["name"]: r.role["key"] for r in found.rows}
    assert len(chart.stacks) == 12 and sum(len(s.segments) for s in chart.stacks) > 12
    for stack in chart.stacks:
        month = stack.month.strftime("%Y-%m")
        expected = sums[month] if month in sums.index.get_level_values(0) else pd.Series()
        drawn = {names[s.role]: s.hours for s in stack.segments}
        assert drawn == {k: v for k, v in expected.items() if v}, month
        assert stack.total == sum(expected.values, Decimal(0))
    busiest = max(chart.stacks, key=lambda s: s.total)
    assert busiest.length == 100.0


@pytest.mark.integration
@pytest.mark.django_db
def test_funding_page_draws_the_table_figures_with_money_formatted(cast, as_role, roles):
    funder = Funder.objects.create(initiative=cast.initiative, name="Library Friends")
    Grant.objects.create(
        initiative=cast.initiative,
        funder=funder,
        title="Reading grant",
        amount=Decimal("120000.50"),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        status="committed",
    )
    from backbone.workplan.models import BudgetYear

    BudgetYear.objects.create(
        initiative=cast.initiative, year=2025, currency="USD", amount_needed=Decimal(480002)
    )
    page = as_role("staff").get(reverse("workplan:funding", args=["riverton"])).content.decode()
    assert '<td class="num">USD\u00a0480,002</td>' in page
    assert '<td class="num">USD\u00a0120,000.50</td>' in page
    assert '<td class="num">USD\u00a0360,001.50</td>' in page  # still to find
    assert 'role="img" aria-label="Bar chart, secured against needed per year. 2025: ' in page
    assert 'class="fund-secured" y="2" width="25.0"' in page
    assert "120000.50" not in page and "480002" not in page
    grants = as_role("staff").get(reverse("workplan:grants", args=["riverton"])).content.decode()
    assert '<td class="num">USD\u00a0120,000.50</td>' in grants


@pytest.mark.integration
@pytest.mark.django_db
def test_funding_and_effort_pages_say_there_is_nothing_to_draw_yet(cast, as_role, roles):
    client = as_role("staff")
    funding = client.get(reverse("workplan:funding", args=["riverton"])).content.decode()
    assert "No budget and no secured grants yet." in funding and 'role="img"' not in funding
    effort_page = client.get(reverse("workplan:effort", args=["riverton"])).content.decode()
    assert "No effort logged in the last twelve months yet" in effort_page
    assert 'role="img"' not in effort_page
