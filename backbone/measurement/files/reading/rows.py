"""`reported_rows`: a reader's rows as the intake's `Reported` rows, lazily, with the problems
of a single cell (a formula, a date for a period code) found on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...intake import Reported
from ...missing import SYMBOLS
from .columns import VALUE_FIELDS, ColumnMap
from .header import short_text
from .problems import Problems

FORMULA_REASON = gettext_lazy("formula cells are not accepted; paste values")

#: Dates where a period code belongs: 2024-03-01, 01/03/2024, 3/2024, Mar-24, March 2024.
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
OTHER_DATES = (
    re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$"),
    re.compile(r"^\d{1,2}/\d{4}$"),
    re.compile(r"^[A-Za-z]{3,9}[\- ]'?\d{2,4}$"),
)
PERIOD_CODES = gettext_lazy("2024-03 for a month, 2024Q1, 2024, SY2024-25 or FY2024-25")


def period_problem(text: str) -> str | None:
    """A date typed where a period code belongs, and what to type instead."""
    iso = ISO_DATE.match(text)
    if iso:
        year, month = int(iso.group(1)), int(iso.group(2))
        return _(
            "%(text)s is a date, not a period code: for that month type %(month)s; other "
            "periods read like 2024Q1, 2024, SY2024-25 or FY2024-25. If a spreadsheet turned "
            "your code into a date, format the period column as Text and type it again"
        ) % {"text": repr(text), "month": f"{year}-{month:02d}"}
    if any(p.match(text) for p in OTHER_DATES):
        return _("%(text)s is a date, not a period code: use codes such as %(codes)s") % {
            "text": repr(text),
            "codes": PERIOD_CODES,
        }
    return None


def _clean(text: str | None) -> str | None:
    """Undo the apostrophe a safe export puts before = + - @ (a spreadsheet hides it)."""
    if text and text[0] == "'" and len(text) > 1 and text[1] in "=+-@":
        return text[1:]
    return text


def reported_rows(
    rows: Iterator[tuple[int, dict[str, str]]], *, columns: ColumnMap, problems: Problems
) -> Iterator[Reported]:
    """The file's rows as `Reported` rows, lazily. Blank rows, and rows that give no value and
    no reason for its absence (a template's cells left empty), are skipped; a row with a
    problem found here is not passed on. Written for speed: a million rows pass through
    here."""
    fields = columns.fields
    dims = list(columns.dimensions.items())
    named = columns.columns
    c_ind, c_per, c_partner = fields["indicator"], fields["period"], fields.get("partner")
    c_value, c_num, c_den, c_n = (fields.get(f) for f in VALUE_FIELDS)
    c_missing = fields.get("missing")
    value_columns = [c for c in (c_value, c_num, c_den, c_n, c_missing) if c]
    read = [c for c in (c_ind, c_per, c_partner) if c] + [c for _, c in dims] + value_columns
    unnamed = columns.unnamed
    periods_seen: dict[str, str | None] = {}  # period text → the problem with it, or None
    for number, cells in rows:
        get = cells.get
        if not any(t and not t.isspace() for t in map(get, value_columns)):
            continue
        period = (get(c_per) or "").strip()
        if period not in periods_seen:
            periods_seen[period] = period_problem(period) if period else None
        if periods_seen[period] or unnamed or any(t and t[0] in "='" for t in map(get, read)):
            cells = _checked_cells(number, cells, read, unnamed, problems)
            if periods_seen[period]:
                problems.add(periods_seen[period], number, c_per)
            if cells is None or periods_seen[period]:
                continue
            get = cells.get
        value = get(c_value) if c_value else None
        reason = get(c_missing) if c_missing else None
        if value and "[" in value and value.strip().lower() in SYMBOLS:
            value, reason = None, reason if reason and reason.strip() else value
        yield Reported(
            indicator=(get(c_ind) or "").strip(),
            period=period,
            groups={key: get(column) for key, column in dims},
            value=value,
            numerator=get(c_num) if c_num else None,
            denominator=get(c_den) if c_den else None,
            weight=get(c_n) if c_n else None,
            missing=reason,
            partner=((get(c_partner) or "").strip() or None) if c_partner else None,
            row=number,
            columns=named,
        )


def _checked_cells(
    number: int, cells: dict[str, str], read: list[str], unnamed, problems: Problems
) -> dict[str, str] | None:
    """The row's cells with a safe export's apostrophe taken off, or None (and problems) for
    formulas and values in columns without a header."""
    bad = False
    clean = dict(cells)
    for column in read:
        text = cells.get(column)
        if text and text.startswith("="):
            problems.add(str(FORMULA_REASON), number, column)
            bad = True
        elif text:
            clean[column] = _clean(text)
    for column in unnamed:
        text = cells.get(column)
        if text and text.strip():
            problems.add(
                _("a value (%(value)s) in a column with no header") % {"value": short_text(text)},
                number,
                column,
            )
            bad = True
    return None if bad else clean
