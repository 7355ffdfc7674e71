"""Reading a DHIS2 CSV data value set, by position as DHIS2 reads it. DHIS2 skips the
header row unread; here it is checked, so that a column Backbone does not understand is
refused instead of dropped.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ..files.reading import column_letter
from ..problems import Problem
from .payload import JSON_FIELDS, Dhis2Value, Payload, is_true, normal_name, text_of

# DHIS2 reads a CSV data value set by position, in this order, and skips its first row
# unread (CsvDataValueSetReader); these are the names its own export writes.
CSV_COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
    "deleted",
)
_CSV_POSITION = (*JSON_FIELDS, "storedBy", "lastUpdated", "comment", "followup", "deleted")
_CSV_COLUMN = dict(zip(_CSV_POSITION, CSV_COLUMNS, strict=True))
# Every name DHIS2 and its documentation give a CSV column, spelled as `normal_name` leaves it.
CSV_NAMES = {
    **{c: f for f, c in _CSV_COLUMN.items()},
    "catoptcombo": "categoryOptionCombo",
    "attroptcombo": "attributeOptionCombo",
    "strby": "storedBy",
    "lstupd": "lastUpdated",
    "timestamp": "lastUpdated",
    "cmt": "comment",
    "flwup": "followup",
}
_CSV_REQUIRED = ("dataElement", "period", "orgUnit", "value")


def _is_csv_header(record: list[str]) -> bool:
    """A first row naming any DHIS2 column, or holding no digit at all (a data row has its
    period), is a header; DHIS2 skips it unread, so a typo there does not stop DHIS2."""
    return any(normal_name(c) in CSV_NAMES for c in record) or not any(
        ch.isdigit() for c in record for ch in c
    )


def _csv_header(
    record: list[str], row: int, file_name: str
) -> tuple[list[str | None], dict[str, str], list[Problem]]:
    """(field of each column, the header's name of each field, problems) of a header row.

    Known names are read by name, in whatever order. A header in DHIS2's order (each named
    column where DHIS2 has it) also reads blank header cells and columns past its end by
    position, as DHIS2 does. A name that is no DHIS2 column is refused, never dropped."""
    fields: list[str | None] = []
    named: dict[str, str] = {}
    at: dict[str, int] = {}
    problems = []
    for i, cell in enumerate(record):
        text = cell.strip()
        field = CSV_NAMES.get(normal_name(text)) if text else None
        if text and field is None:
            if i < len(_CSV_POSITION):
                reason = _(
                    "unknown column “%(column)s”: DHIS2 reads column %(letter)s as %(field)s; "
                    "correct the header, or leave the header row out to read the columns in "
                    "DHIS2's order"
                ) % {"column": text, "letter": column_letter(i), "field": CSV_COLUMNS[i]}
            else:
                reason = _(
                    "unknown column “%(column)s”: DHIS2's CSV has %(number)s columns, %(columns)s"
                ) % {
                    "column": text,
                    "number": len(CSV_COLUMNS),
                    "columns": ", ".join(CSV_COLUMNS),
                }
            problems.append(Problem(reason, file_name, row, text))
        elif field in at:
            problems.append(
                Problem(
                    _(
                        "the column “%(column)s” gives %(field)s, as column %(letter)s does; "
                        "keep one"
                    )
                    % {
                        "column": text,
                        "field": _CSV_COLUMN[field],
                        "letter": column_letter(at[field]),
                    },
                    file_name,
                    row,
                    text,
                )
            )
            field = None
        elif field:
            at[field] = i
            named[field] = text
        fields.append(field)
    if all(at[f] == _CSV_POSITION.index(f) for f in at):
        fields += [None] * (len(_CSV_POSITION) - len(fields))
        for i, field in enumerate(_CSV_POSITION):
            if fields[i] is None and field not in at:
                fields[i] = field
    missing = [_CSV_COLUMN[f] for f in _CSV_REQUIRED if f not in fields]
    if missing:
        problems.append(
            Problem(
                ngettext(
                    "missing column: %(columns)s", "missing columns: %(columns)s", len(missing)
                )
                % {"columns": ", ".join(missing)},
                file_name,
                row,
            )
        )
    return fields, named, problems


def read_csv(content: bytes | str, file_name: str = "") -> Payload:
    """The data values of a DHIS2 CSV data value set, read by position as DHIS2 reads it.

    The header row is optional. DHIS2 skips it unread; here it is checked, so that a column
    Backbone does not understand is refused instead of dropped (see `_csv_header`). Without
    one the columns are DHIS2's, in DHIS2's order. A value in a column that has no meaning
    is refused too."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return Payload([], [Problem(_("the file is not UTF-8 text"), file_name)])
    content = content.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(content, newline=""))
    fields: list[str | None] | None = None
    columns = _CSV_COLUMN
    header = False
    values: list[Dhis2Value] = []
    problems: list[Problem] = []
    stray: dict[int, list[tuple[int, str]]] = {}  # column → (row, text) of values it holds
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if fields is None:
                if _is_csv_header(record):
                    fields, named, problems = _csv_header(record, reader.line_num, file_name)
                    if problems:
                        return Payload([], problems)
                    columns, header = {**_CSV_COLUMN, **named}, True
                    continue
                fields = list(_CSV_POSITION)
            cells: dict[str, str] = {}
            for i, cell in enumerate(record):
                field = fields[i] if i < len(fields) else None
                if field:
                    cells[field] = cell
                elif cell.strip():
                    stray.setdefault(i, []).append((reader.line_num, cell.strip()))
            values.append(
                Dhis2Value(
                    row=reader.line_num,
                    data_element=text_of(cells.get("dataElement")),
                    period=text_of(cells.get("period")),
                    org_unit=text_of(cells.get("orgUnit")),
                    coc=text_of(cells.get("categoryOptionCombo")),
                    aoc=text_of(cells.get("attributeOptionCombo")),
                    value=cells.get("value"),
                    deleted=is_true(cells.get("deleted")),
                    comment=text_of(cells.get("comment")),
                    followup=cells.get("followup"),
                    stored_by=text_of(cells.get("storedBy")),
                    columns=columns,
                )
            )
    except csv.Error as exc:
        problems.append(
            Problem(
                _("not a readable CSV file: %(error)s") % {"error": exc},
                file_name,
                reader.line_num,
            )
        )
    for i, found in sorted(stray.items()):
        (row, text), more = found[0], len(found) - 1
        said = {
            "value": text if len(text) <= 30 else text[:29] + "…",
            "count": more,
            "number": len(CSV_COLUMNS),
            "columns": ", ".join(CSV_COLUMNS),
        }
        if header and more:
            reason = ngettext(
                "a value (%(value)s) in a column with no header (and in %(count)s more row)",
                "a value (%(value)s) in a column with no header (and in %(count)s more rows)",
                more,
            )
        elif header:
            reason = _("a value (%(value)s) in a column with no header")
        elif more:
            reason = ngettext(
                "a value (%(value)s) in a column DHIS2 does not have: its CSV has %(number)s "
                "columns, %(columns)s (and in %(count)s more row)",
                "a value (%(value)s) in a column DHIS2 does not have: its CSV has %(number)s "
                "columns, %(columns)s (and in %(count)s more rows)",
                more,
            )
        else:
            reason = _(
                "a value (%(value)s) in a column DHIS2 does not have: its CSV has %(number)s "
                "columns, %(columns)s"
            )
        column = pgettext("a column without a header, by its letter", "column %(letter)s") % {
            "letter": column_letter(i)
        }
        problems.append(Problem(reason % said, file_name, row, column))
    return Payload(values, problems)
