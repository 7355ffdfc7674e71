"""A table that grows by more than a tenth inside an import is analysed before the roll-ups
of the same transaction are planned (`rollups.analyze_grown`; both intakes say how many
rows they added): planned for an empty table, a ten-million-row import's roll-ups took five
minutes instead of one."""

from __future__ import annotations

import pytest
from django.db import connection

from backbone.measurement.intake.sets import execute
from backbone.measurement.rollups import analyze_grown

pytestmark = pytest.mark.integration

TABLE = "planner_figures"


def _add(rows: int) -> None:
    execute(
        f"INSERT INTO {TABLE} WITH RECURSIVE s(n) AS "
        f"(SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {rows}) SELECT n FROM s"
    )


def _known_rows() -> float:
    return execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])[0][0]


@pytest.fixture
def grown(db):
    execute(f"CREATE TABLE {TABLE} (n integer)")
    _add(20_000)
    return TABLE


def test_a_table_grown_by_more_than_a_tenth_is_analysed(grown):
    if connection.vendor != "postgresql":
        analyze_grown(grown, 20_000)  # SQLite plans without figures: nothing to do
        return
    assert _known_rows() <= 0  # never analysed: the planner would guess
    analyze_grown(grown, 20_000)
    assert _known_rows() == 20_000


def test_a_small_growth_is_left_to_autovacuum(grown):
    if connection.vendor != "postgresql":
        return  # SQLite plans without figures
    execute(f"ANALYZE {grown}")
    _add(1_500)
    analyze_grown(grown, 1_500)  # under a tenth of what the planner knows
    assert _known_rows() == 20_000
    _add(9_000)
    analyze_grown(grown, 9_000)  # fewer rows than any refresh is planned wrong for
    assert _known_rows() == 20_000
