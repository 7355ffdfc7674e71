"""Small-number suppression: primary and complementary hiding in one-way tables and cross-tabs."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backbone.measurement.privacy.suppression import (
    Relation,
    cross_tab,
    one_way,
    primary,
    recoverable,
    suppressed,
)

pytestmark = pytest.mark.unit


def exposed(hidden, relations):
    """Hidden figures a reader can compute, by matrix rank: independent of the module's check.

    Shown figures and gaps are known. x_i is determined iff e_i lies in the row space of the
    system restricted to the hidden figures, i.e. iff appending e_i does not raise the rank.
    """
    columns = sorted(hidden, key=repr)
    if not columns:
        return set()
    matrix = np.zeros((len(relations), len(columns)))
    for r, relation in enumerate(relations):
        for c, key in enumerate(columns):
            matrix[r, c] = (key == relation.total) - relation.parts.count(key)
    rank = np.linalg.matrix_rank(matrix)
    return {
        key
        for c, key in enumerate(columns)
        if np.linalg.matrix_rank(np.vstack([matrix, np.eye(len(columns))[c]])) == rank
    }


def table(cells):
    """People for a cross-tab from {(row, col): people}, margins adding up the cells."""
    rows = sorted({r for r, _ in cells})
    columns = sorted({c for _, c in cells})

    def add(values):
        known = [v for v in values if v is not None]
        return sum(known) if known else None

    people = dict(cells)
    for r in rows:
        people[r, None] = add(cells[r, c] for c in columns)
    for c in columns:
        people[None, c] = add(cells[r, c] for r in rows)
    people[None, None] = add(people[r, None] for r in rows)
    return people, cross_tab(rows=rows, columns=columns)


# Hand-built cases


def test_suppressed_nothing_small_hides_nothing():
    people = {"all": 60, "a": 10, "b": 20, "c": 30}
    hidden = suppressed(people=people, relations=one_way(total="all", parts="abc"), threshold=10)
    assert hidden == frozenset()


def test_suppressed_one_small_part_hides_smallest_other_part():
    people = {"all": 60, "a": 4, "b": 12, "c": 20, "d": 24}
    hidden = suppressed(people=people, relations=one_way(total="all", parts="abcd"), threshold=10)
    assert hidden == {"a", "b"}


def test_suppressed_small_total_hides_total_and_its_parts():
    people = {"all": 7, "a": 5, "b": 2, "c": 0}
    hidden = suppressed(people=people, relations=one_way(total="all", parts="abc"), threshold=10)
    assert hidden == {"all", "a", "b"}


def test_suppressed_small_total_with_one_part_hides_both():
    people = {"all": 6, "a": 6, "b": 0}
    hidden = suppressed(people=people, relations=one_way(total="all", parts="ab"), threshold=10)
    assert hidden == {"all", "a"}


def test_suppressed_zero_is_neither_hidden_nor_complement():
    people = {"all": 30, "a": 3, "zero": 0, "b": 27}
    relations = one_way(total="all", parts=["a", "zero", "b"])
    assert suppressed(people=people, relations=relations, threshold=10) == {"a", "b"}
    assert primary(people={"zero": 0}, threshold=10) == frozenset()


def test_suppressed_gap_is_neither_hidden_nor_complement():
    people = {"all": 30, "a": 3, "gap": None, "b": 27}
    relations = one_way(total="all", parts=["a", "gap", "b"])
    assert suppressed(people=people, relations=relations, threshold=10) == {"a", "b"}


def test_suppressed_gap_counts_as_known_zero():
    # With the gap known to be 0, a lone hidden part is the total minus the shown parts.
    relations = one_way(total="all", parts=["a", "gap", "b"])
    assert recoverable(hidden={"a"}, relations=relations) == {"a"}


def test_suppressed_threshold_boundary():
    people = {"below": 9, "at": 10, "decimal_below": Decimal("9.5"), "decimal_at": Decimal("10")}
    assert suppressed(people=people, relations=(), threshold=10) == {"below", "decimal_below"}


def test_suppressed_cross_tab_one_small_cell_hides_rectangle():
    people, relations = table(
        {
            ("x", "p"): 3,
            ("x", "q"): 15,
            ("x", "r"): 40,
            ("y", "p"): 12,
            ("y", "q"): 20,
            ("y", "r"): 50,
        }
    )
    hidden = suppressed(people=people, relations=relations, threshold=10)
    assert hidden == {("x", "p"), ("x", "q"), ("y", "p"), ("y", "q")}
    assert not exposed(hidden, relations)


def test_suppressed_bridge_between_rectangles_hides_one_more():
    # Two hidden 2x2 rectangles joined by one hidden cell, (a, y): every row and column has
    # at least two hidden cells, yet (a, y) = rows a+b minus columns w+x.
    small = {
        ("a", "w"): 3, ("a", "x"): 4, ("b", "w"): 5, ("b", "x"): 6, ("a", "y"): 1,
        ("c", "y"): 2, ("c", "z"): 7, ("d", "y"): 8, ("d", "z"): 9,
    }  # fmt: skip
    large = {("b", "y"): 40, ("a", "z"): 45, ("b", "z"): 50, ("c", "w"): 60}
    large |= {("c", "x"): 61, ("d", "w"): 62, ("d", "x"): 63}
    people, relations = table(small | large)

    touched = [set(r.members) & set(small) for r in relations]
    assert all(len(h) != 1 for h in touched)
    assert exposed(set(small), relations) == {("a", "y")}
    assert recoverable(hidden=set(small), relations=relations) == {("a", "y")}

    hidden = suppressed(people=people, relations=relations, threshold=10)
    assert hidden == set(small) | {("b", "y")}
    assert not exposed(hidden, relations)


def test_suppressed_overlapping_subtotal_exposes_cell_linear_check_catches():
    # A subtotal (ab = a + b) next to the total: hiding a, b, c leaves two hidden in every
    # relation, yet c = (all - d) - ab.
    people = {"all": 100, "a": 4, "b": 30, "ab": 34, "c": 5, "d": 61}
    relations = (*one_way(total="all", parts="abcd"), Relation(total="ab", parts=("a", "b")))
    assert exposed({"a", "b", "c"}, relations) == {"c"}

    hidden = suppressed(people=people, relations=relations, threshold=10)
    assert hidden == {"a", "b", "c", "d"}
    assert not exposed(hidden, relations)


def test_suppressed_keys_outside_relations_only_primary():
    people = {"lonely": 3, "crowd": 300}
    assert suppressed(people=people, relations=(), threshold=10) == {"lonely"}


def test_suppressed_relation_without_people_raises():
    with pytest.raises(ValueError, match="without people"):
        suppressed(people={"all": 20}, relations=one_way(total="all", parts="a"), threshold=10)


def test_suppressed_negative_people_raises():
    with pytest.raises(ValueError, match="negative"):
        suppressed(people={"a": -1}, relations=(), threshold=10)


def test_cross_tab_none_key_raises():
    with pytest.raises(ValueError, match="margin"):
        cross_tab(rows=["x", None], columns=["p"])


def test_cross_tab_relations_cover_margins_and_grand_total():
    relations = set(cross_tab(rows=["x", "y"], columns=["p"]))
    assert relations == {
        Relation(total=("x", None), parts=(("x", "p"),)),
        Relation(total=("y", None), parts=(("y", "p"),)),
        Relation(total=(None, "p"), parts=(("x", "p"), ("y", "p"))),
        Relation(total=(None, None), parts=(("x", None), ("y", None))),
        Relation(total=(None, None), parts=((None, "p"),)),
    }


# Properties over random tables

PEOPLE = st.one_of(st.none(), st.just(0), st.integers(1, 30), st.integers(100, 5_000))


@st.composite
def one_way_tables(draw, values=PEOPLE):
    parts = draw(st.lists(values, min_size=1, max_size=6))
    known = [n for n in parts if n is not None]
    people = {f"g{i}": n for i, n in enumerate(parts)}
    people["all"] = sum(known) if known else None
    return people, one_way(total="all", parts=[f"g{i}" for i in range(len(parts))])


@st.composite
def two_way_tables(draw, values=PEOPLE):
    n_rows, n_columns = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    cells = {(f"r{r}", f"c{c}"): draw(values) for r in range(n_rows) for c in range(n_columns)}
    return table(cells)


TABLES = st.one_of(one_way_tables(), two_way_tables())


@settings(deadline=None, max_examples=200)
@given(tables=TABLES, threshold=st.integers(1, 15))
def test_suppressed_random_table_hides_primary_and_leaves_nothing_recoverable(tables, threshold):
    people, relations = tables
    hidden = suppressed(people=people, relations=relations, threshold=threshold)
    small = {k for k, n in people.items() if n is not None and 0 < n < threshold}
    assert small <= hidden
    assert all(people[k] for k in hidden)  # never a gap or a zero
    assert not exposed(hidden, relations)


@settings(deadline=None)
@given(tables=TABLES, threshold=st.integers(1, 15), data=st.data())
def test_suppressed_random_table_ignores_input_order(tables, threshold, data):
    people, relations = tables
    hidden = suppressed(people=people, relations=relations, threshold=threshold)
    shuffled_people = dict(data.draw(st.permutations(list(people.items()))))
    shuffled_relations = data.draw(st.permutations(relations))
    shuffled_relations = [
        Relation(total=r.total, parts=tuple(data.draw(st.permutations(r.parts))))
        for r in shuffled_relations
    ]
    again = suppressed(people=shuffled_people, relations=shuffled_relations, threshold=threshold)
    assert again == hidden


@settings(deadline=None)
@given(threshold=st.integers(1, 15), data=st.data())
def test_suppressed_random_table_without_small_numbers_hides_nothing(threshold, data):
    values = st.one_of(st.none(), st.just(0), st.integers(threshold, 5_000))
    people, relations = data.draw(st.one_of(one_way_tables(values), two_way_tables(values)))
    assert suppressed(people=people, relations=relations, threshold=threshold) == frozenset()
