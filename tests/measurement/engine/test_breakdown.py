"""Breakdowns, filters, places within places, cross-tab margins, partners and time series."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backbone.initiatives.models import Partner
from backbone.measurement import aggregation as engine

from .conftest import row, submit

pytestmark = pytest.mark.integration

D = Decimal


def _enrolment(world):
    """The sum indicator with values in three neighbourhoods, for two partners."""
    ind = world.by_cells["sum"]
    jan = world.months[0]
    a, b = world.partners[:2]
    submit(
        world,
        [
            row(ind, jan, a, {"area": "n1", "race": "black"}, value=10),
            row(ind, jan, a, {"area": "n2", "race": "latino"}, value=20),
            row(ind, jan, a, {"area": "s1", "race": "black"}, value=5),
        ],
    )
    submit(world, [row(ind, jan, b, {"area": "n1", "race": "white"}, value=1)])
    return ind, jan


def _values(parts):
    return {tuple(g.key for g in key): r.value for key, r in parts.items()}


def test_district_is_the_sum_of_its_neighbourhoods(world):
    ind, jan = _enrolment(world)

    by_district = engine.breakdown(ind, by=engine.Level(world.area, depth=1), periods=[jan])

    assert _values(by_district) == {("north",): D(31), ("south",): D(5)}
    assert by_district[(world.g("area:north"),)].partners == 2
    assert by_district[(world.g("area:north"),)].values == 3


def test_level_below_a_place_is_its_children(world):
    ind, jan = _enrolment(world)

    assert _values(
        engine.breakdown(ind, by=engine.Level.below(world.g("area:city")), periods=[jan])
    ) == {
        ("north",): D(31),
        ("south",): D(5),
    }
    assert _values(
        engine.breakdown(ind, by=engine.Level.below(world.g("area:north")), periods=[jan])
    ) == {
        ("n1",): D(11),
        ("n2",): D(20),
    }


def test_top_level_is_the_whole_place(world):
    ind, jan = _enrolment(world)

    city = engine.breakdown(ind, by=engine.Level(world.area, depth=0), periods=[jan])

    assert _values(city) == {("city",): D(36)}
    assert engine.aggregate(ind, periods=[jan]).value == D(36)


def test_plain_place_dimension_breaks_down_by_the_places_reported_on_with_gaps(world):
    ind, jan = _enrolment(world)

    assert _values(engine.breakdown(ind, by=world.area, periods=[jan])) == {
        ("n1",): D(11),
        ("n2",): D(20),
        ("s1",): D(5),
        ("s2",): None,
        ("s3",): None,
    }


def test_a_level_is_a_depth_or_a_place_not_both(world):
    with pytest.raises(ValueError):
        engine.Level(world.area)
    with pytest.raises(ValueError):
        engine.Level(world.area, depth=1, under=world.g("area:city"))


def test_filter_on_a_district_includes_its_neighbourhoods(world):
    ind, jan = _enrolment(world)

    assert engine.aggregate(ind, periods=[jan], groups=[world.g("area:north")]).value == D(31)
    assert engine.aggregate(ind, periods=[jan], groups=[world.g("area:city")]).value == D(36)
    assert engine.aggregate(ind, periods=[jan], groups=[world.g("area:s2")]).value is None


def test_filters_on_one_dimension_widen_and_on_two_narrow(world):
    ind, jan = _enrolment(world)
    g = world.g

    assert engine.aggregate(
        ind, periods=[jan], groups=[g("race:black"), g("race:white")]
    ).value == D(16)
    assert engine.aggregate(
        ind, periods=[jan], groups=[g("race:black"), g("area:north")]
    ).value == D(10)
    assert engine.aggregate(
        ind, periods=[jan], groups=[g("race:black"), g("race:latino"), g("area:north")]
    ).value == D(30)


def test_filter_on_a_dimension_the_indicator_is_not_reported_by_is_a_gap(world):
    ind, jan = _enrolment(world)
    low = world.measured.income.groups.get(key="low")

    assert engine.aggregate(ind, periods=[jan], groups=[low]).value is None


def test_filter_accepts_group_ids(world):
    ind, jan = _enrolment(world)

    assert engine.aggregate(ind, periods=[jan], groups=[world.g("race:black").pk]).value == D(15)


def test_cross_tab_keys_follow_by_and_cover_every_combination(world):
    ind, jan = _enrolment(world)

    parts = engine.breakdown(ind, by=[engine.Level(world.area, depth=1), world.race], periods=[jan])

    assert list(_values(parts)) == [
        ("north", "black"),
        ("north", "latino"),
        ("north", "white"),
        ("south", "black"),
        ("south", "latino"),
        ("south", "white"),
    ]
    assert _values(parts)[("north", "white")] == D(1)
    assert _values(parts)[("south", "white")] is None
    swapped = engine.breakdown(ind, by=[world.race, world.area], periods=[jan])
    assert _values(swapped)[("black", "n1")] == D(10)


def test_breakdown_with_filter_keeps_every_key(world):
    ind, jan = _enrolment(world)

    parts = engine.breakdown(ind, by=world.race, periods=[jan], groups=[world.g("area:south")])

    assert _values(parts) == {("black",): D(5), ("latino",): None, ("white",): None}


def test_breakdown_by_a_dimension_the_indicator_lacks_is_refused(world):
    ind, jan = _enrolment(world)

    with pytest.raises(ValueError, match="not reported by income"):
        engine.breakdown(ind, by=world.measured.income, periods=[jan])


def test_race_margin_of_race_by_income_rate_is_recomputed_from_the_cells(cast, measured, world):
    ind = measured.readiness
    year = measured.periods["SY2024-25"]
    a, b = world.partners[:2]

    def rate(partner, race, income, num, den):
        return row(
            ind, year, partner, {"race": race, "income": income}, numerator=num, denominator=den
        )

    submit(
        world,
        [
            rate(a, "black", "low", 30, 60),
            rate(a, "black", "other", 20, 40),
            rate(a, "latino", "low", 10, 20),
        ],
    )
    submit(world, [rate(b, "black", "low", 5, 50)])

    by_race = engine.breakdown(ind, by=measured.race, periods=[year])
    by_income = engine.breakdown(ind, by=measured.income, periods=[year])

    assert _values(by_race) == {("black",): D("36.666667"), ("latino",): D(50), ("white",): None}
    black = by_race[(measured.race.groups.get(key="black"),)]
    assert (black.numerator, black.denominator, black.partners) == (D(55), D(150), 2)
    assert _values(by_income) == {("low",): D("34.615385"), ("other",): D(50)}
    assert engine.aggregate(ind, periods=[year]).value == D("38.235294")  # 65 / 170


def test_by_partner_lists_every_partner_with_gaps(world):
    ind, jan = _enrolment(world)

    per = engine.by_partner(ind, periods=[jan])

    in_order = Partner.objects.filter(initiative=world.cast.initiative).values_list("pk", flat=True)
    assert [p.pk for p in per] == list(in_order)  # by organisation name, as partners list
    assert {p.pk: r.value for p, r in per.items()} == {
        world.partners[0].pk: D(35),
        world.partners[1].pk: D(1),
        world.partners[2].pk: None,
        world.partners[3].pk: None,
    }
    assert all(r.partners == 1 for r in per.values() if r.value is not None)


def test_by_partner_with_chosen_partners_and_a_filter(world):
    ind, jan = _enrolment(world)
    a, b = world.partners[:2]

    per = engine.by_partner(ind, periods=[jan], partners=[b.pk, a], groups=[world.g("race:black")])

    assert {p.pk: r.value for p, r in per.items()} == {a.pk: D(15), b.pk: None}


def test_series_is_in_time_order_with_gaps(world):
    ind = world.plain["sum"]
    jan, feb, mar = world.months[:3]
    a = world.partners[0]
    submit(world, [row(ind, jan, a, value=3)])
    submit(world, [row(ind, mar, a, value=4)])

    points = engine.series(ind, periods=[mar, feb, jan])

    assert [(p.code, r.value) for p, r in points] == [
        ("2024-01", D(3)),
        ("2024-02", None),
        ("2024-03", D(4)),
    ]


def test_a_value_on_a_district_counts_for_the_district_and_the_city(world):
    """Values belong on the smallest places; one reported on a district is still counted
    where it lies, and is left out of a breakdown finer than itself."""
    ind, jan = _enrolment(world)
    submit(world, [row(ind, jan, world.partners[2], {"area": "south", "race": "black"}, value=100)])

    assert engine.aggregate(ind, periods=[jan], groups=[world.g("area:south")]).value == D(105)
    assert _values(engine.breakdown(ind, by=engine.Level(world.area, depth=1), periods=[jan])) == {
        ("north",): D(31),
        ("south",): D(105),
    }
    plain = _values(engine.breakdown(ind, by=world.area, periods=[jan]))
    assert plain[("south",)] == D(100) and plain[("s1",)] == D(5)
    neighbourhoods = engine.breakdown(ind, by=engine.Level(world.area, depth=2), periods=[jan])
    assert sum(r.value or 0 for r in neighbourhoods.values()) == D(36)


def test_shared_layout_gives_the_same_answers(world):
    ind, jan = _enrolment(world)
    layout = engine.Layout(ind.initiative_id)

    assert engine.aggregate(ind, periods=[jan], layout=layout) == engine.aggregate(
        ind, periods=[jan]
    )
    assert engine.breakdown(ind, by=world.race, periods=[jan], layout=layout) == engine.breakdown(
        ind, by=world.race, periods=[jan]
    )
