"""The pictures' shared geometry: bars proportional to their values, empty and odd values
drawn as nothing rather than a broken bar, and colours that stand out from the page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from backbone import charts

pytestmark = pytest.mark.unit

STYLESHEET = Path(charts.__file__).parent / "web" / "static" / "backbone" / "charts.css"


@pytest.mark.parametrize(
    ("value", "most", "length"),
    [
        (50, 100, 50.0),
        (Decimal("180472.46"), Decimal("420000"), 43.0),
        (1, 3, 33.3),
        (3, 3, 100.0),
        (0, 100, 0.0),
        (None, 100, 0.0),
        (-5, 100, 0.0),
        (5, 0, 0.0),
        (5, None, 0.0),
        (150, 100, 100.0),
    ],
)
def test_proportion_is_a_share_of_the_largest_held_to_the_box(value, most, length):
    assert charts.proportion(value, most) == length


def test_proportion_keeps_bars_in_the_ratio_of_their_values():
    values = [Decimal(v) for v in (120, 60, 30, 15)]
    lengths = [charts.proportion(v, max(values)) for v in values]
    assert lengths == [100.0, 50.0, 25.0, 12.5]


@pytest.mark.parametrize(
    ("value", "low", "high", "at"),
    [(3, 1, 5, 50.0), (1, 1, 5, 0.0), (5, 1, 5, 100.0), (Decimal("2.8"), 1, 5, 45.0)],
)
def test_position_places_a_mean_on_its_scale(value, low, high, at):
    assert charts.position(value, low, high) == at


@pytest.mark.parametrize(("value", "low", "high"), [(None, 1, 5), (0, 1, 5), (9, 1, 5), (3, 5, 5)])
def test_position_stays_inside_the_box(value, low, high):
    assert 0.0 <= charts.position(value, low, high) <= 100.0


@pytest.mark.parametrize(
    ("value", "most", "shade"),
    [(0, 6, 0), (None, 6, 0), (1, 6, 1), (2, 6, 2), (3, 6, 2), (6, 6, 4), (1, 1, 4), (1, 0, 0)],
)
def test_level_shades_darker_as_a_value_nears_the_largest(value, most, shade):
    assert charts.level(value, most) == shade


def test_contrast_matches_the_wcag_examples():
    assert charts.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert charts.contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert charts.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_series_colours_stand_out_from_the_page_and_match_the_stylesheet():
    declared = charts.declared_colours(STYLESHEET, "series-")
    assert declared == {str(n): colour for n, colour in enumerate(charts.SERIES)}
    for colour in charts.SERIES:
        assert charts.least_contrast(colour) >= charts.GRAPHIC_CONTRAST, colour


def test_series_class_cycles_through_the_palette():
    assert [charts.series_class(n) for n in (0, 6, 7)] == ["series-0", "series-6", "series-0"]
