"""The columns a file may have, and `column_map`: which of a file's columns carries which
field or dimension, every unknown, missing or doubled column refused at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ...problems import IntakeRefused
from .header import column_letter, unnamed_column
from .problems import Problems

#: Fields the intake reads, by the column that carries them.
FIELDS = ("indicator", "period", "partner", "value", "numerator", "denominator", "n", "missing")
VALUE_FIELDS = ("value", "numerator", "denominator", "n")
REQUIRED_FIELDS = ("indicator", "period")
#: Columns a downloaded template adds for people to read; they are never read back.
IGNORED_COLUMNS = ("groups", "indicator name", "last value", "notes")


def _normal(name: str) -> str:
    return " ".join(name.split()).lower()


@dataclass(frozen=True)
class ColumnMap:
    """Which of the file's columns carries which field."""

    fields: dict[str, str]  # field → the file's column
    dimensions: dict[str, str]  # dimension key → the file's column
    unnamed: tuple[str, ...]  # columns without a header: must stay empty

    @property
    def columns(self) -> dict[str, str]:
        """field (or dimension key) → the file's column, for the intake's messages."""
        return {**self.fields, **self.dimensions}


def column_map(
    header: list[str], *, dimension_keys: list[str], many_partners: bool, problems: Problems
) -> ColumnMap:
    """Match the header to fields (case and spaces ignored); refuse unknown and missing
    columns, and columns named twice, all at once."""
    known = {f: f for f in FIELDS} | {_normal(k): k for k in dimension_keys}
    ignored = set(IGNORED_COLUMNS)
    fields: dict[str, str] = {}
    dimensions: dict[str, str] = {}
    unnamed: list[str] = []
    seen: dict[str, str] = {}
    errors_before = problems.count
    for i, column in enumerate(header):
        if column == unnamed_column(i):
            unnamed.append(column)
            continue
        name = _normal(column)
        if name in seen:
            problems.add(
                _(
                    "the column “%(column)s” appears twice (columns %(first)s and %(second)s); "
                    "keep one"
                )
                % {"column": column, "first": seen[name], "second": column_letter(i)},
                1,
                column,
            )
            continue
        seen[name] = column_letter(i)
        if name in ignored:
            continue
        target = known.get(name)
        if target is None:
            expected = ", ".join([*FIELDS, *dimension_keys])
            problems.add(
                _(
                    "unknown column “%(column)s”: the columns are %(expected)s (and, from a "
                    "template, %(ignored)s)"
                )
                % {"column": column, "expected": expected, "ignored": ", ".join(IGNORED_COLUMNS)},
                1,
                column,
            )
        elif target in FIELDS:
            fields[target] = column
        else:
            dimensions[target] = column
    missing = [f for f in REQUIRED_FIELDS if f not in fields]
    if not any(f in fields for f in VALUE_FIELDS):
        # the four are column names, which stay as they are
        missing.append(
            pgettext(
                "columns of which a file must have one",
                "%(value)s or %(numerator)s or %(denominator)s or %(n)s",
            )
            % {f: f for f in VALUE_FIELDS}
        )
    if many_partners and "partner" not in fields:
        missing.append("partner")
    if missing:
        problems.add(
            ngettext("missing column: %(columns)s", "missing columns: %(columns)s", len(missing))
            % {"columns": ", ".join(missing)},
            1,
        )
    if problems.count > errors_before:
        raise IntakeRefused(problems.items, problems.count)
    return ColumnMap(fields=fields, dimensions=dimensions, unnamed=tuple(unnamed))
