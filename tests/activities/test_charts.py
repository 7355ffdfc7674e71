"""The alignment matrices as heat maps: each cell as dark as its count of activities is near
the busiest cell's, the count written in it, and the matrices with the activities named
kept on the page."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from backbone.activities import charts
from backbone.charts import (
    GRAPHIC_CONTRAST,
    TEXT_CONTRAST,
    contrast,
    declared_colours,
    least_contrast,
)

from .conftest import make_activity

STYLESHEET = Path(charts.__file__).parent / "static" / "activities" / "activities.css"


def row(label, *counts, depth=0):
    return SimpleNamespace(label=label, depth=depth, cells=[["a"] * n for n in counts])


@pytest.mark.unit
def test_heat_map_counts_each_cell_and_shades_it_on_one_scale():
    heat = charts.heat_map([row("Library", 0, 1, 8), row("Food bank", 2, 4, 6, depth=1)])
    assert [[c.count for c in r.cells] for r in heat.rows] == [[0, 1, 8], [2, 4, 6]]
    assert [[c.css for c in r.cells] for r in heat.rows] == [
        ["empty", "heat-1", "heat-4"],
        ["heat-1", "heat-2", "heat-3"],
    ]
    assert heat.rows[1].indent == "\u2003"
    assert heat.keys == [(1, "1–2"), (2, "3–4"), (3, "5–6"), (4, "7–8")]


@pytest.mark.unit
def test_heat_map_legend_names_single_counts_when_the_scale_is_short():
    assert charts.heat_map([row("Library", 1, 2)]).keys == [(2, "1"), (4, "2")]


@pytest.mark.unit
@pytest.mark.parametrize("rows", [[], [row("Library", 0, 0)], [row("Library")]])
def test_heat_map_is_none_without_any_activity(rows):
    assert charts.heat_map(rows) is None


@pytest.mark.unit
def test_shades_stand_out_carry_white_figures_and_match_the_stylesheet():
    declared = declared_colours(STYLESHEET, "heat-")
    assert declared == {str(n): colour for n, colour in charts.LEVELS.items()}
    for colour in charts.LEVELS.values():
        assert least_contrast(colour) >= GRAPHIC_CONTRAST
        assert contrast(colour, "#ffffff") >= TEXT_CONTRAST


@pytest.mark.integration
def test_alignment_page_draws_the_heat_maps_from_the_matrices(as_role, cast, plan):
    make_activity(cast.partner_a, "Tutoring", strategies=[plan.reading], places=[plan.millbrook])
    make_activity(cast.partner_a, "Book club", strategies=[plan.reading], places=[plan.millbrook])
    make_activity(cast.partner_b, "Mentors", strategies=[plan.attendance])
    response = as_role("staff").get("/i/riverton/activities/alignment/")
    found, heat = response.context["found"], response.context["partner_heat"]
    assert [[c.count for c in r.cells] for r in heat.rows] == [
        [len(cell) for cell in r.cells] for r in found.by_partner
    ]
    html = response.content.decode()
    assert '<table class="heatmap" id="partners-heatmap">' in html
    assert '<td class="heat-4">2</td>' in html and '<td class="heat-2">1</td>' in html
    assert "The same matrix with the activities named" in html and "Book club" in html


@pytest.mark.integration
def test_alignment_page_says_when_there_is_nothing_to_shade(as_role, cast, plan):
    html = as_role("staff").get("/i/riverton/activities/alignment/").content.decode()
    assert "No activities for any strategy yet." in html and 'class="heatmap"' not in html
