"""The overview's heat map: a status per partner and period read from the page's own
figures, a symbol and the counts in every cell besides its colour, nothing drawn when
nothing is expected."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from backbone.charts import (
    GRAPHIC_CONTRAST,
    TEXT_CONTRAST,
    contrast,
    declared_colours,
    least_contrast,
)
from backbone.measurement.completeness import charts
from backbone.measurement.completeness.selectors import Figures, completeness

from .conftest import at, send

BASE = "/i/riverton/completeness/"
STYLESHEET = Path(charts.__file__).parent / "static" / "completeness" / "completeness.css"


def figures(expected, received, on_time, late) -> Figures:
    return Figures(expected=expected, received=received, on_time=on_time, late=late)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("f", "status"),
    [
        (None, None),
        (figures(0, 0, 0, 0), None),
        (figures(4, 4, 4, 0), charts.ON_TIME),
        (figures(4, 4, 3, 1), charts.LATE),
        (figures(4, 2, 2, 2), charts.PARTIAL),  # two outstanding past due
        (figures(4, 0, 0, 4), charts.OVERDUE),
        (figures(4, 2, 2, 0), charts.WAITING),  # the rest not due yet
        (figures(4, 3, 2, 1), charts.WAITING),  # one received late, the last not due yet
        (figures(4, 3, 2, 2), charts.PARTIAL),  # one received late, one outstanding late
    ],
)
def test_status_of_names_where_a_partners_reports_stand(f, status):
    assert charts.status_of(f) == status


@pytest.mark.unit
def test_a_cell_says_its_figures_in_words_and_in_text():
    cell = charts.Cell(figures(4, 3, 2, 2))
    assert cell.text == "3/4"
    assert cell.words == "Some received, the rest overdue: 3 of 4 received, 2 late"
    assert charts.Cell(None).words == "Not expected" and charts.Cell(None).text == ""


@pytest.mark.unit
def test_every_status_has_its_own_symbol_and_a_colour_that_stands_out():
    assert len({s.symbol for s in charts.STATUSES}) == len(charts.STATUSES)
    declared = declared_colours(STYLESHEET, "heat-")
    for s in charts.STATUSES:
        assert declared[s.key] == s.colour
        assert least_contrast(s.colour) >= GRAPHIC_CONTRAST, s.key
        assert contrast(s.colour, "#ffffff") >= TEXT_CONTRAST, s.key  # the white figures


@pytest.mark.integration
@pytest.mark.django_db
def test_heat_map_cells_are_the_figures_per_partner_and_period(cast, monthly):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, on=at(date(2024, 2, 10)))
    send(cast, cast.partner_a, monthly.enrolled, monthly.feb, on=at(date(2024, 4, 1)))
    found = completeness(initiative=cast.initiative, today=date(2024, 7, 20))
    heat = charts.heat_map(found)
    assert heat.periods == [monthly.mar, monthly.feb, monthly.jan]
    by_name = {row.partner.organisation.name: row.cells for row in heat.rows}
    library = by_name["Riverton Public Library"]
    assert [c.status for c in library] == [charts.OVERDUE, charts.LATE, charts.ON_TIME]
    food_bank = by_name["Northside Food Bank"]  # joined in February: nothing owed for January
    assert [c.status for c in food_bank] == [charts.OVERDUE, charts.OVERDUE, None]
    for row in heat.rows:
        for period, cell in zip(heat.periods, row.cells, strict=True):
            assert cell.figures is found.by_partner_period.get((row.partner.pk, period.pk))
    assert [c.figures for c in heat.totals] == [found.by_period[p.pk] for p in heat.periods]
    # Per partner, the cells add up to the "By partner" table's figures.
    for row in heat.rows:
        drawn = [c.figures for c in row.cells if c.figures]
        mine = found.by_partner[row.partner.pk]
        assert sum(f.expected for f in drawn) == mine.expected
        assert sum(f.received for f in drawn) == mine.received
        assert sum(f.late for f in drawn) == mine.late


@pytest.mark.integration
@pytest.mark.django_db
def test_heat_map_is_none_when_nothing_is_expected(cast):
    found = completeness(initiative=cast.initiative, periods=[], today=date(2024, 7, 20))
    assert charts.heat_map(found) is None


@pytest.mark.integration
@pytest.mark.django_db
def test_overview_draws_the_heat_map_with_its_table_folded_beside(cast, monthly, as_role):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, on=at(date(2024, 2, 10)))
    text = as_role("staff").get(BASE).content.decode()
    assert '<table class="heatmap" id="heatmap">' in text
    assert '<td class="heat-on-time" title="All received on time: 1 of 1 received">' in text
    assert "Scroll sideways to see all periods." in text
    assert "<summary" in text and "The figures by period, as a table" in text
    chosen = as_role("staff").get(BASE + "?period=2024-01").content.decode()
    assert 'class="heatmap"' not in chosen and "Reports for Jan 2024" in chosen
