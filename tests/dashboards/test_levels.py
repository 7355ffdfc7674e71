"""Breakdowns at every level of a place hierarchy and cross-tabs of any two dimensions, on the
indicator page, in its CSV and through the API: every figure equals the reference's (pandas
over the stored rows, places rolled up by walking their parents), and a reader without the
small-numbers right gets the same tables with the small figures hidden."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from backbone.dashboards import tables
from backbone.dashboards.indicator_page import indicator_page
from backbone.measurement.selectors import indicator_in

pytestmark = pytest.mark.integration


def _page(setting, person, period, **chosen):
    initiative = setting.cast.initiative
    found = indicator_in(initiative, setting.readiness.code)
    return indicator_page(
        initiative=initiative, indicator=found, person=person, period=period, **chosen
    )


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_each_level_of_places_equals_the_reference(setting, ref, depth):
    area = setting.area.pk
    for period in setting.months:
        page = _page(setting, setting.cast.staff, period, level=[f"area:{depth}"])
        assert page.period == period
        shown = dict(page.breakdowns)[setting.area]
        expected = ref.at_level(setting.readiness, period, [(area, depth)])
        at_depth = [g for g, d in ref.depths().items() if d == depth]
        at_depth = [g for g in at_depth if ref.group[g]["dimension_id"] == area]
        assert sorted(g.pk for g in shown) == sorted(at_depth)
        for group, value in shown.items():
            assert value == expected.get((group.pk,), (None, None))[0], (period, group)


def test_a_cross_tab_of_any_two_axes_equals_the_reference(setting, ref):
    race, area = setting.race.pk, setting.area.pk
    period = setting.months[2]
    for cross, axes in [
        (["area:1", "race"], [(area, 1), (race, None)]),
        (["race", "area:0"], [(race, None), (area, 0)]),
        (["area", "race"], [(area, None), (race, None)]),
    ]:
        page = _page(setting, setting.cast.staff, period, cross=cross)
        assert [a.spec for a in page.cross_tab.axes] == cross
        expected = ref.at_level(setting.readiness, period, axes)
        cells = page.cross_tab.cells
        assert {k for k, v in cells.items() if v is not None} == set(expected)
        for k, (value, _) in expected.items():
            assert cells[k] == value, (cross, ref.named(k))
        # the margins are the one-axis tables of the same axes
        rows = ref.at_level(setting.readiness, period, axes[:1])
        assert {(r,): v for r, v in page.cross_tab.row_totals.items() if v is not None} == {
            k: v for k, (v, _) in rows.items()
        }


def test_readers_without_the_right_see_level_tables_with_small_figures_hidden(setting, ref):
    """Every figure a funder or the public reads at a level is the reference's or hidden;
    hidden are at least every figure from fewer people than the threshold."""
    area = setting.area.pk
    for person in (AnonymousUser(), setting.cast.funder):
        for period in setting.months:
            for depth in (0, 1, 2):
                page = _page(setting, person, period, level=[f"area:{depth}"])
                if page.period != period:
                    continue  # the indicator has nothing this reader may see up to then
                table = page.margins[area]
                expected = ref.at_level(setting.readiness, period, [(area, depth)])
                for group in table.rows:
                    value, people = expected.get((group.pk,), (None, None))
                    shown = table.row_totals[group.pk]
                    if ref.small(people):
                        assert shown is None and table.is_hidden(group.pk)
                    assert shown in (None, value)
                    if shown is None and value is not None:
                        assert table.is_hidden(group.pk)


def test_the_csv_holds_the_tables_the_page_shows(setting):
    client = Client()
    client.force_login(setting.cast.funder)
    period = setting.months[2]
    page = _page(setting, setting.cast.funder, period, level=["area:2"], cross=["area:2", "race"])
    url = (
        f"/i/{setting.cast.initiative.slug}/scorecard/indicators/{setting.readiness.code}"
        "/breakdown.csv?"
        + urlencode({"period": period.code, "level": "area:2", "rows": "area:2", "columns": "race"})
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    keys = {g.pk: g.key for g in setting.groups.values()}
    expected = []
    for dim, groups in page.breakdowns:
        spec = page.axes[dim.pk].spec
        expected += [(spec, keys[g.pk], "", v) for g, v in groups.items()]
    for (r, c), v in page.cross_tab.cells.items():
        expected.append(("area:2 x race", keys[r], keys[c], v))
    assert len(lines) == len(expected)
    for line, (name, row, column, value) in zip(lines, expected, strict=True):
        assert (line["table"], line["row"], line["column"]) == (name, row, column)
        assert (Decimal(line["value"]) if line["value"] else None) == value
        assert line["period"] == period.code
        if line["note"].startswith("hidden"):
            assert not line["value"]
    assert any(line["note"].startswith("hidden") for line in lines), "no hidden figure tried"


def test_the_api_answers_the_tables_the_page_shows(setting):
    slug, code = setting.cast.initiative.slug, setting.readiness.code
    url = f"/api/initiatives/{slug}/indicators/{code}/breakdown"
    period = setting.months[2]
    client = Client()
    client.force_login(setting.cast.funder)
    for by in (["area:1"], ["area:2", "race"], ["race"]):
        response = client.get(url + "?" + urlencode({"period": period.code, "by": by}, True))
        assert response.status_code == 200, response.content
        body = response.json()
        if len(by) == 1:
            page = _page(setting, setting.cast.funder, period, level=by)
            table = page.margins[setting.area.pk if by[0].startswith("area") else setting.race.pk]
        else:
            page = _page(setting, setting.cast.funder, period, cross=by)
            table = page.cross_tab
        shown = {tuple(f["groups"].values()): f for f in body["figures"]}
        assert len(shown) == len(table.cells)
        keys = {g.pk: g.key for g in setting.groups.values()}
        for key, value in table.cells.items():
            figure = shown[tuple(keys[g] for g in key)]
            assert figure["value"] == (None if value is None else str(value.normalize()))
            assert figure["suppressed"] == table.is_hidden(*key)
        assert body["period"] == period.code


@pytest.mark.parametrize(
    "by, reason",
    [
        (["income"], "not broken down by 'income'"),
        (["race:1"], "not a place dimension"),
        (["area:7"], "is not one of them"),
        (["area:1", "area"], "two different dimensions"),
    ],
)
def test_an_axis_the_indicator_lacks_is_refused_by_name(setting, by, reason):
    slug, code = setting.cast.initiative.slug, setting.readiness.code
    client = Client()
    client.force_login(setting.cast.staff)
    api = f"/api/initiatives/{slug}/indicators/{code}/breakdown?" + urlencode({"by": by}, True)
    response = client.get(api)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    query = {"level": by[0]} if len(by) == 1 else {"rows": by[0], "columns": by[1]}
    page = client.get(f"/i/{slug}/scorecard/indicators/{code}/?" + urlencode(query))
    assert page.status_code == 400
    assert reason in page.content.decode()


def test_levels_are_named_by_their_places(setting):
    from backbone.measurement import aggregation as engine

    levels = tables.levels(engine.Layout(setting.cast.initiative.pk), setting.area)
    assert [level.depth for level in levels] == [0, 1, 2]
    assert levels[0].label == "Riverton"
    assert levels[1].label == "North, South"
    assert levels[2].label.endswith("and 1 more")
    assert tables.levels(engine.Layout(setting.cast.initiative.pk), setting.race) == []


def test_the_page_offers_the_levels_and_shows_the_chosen_one(setting):
    client = Client()
    client.force_login(setting.cast.staff)
    slug, code = setting.cast.initiative.slug, setting.readiness.code
    period = setting.months[2]
    html = client.get(
        f"/i/{slug}/scorecard/indicators/{code}/?"
        + urlencode({"period": period.code, "level": "area:1", "rows": "area:1", "columns": "race"})
    ).content.decode()
    assert '<option value="area:1" selected>Area: North, South</option>' in html
    assert "By area (level 1)" in html
    assert "Area (level 1) × Race/ethnicity" in html
    assert "breakdown.csv?" in html
