"""An adversary against small-number suppression: for random tables, a reader without the
small-numbers right asks every question the series API accepts (every combination of group
filters, unions of groups of one dimension included, at every level of a place hierarchy) and
reads the indicator page and the public scorecard (the objects the pages, the scorecard CSV and
the embed render). Every figure obtained is a sum of the table's atoms — its full cells, and
the totals of partners who reported no cells — so the reader knows a linear system. Solved
exactly over the rationals, no figure from fewer people than the threshold may be determined.
"""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date
from fractions import Fraction
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from backbone.dashboards.indicator_page import indicator_page
from backbone.dashboards.scorecard import scorecard
from backbone.measurement import aggregation as engine
from backbone.measurement.approval import submission_approve
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import Group
from backbone.measurement.privacy import disclosure
from backbone.measurement.selectors import indicator_in
from tests.measurement.conftest import make_dimension, make_indicator, make_period

pytestmark = pytest.mark.integration

THRESHOLD = 10
RACES = ("a", "b")
INCOMES = ("low", "other")
# Places: district d1 holds n1 and n2; d2 has none inside it. Values are reported on n1, n2,
# d2, and sometimes on d1 itself.
PLACES = (("d1", "D1", None), ("n1", "N1", "d1"), ("n2", "N2", "d1"), ("d2", "D2", None))
REPORTED_ON = ("n1", "n2", "d2", "d1")
WITHIN = {"d1": {"d1", "n1", "n2"}, "n1": {"n1"}, "n2": {"n2"}, "d2": {"d2"}}
STAND_IN = "stand-in"


class Table:
    """The atoms of one period: (race, income, place reported on) → (numerator, people)."""

    def __init__(self, cells: dict, stand_in: int | None):
        self.cells = {k: v for k, v in cells.items() if v is not None}
        self.stand_in = stand_in
        self.atoms = [*sorted(self.cells), STAND_IN]

    def vector(self, races=None, incomes=None, places=None, *, total=False) -> tuple:
        """The atoms a figure adds up (1) and leaves out (0)."""
        reach = set().union(*(WITHIN[p] for p in places)) if places else None
        found = []
        for atom in self.atoms:
            if atom == STAND_IN:
                found.append(int(total and self.stand_in is not None))
                continue
            race, income, place = atom
            found.append(
                int(
                    (races is None or race in races)
                    and (incomes is None or income in incomes)
                    and (reach is None or place in reach)
                )
            )
        return tuple(found)

    def people(self, vector) -> int:
        sizes = [self.cells[a][1] if a != STAND_IN else (self.stand_in or 0) for a in self.atoms]
        return sum(n for n, used in zip(sizes, vector, strict=True) if used)


def cell_values():
    people = st.one_of(st.none(), st.integers(1, 6), st.integers(7, 40))
    return people.flatmap(
        lambda n: st.none() if n is None else st.integers(0, n).map(lambda k: (k, n))
    )


def tables():
    atoms = list(itertools.product(RACES, INCOMES, REPORTED_ON))
    return st.builds(
        Table,
        st.fixed_dictionaries({a: cell_values() for a in atoms}),
        st.one_of(st.none(), st.integers(1, 6), st.integers(10, 30)),
    )


class Basis:
    """Row-reduced rational vectors: what the reader knows, and what it implies."""

    def __init__(self, width: int):
        self.rows: dict[int, list[Fraction]] = {}  # pivot column → row
        self.width = width

    def reduce(self, vector) -> list[Fraction]:
        row = [Fraction(v) for v in vector]
        for col, pivot in self.rows.items():
            if row[col]:
                factor = row[col]
                row = [a - factor * b for a, b in zip(row, pivot, strict=True)]
        return row

    def add(self, vector) -> None:
        row = self.reduce(vector)
        col = next((i for i, v in enumerate(row) if v), None)
        if col is None:
            return
        row = [v / row[col] for v in row]
        for other, pivot in self.rows.items():
            if pivot[col]:
                factor = pivot[col]
                self.rows[other] = [a - factor * b for a, b in zip(pivot, row, strict=True)]
        self.rows[col] = row

    def determines(self, vector) -> bool:
        return not any(self.reduce(vector))


@pytest.fixture
def world(cast):
    i = cast.initiative
    i.visibility = "public"
    i.small_number_threshold = THRESHOLD
    i.save()
    race = make_dimension(i, "race", "Race", list(RACES))
    income = make_dimension(i, "income", "Income", list(INCOMES))
    place = make_dimension(i, "place", "Place", list(PLACES), is_geography=True)
    ind = make_indicator(
        i,
        "ready",
        "rate",
        (race, income, place),
        unit="percent",
        visibility="public",
        frequency="month",
    )
    return cast, ind


def write(cast, ind, table: Table, n: int):
    """The table as one period's approved reports: cells by partner A, the stand-in as a total
    by partner B."""
    period = make_period(cast.initiative, "month", date(2000 + n // 12, n % 12 + 1, 1))
    rows = [
        Reported(
            indicator=ind.code,
            period=period.code,
            groups={"race": r, "income": m, "place": p},
            partner=cast.partner_a.organisation.slug,
            numerator=k,
            denominator=people,
        )
        for (r, m, p), (k, people) in table.cells.items()
    ]
    if table.stand_in is not None:
        rows.append(
            Reported(
                indicator=ind.code,
                period=period.code,
                groups={},
                partner=cast.partner_b.organisation.slug,
                numerator=0,
                denominator=table.stand_in,
            )
        )
    if rows:
        intake = Intake(
            initiative=cast.initiative, by=cast.staff, channel="csv", many_partners=True
        )
        submission_approve(submission=intake.submit(rows, status="submitted"), by=cast.staff)
    return period


def subsets(keys):
    return [None] + [
        set(c) for n in range(1, len(keys) + 1) for c in itertools.combinations(keys, n)
    ]


def obtained(cast, ind, period, table: Table) -> list[tuple]:
    """(vector, denominator shown) of every figure the reader can obtain for the period."""
    client, found = Client(), []
    url = f"/api/initiatives/{cast.initiative.slug}/indicators/{ind.code}/series"
    places = [key for key, _, _ in PLACES]
    for races, incomes, where in itertools.product(
        subsets(RACES), subsets(INCOMES), subsets(places)
    ):
        groups = [f"race:{r}" for r in sorted(races or ())]
        groups += [f"income:{m}" for m in sorted(incomes or ())]
        groups += [f"place:{p}" for p in sorted(where or ())]
        response = client.get(url + "?" + urlencode({"period": period.code, "group": groups}, True))
        assert response.status_code == 200, response.content
        (point,) = response.json()["points"]
        if point["denominator"] is not None:
            vector = table.vector(races, incomes, where, total=not groups)
            found.append((vector, int(Fraction(point["denominator"]))))
    page = indicator_page(
        initiative=cast.initiative,
        indicator=indicator_in(cast.initiative, ind.code),
        person=AnonymousUser(),
        period=period,
    )
    for point in page.row.points:
        if point.period.pk == period.pk and point.value is not None:
            found.append((table.vector(total=True), None))
    keyed = {"race": "races", "income": "incomes", "place": "places"}
    for dim, values in page.breakdowns:
        for group, value in values.items():
            if value is not None:
                exactly = {keyed[dim.key]: {group.key}}
                found.append((_exactly(table, **exactly), None))
    if page.cross_tab is not None:
        rows, columns = page.cross_tab.rows, page.cross_tab.columns
        for r, c in itertools.product(rows, columns):
            if page.cross_tab.cells.get((r.pk, c.pk)) is not None:
                found.append((table.vector({r.key}, {c.key}), None))
    found += chosen_tables(client, cast, ind, period, table)
    card = scorecard(initiative=cast.initiative, person=None, public_only=True)
    for row in card.rows:
        for point in row.points:
            if point.period.pk == period.pk and point.value is not None:
                found.append((table.vector(total=True), None))
        for gap in filter(lambda g: g.gap is not None, row.gaps):
            if row.current and row.current.period.pk == period.pk:
                for group in (gap.gap.best, gap.gap.worst):
                    exactly = {keyed[gap.dimension.key]: {group.key}}
                    found.append((_exactly(table, **exactly), None))
    return found


# Every axis a reader may choose: each dimension as reported, and the places at each level.
AXES = ("race", "income", "place", "place:0", "place:1")
LEVELS = {"place:0": ("d1", "d2"), "place:1": ("n1", "n2")}


def chosen_tables(client, cast, ind, period, table: Table) -> list[tuple]:
    """Every breakdown and cross-tab the reader may choose — any dimension, any pair, places
    at any level — read through the API's breakdown and the page's CSV of the same tables."""
    found = []
    api = f"/api/initiatives/{cast.initiative.slug}/indicators/{ind.code}/breakdown"
    choices = [[a] for a in AXES] + [
        [a, b] for a, b in itertools.combinations(AXES, 2) if a[:5] != b[:5]
    ]
    for by in choices:
        response = client.get(api + "?" + urlencode({"period": period.code, "by": by}, True))
        assert response.status_code == 200, (by, response.content)
        for figure in response.json()["figures"]:
            if figure["value"] is None:
                continue
            sets: dict = {}
            reported_on = None
            for spec in by:
                key = figure["groups"][spec.partition(":")[0]]
                if spec == "place" and key == "d1":
                    reported_on = key  # as reported, a place with places inside: its own
                elif spec.startswith("place"):
                    sets["places"] = {key}
                else:
                    sets[{"race": "races", "income": "incomes"}[spec]] = {key}
            if reported_on is not None:
                found.append((_exactly(table, **sets, places={reported_on}), None))
            else:
                found.append((table.vector(**sets), None))
    export = f"/i/{cast.initiative.slug}/scorecard/indicators/{ind.code}/breakdown.csv"
    for level in LEVELS:
        response = client.get(export + "?" + urlencode({"period": period.code, "level": level}))
        assert response.status_code == 200, response.content
        lines = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        for _, _, name, row, _, value, _ in list(lines)[1:]:
            if value and name == level:
                found.append((table.vector(places={row}), None))
    found += place_scorecards(cast, period, table)
    return found


def place_scorecards(cast, period, table: Table) -> list[tuple]:
    """The public scorecard of each place: its figure, and the groups its equity gaps name
    within it (the places inside it, or another dimension's groups there)."""
    found = []
    for key, _, _ in PLACES:
        place = Group.objects.select_related("dimension").get(dimension__key="place", key=key)
        card = scorecard(initiative=cast.initiative, person=None, public_only=True, place=place)
        for row in card.rows:
            for point in row.points:
                if point.period.pk == period.pk and point.value is not None:
                    found.append((table.vector(places={key}), None))
            if not (row.current and row.current.period.pk == period.pk):
                continue
            for gap in filter(lambda g: g.gap is not None, row.gaps):
                for group in (gap.gap.best, gap.gap.worst):
                    if gap.dimension.key == "place":
                        found.append((table.vector(places={group.key}), None))
                    else:
                        plural = {"race": "races", "income": "incomes"}[gap.dimension.key]
                        found.append((table.vector(places={key}, **{plural: {group.key}}), None))
    return found


def _exactly(table: Table, races=None, incomes=None, places=None) -> tuple:
    """A breakdown's group as a page shows it: a place is the values reported on it alone."""
    vector = table.vector(races, incomes)
    if places is None:
        return vector
    (place,) = places
    return tuple(
        v and int(atom != STAND_IN and atom[2] == place)
        for v, atom in zip(vector, table.atoms, strict=True)
    )


def secrets(table: Table) -> list[tuple]:
    """Every figure a request could ask for, or an atom, built from 0 < n < threshold people."""
    places = [key for key, _, _ in PLACES]
    found = {tuple(int(a == b) for b in table.atoms) for a in table.atoms if a != STAND_IN}
    for races, incomes, where in itertools.product(
        subsets(RACES), subsets(INCOMES), subsets(places)
    ):
        found.add(table.vector(races, incomes, where, total=not (races or incomes or where)))
    return [v for v in found if 0 < table.people(v) < THRESHOLD]


# The attack of the issue — a small race × income cell beside its groups' totals — with a
# small total-only report; and small values reported on a district beside its neighbourhoods.
FOUND = Table(
    {(r, m, p): (9, 25) for r in RACES for m in INCOMES for p in ("n1", "d2")}
    | {("a", "low", "n1"): (3, 7)},
    4,
)
ON_THE_DISTRICT = Table(
    {(r, m, p): (12, 30) for r in RACES for m in INCOMES for p in ("n1", "n2", "d2")}
    | {("a", "low", "d1"): (1, 3), ("b", "other", "d1"): (20, 40), ("b", "low", "n2"): (2, 5)},
    None,
)


def test_no_hidden_figure_can_be_solved_for_from_everything_a_reader_obtains(world):
    cast, ind = world
    count = itertools.count()

    @settings(
        max_examples=4,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # a shrink costs minutes of page reads
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(tables())
    @example(FOUND)
    @example(ON_THE_DISTRICT)
    def attempt(table):
        period = write(cast, ind, table, next(count))
        figures = obtained(cast, ind, period, table)
        for vector, denominator in figures:
            if denominator is not None:  # the API's numbers are the table's own
                assert denominator == table.people(vector)
        known = Basis(len(table.atoms))
        # Atoms without people are known zeros, and the stand-in is known to its partner.
        for i, atom in enumerate(table.atoms):
            if atom == STAND_IN or table.cells[atom][1] == 0:
                known.add([int(j == i) for j in range(len(table.atoms))])
        for vector, _ in figures:
            known.add(vector)
        solved = [v for v in secrets(table) if known.determines(v)]
        assert not solved, f"{len(solved)} small figures can be solved for, e.g. {solved[0]}"

    attempt()


def test_the_attack_that_was_found_is_closed(world):
    """A cell of race × income, asked for with one group of each, beside the groups alone:
    the cell must be hidden, and so must enough of the rest that it stays unknown."""
    cast, ind = world
    big = {(r, m, "n1"): (10, 40) for r in RACES for m in INCOMES}
    big[("a", "low", "n1")] = (3, 7)
    table = Table(big, None)
    period = write(cast, ind, table, 500)
    url = f"/api/initiatives/{cast.initiative.slug}/indicators/{ind.code}/series"

    def ask(*groups):
        query = urlencode({"period": period.code, "group": list(groups)}, True)
        return Client().get(f"{url}?{query}").json()["points"][0]

    assert ask("race:a", "income:low")["suppressed"]
    assert ask("race:a", "income:low")["numerator"] is None
    shown = [ask("race:a"), ask("income:low"), ask("race:a", "income:other")]
    shown += [ask("race:b", "income:low"), ask()]
    # Race a = 7 + 40, low income = 7 + 40, the cross cells of 40: one of each pair is hidden.
    assert sum(point["suppressed"] for point in shown) >= 2
    staff = Client()
    staff.force_login(cast.staff)
    query = urlencode({"period": period.code, "group": ["race:a", "income:low"]}, True)
    assert staff.get(f"{url}?{query}").json()["points"][0]["denominator"] == "7"


def test_a_large_cube_is_decided_over_its_published_tables_and_bounds_the_api(world, monkeypatch):
    cast, ind = world
    # 54 figures in all; 34 choose at most two of the three dimensions.
    monkeypatch.setattr(disclosure, "MAX_FIGURES", 40)
    cells = {(r, m, p): (5, 30) for r in RACES for m in INCOMES for p in ("n1", "n2", "d2")}
    cells[("a", "low", "n1")] = (1, 4)
    period = write(cast, ind, Table(cells, None), 600)
    layout = engine.Layout(cast.initiative.pk)
    decided = disclosure.decisions(layout, [ind], [period], threshold=THRESHOLD, version=None)[
        (ind.pk, period.pk)
    ]
    assert decided.most_chosen == 2
    groups = {g.key: g for g in layout.groups.values()}
    assert not decided.shows_selection(layout, [groups["b"], groups["other"], groups["n2"]])
    assert decided.hides(
        decided.figure(
            layout, {g.dimension_id: g.pk for g in (groups["b"], groups["other"], groups["n2"])}
        )
    )
    assert decided.shows_selection(layout, [groups["b"], groups["other"]])
    # The one small cell is a three-way figure: never published, so no pair need hide.
    small = {g.dimension_id: g.pk for g in (groups["a"], groups["low"], groups["n1"])}
    assert decided.hides(decided.figure(layout, small)) and not decided.hidden
