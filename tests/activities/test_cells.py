"""The alignment matrix's cells: a count, the first five names, escaped."""

from dataclasses import dataclass

import pytest

from backbone.activities.templatetags.activity_cells import activity_cell

pytestmark = pytest.mark.unit


@dataclass
class Ref:
    uuid: str
    name: str


def test_cell_names_five_activities_and_counts_the_rest():
    cell = [Ref(f"u{n}", f"Activity {n}") for n in range(7)]
    html = activity_cell(cell, "/i/riverton/activities/")
    assert html.startswith("<strong>7</strong>")
    assert html.count("<li><a ") == 5 and "and 2 more" in html
    assert '<a href="/i/riverton/activities/u0/">Activity 0</a>' in html


def test_cell_escapes_names_and_shows_a_dash_when_empty():
    html = activity_cell([Ref("u1", "<script>alert(1)</script> & co")], "/a/")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "—" in activity_cell([], "/a/")
