"""Fixtures built once per test session and put back for each test that uses them.

Building the demo (`load_demo`) takes many seconds, the cast of people per role a tenth of
one; putting their rows back takes a fraction of that. `capture` runs a build in a
transaction it rolls back and keeps every row it added; `restore` puts those rows back
(COPY on PostgreSQL, INSERTs on SQLite) in the test's own transaction, or committed for
browser tests on `transactional_db`. The demo (`demo_snapshot`, also keeping what it
printed) and the cast (`BuiltOnce`) are taken once per session, so once per xdist worker.
Tests of the demo's builder itself (it rebuilds, it is the same every time) still call it.

The snapshot refuses to be taken if the build changed or removed a row that existed before
it, or points at one (a content type, say, is re-created with another id after a flush):
such a row could not be put back as it was."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from io import StringIO
from typing import Generic, TypeVar

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from backbone.demo import content
from backbone.initiatives.models import Initiative

T = TypeVar("T")


@dataclass(frozen=True)
class TableRows:
    table: str
    columns: tuple[str, ...]
    rows: list[tuple]
    max_pk: int | None  # the largest integer primary key among the rows, for its sequence
    pk: str | None


@dataclass(frozen=True)
class Snapshot:
    built_on: date  # the demo's dates run up to the day it was built
    output: str  # what `load_demo` printed: the sign-ins
    tables: tuple[TableRows, ...]

    @property
    def rows(self) -> int:
        return sum(len(t.rows) for t in self.tables)


class _Undo(Exception):
    pass


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _read(cursor, table: str) -> tuple[tuple[str, ...], list[tuple]]:
    # No ORDER BY: rows come back in the order they are stored, and go back in that order,
    # so a query without ORDER BY reads them as it read the build's.
    cursor.execute(f"SELECT * FROM {_quote(table)}")
    return tuple(d[0] for d in cursor.description), cursor.fetchall()


def _read_all() -> dict[str, tuple[str | None, tuple[str, ...], list[tuple]]]:
    introspection = connection.introspection
    found = {}
    with connection.cursor() as cursor:
        for table in introspection.table_names(cursor):
            pk = introspection.get_primary_key_column(cursor, table)
            columns, rows = _read(cursor, table)
            found[table] = (pk, columns, rows)
    return found


def _added(before, after) -> list[TableRows]:
    """The rows the build added, per table; refuses rows it changed or removed."""
    tables = []
    for table, (pk, columns, rows) in after.items():
        old_rows = before.get(table, (pk, columns, []))[2]
        if pk is None:
            old = set(old_rows)
            if not old <= set(rows):
                raise RuntimeError(f"The demo build removed or changed rows of {table}.")
            new = [row for row in rows if row not in old]
        else:
            at = columns.index(pk)
            old = {row[at]: row for row in old_rows}
            kept = {row[at]: row for row in rows if row[at] in old}
            if kept != old:
                raise RuntimeError(f"The demo build removed or changed rows of {table}.")
            new = [row for row in rows if row[at] not in old]
        if not new:
            continue
        ids = [row[columns.index(pk)] for row in new] if pk else []
        max_pk = max(ids) if ids and all(isinstance(i, int) for i in ids) else None
        tables.append(TableRows(table, columns, new, max_pk, pk))
    return tables


def _refuse_links_to_older_rows(tables: list[TableRows], before) -> None:
    """A new row may point only at another new row: older ones may not be there, or not with
    the same id, when the snapshot is put back."""
    older = {table: (columns, rows) for table, (_, columns, rows) in before.items() if rows}
    with connection.cursor() as cursor:
        for t in tables:
            relations = connection.introspection.get_relations(cursor, t.table)
            for column, (target_column, target) in relations.items():
                if target not in older:
                    continue
                columns, rows = older[target]
                at, there = t.columns.index(column), columns.index(target_column)
                linked = {row[at] for row in t.rows} & {row[there] for row in rows}
                if linked:
                    raise RuntimeError(
                        f"The demo build links {t.table}.{column} to rows of {target} that "
                        f"existed before it ({sorted(linked)[:5]}); they cannot be put back."
                    )


def _advance_sequences(tables: list[TableRows]) -> None:
    """Move each table's id sequence past the snapshot's ids, never back: rows made by a
    test (before or after the restore) never take a snapshot's id."""
    with_ids = [(t.table, t.pk, t.max_pk) for t in tables if t.max_pk is not None]
    if not with_ids:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s, %s, %s)"] * len(with_ids))
            cursor.execute(
                f"""
                SELECT setval(s, m) FROM (
                    SELECT pg_get_serial_sequence(quote_ident(t), c)::regclass AS s, m
                    FROM (VALUES {values}) AS v (t, c, m)
                ) AS q
                WHERE s IS NOT NULL AND coalesce(pg_sequence_last_value(s), 0) < m
                """,
                [value for row in with_ids for value in row],
            )
        elif connection.vendor == "sqlite":
            for table, _, max_pk in with_ids:
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                found = cursor.fetchone()
                if found is None:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, max_pk]
                    )
                elif found[0] < max_pk:
                    cursor.execute(
                        "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [max_pk, table]
                    )


def capture(build: Callable[[], T]) -> tuple[tuple[TableRows, ...], T]:
    """Run `build` in a transaction, keep the rows it added, and undo it: (rows, what it
    returned). Its ids stay taken: the sequences move past them, so no later row gets one."""
    try:
        with transaction.atomic():
            before = _read_all()
            built = build()
            tables = _added(before, _read_all())
            _refuse_links_to_older_rows(tables, before)
            raise _Undo
    except _Undo:
        pass
    _advance_sequences(tables)
    _clear_caches()
    return tuple(tables), built


def demo_capture() -> Snapshot:
    """Build the demo (as on a fresh database: load_demo loads the frameworks it needs
    itself), keep what it added, and undo it."""
    built_on = timezone.localdate()
    printed = StringIO()
    tables, _ = capture(lambda: call_command("load_demo", stdout=printed))
    return Snapshot(built_on=built_on, output=printed.getvalue(), tables=tables)


def _batches(rows: list[tuple], size: int) -> Iterator[list[tuple]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _clear_caches() -> None:
    # An answer cached for another test's rows (the dashboards' are filed under a values
    # version the snapshot brings back) must not be read for these.
    for cache in caches.all(initialized_only=True):
        cache.clear()


def _insert(cursor, t: TableRows) -> None:
    into = f"{_quote(t.table)} ({', '.join(map(_quote, t.columns))})"
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {into} FROM STDIN") as copy:
            for row in t.rows:
                copy.write_row(row)
        return
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    one = "(" + ", ".join(["%s"] * len(t.columns)) + ")"
    for batch in _batches(t.rows, max(1, limit // len(t.columns))):
        cursor.execute(
            f"INSERT INTO {into} VALUES " + ", ".join([one] * len(batch)),
            [value for row in batch for value in row],
        )


def restore(tables: tuple[TableRows, ...]) -> None:
    """Put captured rows back in the current transaction (committed on transactional_db)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are DEFERRABLE: checked at commit, whatever the order.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for t in tables:
            _insert(cursor, t)
    if connection.vendor == "postgresql":
        # SQLite moves its sequences past inserted ids itself.
        _advance_sequences(list(tables))
    _clear_caches()


def demo_restore(snapshot: Snapshot) -> Initiative:
    """Put the demo's rows back; returns the initiative."""
    restore(snapshot.tables)
    return Initiative.objects.get(slug=content.INITIATIVE["slug"])


class DemoSnapshot:
    """The session's demo: taken once, and again if the day has changed since (the demo's
    dates, and the tests', count from today)."""

    def __init__(self) -> None:
        self._snapshot: Snapshot | None = None

    def current(self) -> Snapshot:
        if self._snapshot is None or self._snapshot.built_on != timezone.localdate():
            self._snapshot = demo_capture()
        return self._snapshot

    def restore(self) -> Initiative:
        return demo_restore(self.current())


class BuiltOnce(Generic[T]):
    """Any fixture's rows, built once a session (and again on a new day: dates count from
    today) and put back for each test; each test gets its own copy of what the build
    returned, pointing at the rows put back."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._taken: tuple[date, tuple[TableRows, ...], T] | None = None

    def take(self) -> None:
        """Take the snapshot now (outside any test's transaction), to restore it later."""
        if self._taken is None or self._taken[0] != timezone.localdate():
            self._taken = (timezone.localdate(), *capture(self._build))

    def restore(self) -> T:
        self.take()
        _, tables, built = self._taken
        restore(tables)
        return copy.deepcopy(built)


def once_per_session(build: Callable[[], T]):
    """A session fixture holding `build`'s rows, taken outside any test's transaction; a
    test's fixture calls its `restore()`. `build` starts from an empty database: it makes
    everything it needs (the cast too), since it may point at no row it did not make."""

    @pytest.fixture(scope="session")
    def snapshot(django_db_setup, django_db_blocker) -> BuiltOnce[T]:
        once = BuiltOnce(build)
        with django_db_blocker.unblock():
            once.take()
        return once

    return snapshot
