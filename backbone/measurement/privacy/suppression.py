"""Small-number suppression for published statistics.

A figure built from fewer people than the initiative's small-number threshold could identify
someone, so public and funder pages, charts and exports hide it (*primary* suppression). Hiding
it is not enough when the table also shows totals: with a total and all but one of its parts
shown, the missing part is a subtraction away. *Complementary* suppression hides further
figures until no hidden figure can be worked out from the shown ones.

The arithmetic a reader can do is described by relations, ``total = sum(parts)``. Every figure
is treated as an unknown; shown figures move to the right-hand side, leaving a linear system
``A x = b`` over the hidden figures only. A hidden figure ``x_i`` is recoverable exactly when
the unit vector ``e_i`` lies in the row space of ``A``. We test that with Gaussian elimination
over exact rationals: after reduction to row echelon form, ``e_i`` is in the row space iff some
reduced row is ``e_i`` itself. The per-relation rule "never exactly one hidden member" is
applied first because it is cheap, but it is not sufficient for cross-tabs (two hidden
rectangles joined by a single hidden cell satisfy it, yet that cell is determined), so the
exact check runs after it and hides one more figure at a time until nothing is recoverable.

Conventions:

* ``people`` is None for a gap (no data). A gap is not shown, but it is not a secret either:
  nobody is behind it, so it counts as a known 0 in every relation and is never hidden.
* A figure with data from 0 people identifies nobody: it is shown, known, and never used as a
  complement (hiding a zero would only tell the reader that the hidden cells together hold
  exactly the small number).
* Complements are chosen by fewest people, then parts before totals (the number of relations
  a figure is the total of), then ``repr`` of the key, so the result does not depend on the
  order of ``people`` or ``relations``. Keys should therefore have distinct reprs.
* Tables are per period: call once per table.

When totals equal the sum of their parts, the result never leaves a hidden figure
recoverable; in the worst case every figure with people in the table is hidden.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

People = Decimal | int | None


@dataclass(frozen=True)
class Relation:
    """total = sum(parts): a margin or grand total and the cells it adds up."""

    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def members(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)


def one_way(*, total: Hashable, parts: Iterable[Hashable]) -> tuple[Relation, ...]:
    """The relation of a one-dimensional breakdown: the total and the groups it is split into."""
    return (Relation(total=total, parts=tuple(parts)),)


def cross_tab(*, rows: Sequence[Hashable], columns: Sequence[Hashable]) -> tuple[Relation, ...]:
    """The relations of a two-way table with margins.

    A cell is ``(row, column)``, a row margin ``(row, None)``, a column margin
    ``(None, column)`` and the grand total ``(None, None)``; so None cannot be a row or column.
    The grand total is related to both sets of margins, as both are usually published.
    """
    rows, columns = tuple(rows), tuple(columns)
    if None in rows or None in columns:
        raise ValueError("None marks a margin in a cross-tab; it cannot be a row or column key")
    if len(set(rows)) != len(rows) or len(set(columns)) != len(columns):
        raise ValueError("row and column keys must be distinct")
    return (
        *(Relation(total=(r, None), parts=tuple((r, c) for c in columns)) for r in rows),
        *(Relation(total=(None, c), parts=tuple((r, c) for r in rows)) for c in columns),
        Relation(total=(None, None), parts=tuple((r, None) for r in rows)),
        Relation(total=(None, None), parts=tuple((None, c) for c in columns)),
    )


def primary(*, people: Mapping[Hashable, People], threshold: int) -> frozenset[Hashable]:
    """Figures built from some, but fewer than ``threshold``, people."""
    return frozenset(k for k, n in people.items() if n is not None and 0 < n < threshold)


def recoverable(*, hidden: Set[Hashable], relations: Sequence[Relation]) -> frozenset[Hashable]:
    """The hidden figures a reader can compute exactly from everything else through the relations.

    Every member of a relation that is not in ``hidden`` (shown figures, gaps) counts as known.
    The elimination runs modulo two large primes, in whole-row numpy steps: a figure
    recoverable over the rationals is recoverable modulo a prime unless the prime divides a
    minor of the small-integer system, so the union over two primes misses nothing in
    practice, and what it finds beyond the rationals' answer is only hidden once more.
    """
    columns = sorted(hidden, key=_order)
    index = {key: i for i, key in enumerate(columns)}
    rows = _rows(relations, index)
    if not rows:
        return frozenset()
    matrix = np.array(rows, dtype=np.int64)
    found: set[int] = set()
    for prime in _PRIMES:
        found |= _unit_rows(matrix % prime, prime)
    return frozenset(columns[i] for i in found)


_PRIMES = (2_147_483_647, 2_147_483_629)  # below 2^31: a product of two fits in int64


def _rows(relations: Sequence[Relation], index: Mapping[Hashable, int]) -> list[list[int]]:
    """Each relation as a row over the hidden figures (total +1, parts -1); known members
    move to the right-hand side, and rows without a hidden member are left out."""
    rows = []
    for relation in relations:
        row = [0] * len(index)
        for key, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if key in index:
                row[index[key]] += sign
        if any(row):
            rows.append(row)
    return rows


def _unit_rows(matrix: np.ndarray, prime: int) -> set[int]:
    """Columns i for which e_i is in the row space of `matrix` modulo `prime` (reduced row
    echelon form; a row with a single non-zero entry is a unit vector)."""
    rank, (height, width) = 0, matrix.shape
    for col in range(width):
        below = np.flatnonzero(matrix[rank:, col])
        if not below.size:
            continue
        pivot = rank + int(below[0])
        if pivot != rank:
            matrix[[rank, pivot]] = matrix[[pivot, rank]]
        inverse = pow(int(matrix[rank, col]), prime - 2, prime)
        matrix[rank] = matrix[rank] * inverse % prime
        others = np.flatnonzero(matrix[:, col])
        others = others[others != rank]
        if others.size:
            matrix[others] = (matrix[others] - np.outer(matrix[others, col], matrix[rank])) % prime
        rank += 1
        if rank == height:
            break
    reduced = matrix[:rank]
    single = np.flatnonzero(np.count_nonzero(reduced, axis=1) == 1)
    return {int(np.flatnonzero(reduced[r])[0]) for r in single}


def suppressed(
    *,
    people: Mapping[Hashable, People],
    relations: Sequence[Relation],
    threshold: int,
) -> frozenset[Hashable]:
    """The keys to hide: primary (0 < people < threshold) and complementary.

    ``people`` must hold every key named in ``relations``; keys in no relation are only ever
    hidden as primary.
    """
    for key, n in people.items():
        if n is not None and n < 0:
            raise ValueError(f"negative number of people for {key!r}: {n}")
    missing = {key for relation in relations for key in relation.members if key not in people}
    if missing:
        raise ValueError(f"relations name figures without people: {sorted(missing, key=_order)}")

    relations = sorted(
        set(relations), key=lambda r: (_order(r.total), [_order(p) for p in r.parts])
    )
    times_total = Counter(relation.total for relation in relations)

    def hideable(key: Hashable) -> bool:
        n = people[key]
        return n is not None and n > 0

    def rank(key: Hashable) -> tuple:
        return (people[key], times_total[key], _order(key))

    hidden = set(primary(people=people, threshold=threshold))
    while True:
        _no_lone_hidden(hidden, relations, hideable, rank)
        exposed = recoverable(hidden=hidden, relations=relations)
        if not exposed:
            return frozenset(hidden)
        # Hide next to a recoverable figure if possible; otherwise anywhere the hidden
        # figures are connected to, since the recovery may run through other relations.
        for touching in (exposed, hidden):
            shown = {
                key
                for relation in relations
                if touching.intersection(relation.members)
                for key in relation.members
                if key not in hidden and hideable(key)
            }
            if shown:
                hidden.add(min(shown, key=rank))
                break
        else:
            return frozenset(hidden)  # nothing left to hide: totals disagree with their parts


def _no_lone_hidden(
    hidden: set[Hashable],
    relations: Sequence[Relation],
    hideable: Callable[[Hashable], bool],
    rank: Callable[[Hashable], tuple],
) -> None:
    """Hide a complement in every relation with exactly one hidden member, until none is left."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            members = set(relation.members)
            shown = {key for key in members - hidden if hideable(key)}
            if len(members & hidden) == 1 and shown:
                hidden.add(min(shown, key=rank))
                changed = True


def _order(key: Hashable) -> tuple[str, str]:
    """A total order on keys of any type that does not depend on insertion order."""
    return (type(key).__name__, repr(key))
