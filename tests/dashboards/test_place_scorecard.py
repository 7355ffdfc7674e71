"""The scorecard of one place: each indicator broken down by place, with the place's figures
rolled up from the places inside it, its own baselines and targets, and the same hiding of
small figures as every other table. Figures are recomputed with pandas over the stored rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from backbone.dashboards.scorecard import places_of, scorecard
from backbone.measurement.models import Target
from backbone.measurement.services_setup import target_set

pytestmark = pytest.mark.integration


def _places(setting):
    return [g for key, g in setting.groups.items() if key.startswith("area:")]


def test_every_place_scorecard_equals_the_reference(setting, ref):
    initiative = setting.cast.initiative
    depths = ref.depths()
    for place in _places(setting):
        card = scorecard(initiative=initiative, person=setting.cast.staff, place=place)
        assert card.place == place
        shown = {row.indicator.pk for row in card.rows}
        assert shown == {setting.readiness.pk, setting.enrolled.pk}
        assert {i.pk for i in card.not_by_place} == {setting.score.pk, setting.absent.pk}
        for row in card.rows:
            for point in row.points:
                axes = [(setting.area.pk, depths[place.pk])]
                expected = ref.at_level(row.indicator, point.period, axes)
                value = expected.get((place.pk,), (None, None))[0]
                assert point.value == value, (place.key, row.indicator.code, point.period)


def test_readers_without_the_right_read_place_figures_or_nothing(setting, ref):
    initiative = setting.cast.initiative
    depths = ref.depths()
    hidden_small = 0
    for person, public in ((AnonymousUser(), True), (setting.cast.funder, False)):
        for place in _places(setting):
            card = scorecard(initiative=initiative, person=person, public_only=public, place=place)
            for row in card.rows:
                for point in row.points:
                    axes = [(setting.area.pk, depths[place.pk])]
                    expected = ref.at_level(row.indicator, point.period, axes)
                    value, people = expected.get((place.pk,), (None, None))
                    if ref.small(people):
                        assert point.value is None and point.hidden
                        hidden_small += 1
                    else:
                        assert point.value in (None, value)
                # the gaps within a place are between figures this reader may see
                for gap in row.gaps:
                    if gap.gap is not None:
                        assert None not in (gap.gap.best_value, gap.gap.worst_value)
    assert hidden_small, "the data has small place figures to hide"


def test_a_place_is_compared_with_its_own_baseline_and_target(setting):
    initiative = setting.cast.initiative
    north = setting.groups["area:north"]
    whole = scorecard(initiative=initiative, person=setting.cast.staff)
    assert any(r.baseline for r in whole.rows if r.indicator.pk == setting.readiness.pk)
    card = scorecard(initiative=initiative, person=setting.cast.staff, place=north)
    (row,) = [r for r in card.rows if r.indicator.pk == setting.readiness.pk]
    assert row.baseline is None and row.target is None and row.change is None
    target_set(
        indicator=setting.readiness,
        by=setting.cast.staff,
        kind=Target.Kind.BASELINE,
        period=setting.months[0],
        value=Decimal("40"),
        group=north,
    )
    card = scorecard(initiative=initiative, person=setting.cast.staff, place=north)
    (row,) = [r for r in card.rows if r.indicator.pk == setting.readiness.pk]
    assert row.baseline.value == Decimal("40")
    assert row.change is not None
    assert row.change.difference == row.current.value - Decimal("40")


def test_the_place_is_chosen_on_the_page_and_in_the_csv(setting):
    client = Client()
    client.force_login(setting.cast.staff)
    slug = setting.cast.initiative.slug
    html = client.get(f"/i/{slug}/scorecard/?place=area:south").content.decode()
    assert "<h1>Scorecard: South</h1>" in html
    assert '<option value="area:south" selected>' in html
    assert "export.csv?place=area:south" in html
    response = client.get(f"/i/{slug}/scorecard/export.csv?place=area:south")
    assert "area-south" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    card = scorecard(
        initiative=setting.cast.initiative,
        person=setting.cast.staff,
        place=setting.groups["area:south"],
    )
    assert {r["indicator"] for r in rows} == {row.indicator.code for row in card.rows}
    for r in rows:
        (row,) = [x for x in card.rows if x.indicator.code == r["indicator"]]
        (point,) = [p for p in row.points if p.period.code == r["period"]]
        assert (Decimal(r["value"]) if r["value"] else None) == point.value


@pytest.mark.parametrize("spec", ["area:nowhere", "race:black", "area"])
def test_a_place_that_is_not_one_is_refused_by_name(setting, spec):
    client = Client()
    client.force_login(setting.cast.staff)
    slug = setting.cast.initiative.slug
    for url in (f"/i/{slug}/scorecard/", f"/i/{slug}/scorecard/export.csv"):
        response = client.get(url, {"place": spec})
        assert response.status_code == 400
        assert spec in response.content.decode()


def test_places_are_listed_top_first_in_each_branch(setting):
    found = places_of(setting.cast.initiative)
    assert (found[0][0].key, found[0][1]) == ("city", 0)
    for i, (group, depth) in enumerate(found):
        if group.parent_id is None:
            assert depth == 0
            continue
        # the nearest place above it in the list, one level up, is its parent
        above = next(g for g, d in reversed(found[:i]) if d == depth - 1)
        assert above.pk == group.parent_id
    assert {g.key for g, _ in found} == {g.key for g in _places(setting)}
