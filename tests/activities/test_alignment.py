"""The gap and overlap rules on small hand-built cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backbone.activities import alignment
from backbone.activities.alignment import (
    Item,
    overlap,
    overlaps,
    place_gaps,
    strategy_gaps,
)

pytestmark = pytest.mark.unit

# city › north › (mill, cedar); city › south
PARENTS = {"city": None, "north": "city", "mill": "north", "cedar": "north", "south": "city"}


def item(key, partner="A", status="active", strategies=("s1",), places=("mill",), **extra):
    return Item(
        key=key,
        partner=partner,
        status=status,
        strategies=frozenset(strategies),
        places=frozenset(places),
        groups=frozenset(extra.pop("groups", ())),
        starts_on=extra.pop("starts_on", date(2024, 1, 1)),
        ends_on=extra.pop("ends_on", None),
    )


def test_strategy_gaps_lists_strategies_without_active_activity():
    items = [item(1, strategies=("s1",)), item(2, strategies=("s2",), status="planned")]
    assert strategy_gaps(items, ["s1", "s2", "s3"]) == ["s2", "s3"]


def test_place_gaps_neighbourhood_activity_counts_toward_district():
    assert place_gaps([item(1, places=("mill",))], PARENTS) == ["cedar", "south"]


def test_place_gaps_district_activity_serves_its_neighbourhoods():
    assert place_gaps([item(1, places=("north",))], PARENTS) == ["south"]


def test_place_gaps_paused_activity_does_not_serve():
    assert place_gaps([item(1, places=("north",), status="paused")], PARENTS) == [
        "north",
        "mill",
        "cedar",
        "south",
    ]


def test_place_gaps_city_activity_serves_everywhere():
    assert place_gaps([item(1, places=("city",))], PARENTS) == []


def test_overlap_touching_date_ranges_overlap():
    a = item(1, ends_on=date(2024, 6, 30))
    b = item(2, partner="B", starts_on=date(2024, 6, 30))
    assert overlap(a, b, PARENTS) is not None


def test_overlap_ranges_a_day_apart_do_not_overlap():
    a = item(1, ends_on=date(2024, 6, 29))
    b = item(2, partner="B", starts_on=date(2024, 6, 30))
    assert overlap(a, b, PARENTS) is None


def test_overlap_open_ended_activity_is_ongoing():
    a = item(1)
    b = item(2, partner="B", starts_on=date(2030, 1, 1), ends_on=date(2030, 2, 1))
    assert overlap(a, b, PARENTS) is not None


def test_overlap_parent_place_and_its_child_overlap():
    a = item(1, places=("north",))
    b = item(2, partner="B", places=("mill",))
    assert overlap(a, b, PARENTS) is not None


def test_overlap_sibling_places_do_not_overlap():
    a = item(1, places=("mill",))
    b = item(2, partner="B", places=("cedar",))
    assert overlap(a, b, PARENTS) is None


def test_overlap_paused_activity_does_not_overlap():
    a = item(1)
    b = item(2, partner="B", status="paused")
    assert overlap(a, b, PARENTS) is None


def test_overlap_same_partner_twice_is_not_an_overlap():
    assert overlaps([item(1), item(2)], PARENTS) == []


def test_overlap_needs_a_shared_strategy():
    a = item(1, strategies=("s1",))
    b = item(2, partner="B", strategies=("s2",))
    assert overlap(a, b, PARENTS) is None


def test_overlap_same_population_group_overlaps():
    a = item(1, groups=("black", "latino"))
    b = item(2, partner="B", groups=("latino",))
    found = overlap(a, b, PARENTS)
    assert found is not None and found.groups == {"latino"}


def test_overlap_group_and_everyone_do_not_overlap():
    a = item(1, groups=("black",))
    b = item(2, partner="B")
    assert overlap(a, b, PARENTS) is None


def test_overlap_both_for_everyone_overlap():
    found = overlap(item(1), item(2, partner="B"), PARENTS)
    assert found is not None and found.groups == frozenset()


def test_overlaps_lists_each_pair_once():
    found = overlaps([item(1), item(2, partner="B"), item(3, partner="C")], PARENTS)
    assert [(o.first, o.second) for o in found] == [(1, 2), (1, 3), (2, 3)]


def _naive_overlaps(items, parents):
    active = [i for i in items if i.is_active]
    found = []
    for n, a in enumerate(active):
        for b in active[n + 1 :]:
            hit = alignment.overlap(a, b, parents)
            if hit is not None:
                found.append(hit)
    return found


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_overlaps_found_area_by_area_are_those_of_every_pair(data):
    # Two cities, each with two districts of two neighbourhoods.
    parents = {"c1": None, "c2": None}
    for c in ("c1", "c2"):
        for d in ("a", "b"):
            parents[f"{c}{d}"] = c
            for n in ("1", "2"):
                parents[f"{c}{d}{n}"] = f"{c}{d}"
    place = st.sampled_from(sorted(parents))
    items = [
        alignment.Item(
            key=k,
            partner=data.draw(st.integers(0, 3)),
            status=data.draw(st.sampled_from(["active", "active", "paused"])),
            strategies=frozenset(data.draw(st.sets(st.integers(0, 2), min_size=1, max_size=2))),
            places=frozenset(data.draw(st.sets(place, max_size=2))),
            groups=frozenset(data.draw(st.sets(st.integers(0, 1), max_size=1))),
            starts_on=date(2024, 1, 1) + timedelta(days=data.draw(st.integers(0, 60))),
            ends_on=data.draw(
                st.one_of(st.none(), st.just(date(2024, 2, 1)), st.just(date(2024, 4, 1)))
            ),
        )
        for k in range(data.draw(st.integers(0, 14)))
    ]
    items = [i for i in items if i.ends_on is None or i.ends_on >= i.starts_on]
    assert alignment.overlaps(items, parents) == _naive_overlaps(items, parents)
