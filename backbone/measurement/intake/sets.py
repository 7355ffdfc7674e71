"""The set-based intake: a staged file (`intake.staging`) checked in SQL, as sets, and
written by INSERT … SELECT — the same checks as the row-by-row intake, at the database's
speed. This module holds what its stages share; `set_codes` looks each code up once,
`set_checks` resolves the rows and checks them, `set_writing` writes them.

Each code a file uses (indicator, period, partner, groups, reason for a blank) is looked up
once, however many rows carry it; the numbers are checked in SQL as whole millionths
(integers: exact on both databases), every row at once; duplicates and totals against their
parts by GROUP BY. What the set-based checks do not settle with certainty — a problem of
any kind, a number written in a way people write it ("1,234", "45 %"), a code with spaces
around it — raises `Unsure`, and the caller hands the file to the row-by-row reader,
which names every problem (file, row, column, reason) in the same words as before. The
set-based path therefore accepts exactly what the row reader accepts and stores the same
numbers; what it refuses, the row reader explains.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from .. import missing
from .staging import column, drop

MICRO = 1_000_000
TOO_LARGE_MICRO = 10**14 * MICRO  # a stored number is below 10^14
DISAGREES_MICRO = 50_000  # a rate's value may differ from numerator / denominator by 0.05
BOUND_MICRO = 4 * 10**18  # beyond every number the set-based checks take (12 digits)
ROWS = "intake_rows"
LOOKUPS = (
    "intake_indicators",
    "intake_periods",
    "intake_partners",
    "intake_reasons",
    "intake_cells",
)
#: A number the set-based checks read: twelve digits at most, six decimal places at most.
NUMBER_PATTERN = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$"
VALUE_FIELDS = ("value", "numerator", "denominator", "n")
SHORT = {"value": "v", "numerator": "num", "denominator": "den", "n": "w"}


class Unsure(Exception):
    """The set-based checks leave this file to the row-by-row reader."""


@dataclass(frozen=True)
class Layout:
    """Where each field is in the staging table."""

    fields: dict[str, str]  # field → staging column
    dimensions: list[tuple[str, str]]  # (dimension key, staging column), in the file's order
    unnamed: list[str]

    @classmethod
    def of(
        cls,
        header: list[str],
        *,
        fields: dict[str, str],
        dimensions: dict[str, str],
        unnamed: tuple[str, ...],
    ) -> Layout:
        """From the file's header and which of its columns carries which field."""
        at = {name: column(i) for i, name in enumerate(header)}
        return cls(
            fields={f: at[name] for f, name in fields.items()},
            dimensions=[(key, at[name]) for key, name in dimensions.items()],
            unnamed=[at[name] for name in unnamed],
        )

    @property
    def value_columns(self) -> list[str]:
        return [self.fields[f] for f in (*VALUE_FIELDS, "missing") if f in self.fields]

    @property
    def read_columns(self) -> list[str]:
        keys = [self.fields[f] for f in ("indicator", "period", "partner") if f in self.fields]
        return keys + [c for _, c in self.dimensions] + self.value_columns


def text(c: str | None) -> str:
    """A staged column's text; '' for a field the file does not have."""
    return c or "''"


def kept(layout: Layout) -> str:
    """The rows the row reader keeps: those with a value or a reason for its absence."""
    return "(" + " OR ".join(f"trim({text(c)}) <> ''" for c in layout.value_columns) + ")"


def execute(sql: str, params=None) -> list[tuple]:
    """Run one statement; its rows, if it returns any. Without parameters the SQL is sent
    as written (a LIKE's % is no placeholder)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


def create(table: str, columns: str, rows: list[tuple]) -> None:
    drop(table)
    execute(f"CREATE TEMP TABLE {table} ({columns})")
    if rows:
        marks = ", ".join(["%s"] * len(rows[0]))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    analyze(table)


def analyze(table: str) -> None:
    """Give PostgreSQL's planner the size of a temporary table, which autovacuum never
    looks at: without it, a join of a million staged rows to a lookup of fifty may be
    planned as a loop over both."""
    if connection.vendor == "postgresql":
        execute(f"ANALYZE {table}")


def symbol(c: str) -> str:
    """Whether a staged cell holds a GSS symbol for a blank: [x], [c] or [z]."""
    signs = ", ".join(f"'{sign}'" for sign in missing.SYMBOLS)
    return f"(lower(trim({c})) IN ({signs}))"
