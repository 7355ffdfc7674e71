"""Reading values from CSV and Excel files into the intake.

Two readers — `CsvReader` and `XlsxReader` — turn a file into its header and then, lazily,
`(row_number, {column: text})` pairs, with row numbers as a spreadsheet shows them (the
header is row 1). `reported_rows` maps those to `Reported` rows for `Intake.check`, one at a
time, so a file of a million rows is never held as a list of rows. `import_file` ties it
together: every problem names the file, row, column and reason, and nothing is written
unless the whole file is valid.

The columns: `indicator`, `period`, one column per dimension key (a blank cell: not broken
down by it), `value`, `numerator`, `denominator`, `n`, `missing` (why a value is blank: not
collected, suppressed at the source, not applicable), and `partner` (an organisation slug)
where one file carries many partners' values. A value cell holding a GSS symbol ([x], [c],
[z]), as ONS tables have them, is a blank with that reason (unless `missing` gives one). The
columns a downloaded template adds for reading (`IGNORED_COLUMNS`) are skipped; any other
column is refused by name.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from time import monotonic
from typing import IO, Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from backbone.initiatives.models import Initiative, Partner

from ..intake import MAX_PROBLEMS_KEPT, Catalogue, Intake, Reported
from ..missing import SYMBOLS
from ..models import Dimension, Submission
from ..problems import IntakeRefused, Problem

#: Fields the intake reads, by the column that carries them.
FIELDS = ("indicator", "period", "partner", "value", "numerator", "denominator", "n", "missing")
VALUE_FIELDS = ("value", "numerator", "denominator", "n")
REQUIRED_FIELDS = ("indicator", "period")
#: Columns a downloaded template adds for people to read; they are never read back.
IGNORED_COLUMNS = ("groups", "indicator name", "last value", "notes")

CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {
    ",": pgettext_lazy("delimiter", "comma"),
    ";": pgettext_lazy("delimiter", "semicolon"),
    "\t": pgettext_lazy("delimiter", "tab"),
}
CHUNK = 1 << 20
#: Bytes Windows-1252 leaves undefined, and NUL: a file holding them is not text.
NOT_CP1252 = re.compile(rb"[\x00\x81\x8d\x8f\x90\x9d]")
#: A workbook may expand to at most this many times the upload limit (zip bombs).
MAX_EXPANSION = 20
#: Nor may one part of it expand more than this many times its packed size: a sheet of
#: values packs 5–20 times, a zip bomb hundreds of times.
MAX_PART_RATIO = 100
#: Parts smaller than this are never refused for their ratio (a sheet of one value repeated).
RATIO_FLOOR = 8 * 1024 * 1024
#: The shared strings are read whole, before the first row: they are kept small.
MAX_SHARED_STRINGS = 32 * 1024 * 1024
MERGE_CELLS = re.compile(rb"<(?:\w+:)?mergeCells[\s>/]")
MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([^"]+)"')
FORMULA_REASON = gettext_lazy("formula cells are not accepted; paste values")

#: Dates where a period code belongs: 2024-03-01, 01/03/2024, 3/2024, Mar-24, March 2024.
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
OTHER_DATES = (
    re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$"),
    re.compile(r"^\d{1,2}/\d{4}$"),
    re.compile(r"^[A-Za-z]{3,9}[\- ]'?\d{2,4}$"),
)
PERIOD_CODES = gettext_lazy("2024-03 for a month, 2024Q1, 2024, SY2024-25 or FY2024-25")


def max_upload_bytes() -> int:
    return int(getattr(settings, "BACKBONE_MAX_UPLOAD_MB", 50) * 1024 * 1024)


def reading_seconds() -> int:
    """How long one file may take to read and check before it is refused (a request held
    for minutes holds a server worker)."""
    return int(getattr(settings, "BACKBONE_UPLOAD_SECONDS", 180))


def size_text(size: int) -> str:
    """A size in KB or MB, its number as the reader's language writes it (10.5 MB, 10,5 MB)."""
    if size < 1024 * 1024:
        return f"{number_format(Decimal(f'{size / 1024:.0f}'), 0)} KB"
    return f"{number_format(Decimal(f'{size / (1024 * 1024):.1f}'), 1)} MB"


class Problems:
    """Problems found while reading, each naming file, row and column."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.items: list[Problem] = []
        self.count = 0

    def add(self, reason: str, row: int | None = None, column: str | None = None) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS_KEPT:
            # str(): a lazily translated reason (FORMULA_REASON) is text from here on
            self.items.append(Problem(str(reason), self.file_name, row, column))

    def refuse(self, reason: str, row: int | None = None, column: str | None = None):
        """Give up on the file: this problem (and those found so far) say why."""
        self.add(reason, row, column)
        return IntakeRefused(self.items, self.count)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _unnamed(index: int) -> str:
    return pgettext("a column without a header, by its letter", "column %(letter)s") % {
        "letter": column_letter(index)
    }


def _header(cells: list[Any]) -> list[str]:
    """Header cells as text; a blank one is named after its letter ("column F")."""
    names = []
    for i, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        names.append(text or _unnamed(i))
    while names and names[-1] == _unnamed(len(names) - 1):
        names.pop()  # trailing empty header cells are no columns at all
    return names


# --- CSV -------------------------------------------------------------------------------


def _binary(source: Any) -> IO[bytes]:
    """The plain binary stream under an uploaded file (Django wraps it once or twice)."""
    while not isinstance(source, io.IOBase) and hasattr(source, "file"):
        source = source.file
    return source


class CsvReader:
    """A CSV file: UTF-8 with or without a byte-order mark, or Excel's Windows-1252; comma,
    semicolon or tab separated (sniffed from the header)."""

    kind = Submission.Channel.CSV

    def __init__(self, binary: IO[bytes], *, problems: Problems):
        self.binary = binary
        self.problems = problems
        self.encoding = self._encoding()
        self.delimiter = self._delimiter()
        self._text = io.TextIOWrapper(binary, encoding=self.encoding, newline="")
        self._rows = csv.reader(self._text, delimiter=self.delimiter)
        try:
            first = next(self._rows, None)
        except csv.Error as exc:
            raise problems.refuse(
                _("the header row cannot be read as CSV: %(error)s") % {"error": exc}, 1
            ) from exc
        if first is None or not any(cell.strip() for cell in first):
            raise problems.refuse(_("the file is empty: the first row must name the columns"), 1)
        self.header = _header(first)

    def _encoding(self) -> str:
        f = self.binary
        f.seek(0)
        head = f.read(4)
        f.seek(0)
        if not head:
            raise self.problems.refuse(_("the file is empty"))
        if head.startswith(b"PK\x03\x04"):
            raise self.problems.refuse(
                _("the file is an Excel workbook (or another zip file), not CSV: name it .xlsx")
            )
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise self.problems.refuse(
                _("the file is UTF-16 text; save it as “CSV UTF-8” (or as an Excel workbook)")
            )
        decoder = codecs.getincrementaldecoder("utf-8")()
        encoding = "utf-8-sig"
        while chunk := f.read(CHUNK):
            if encoding != "cp1252":
                if b"\x00" in chunk:
                    break
                try:
                    decoder.decode(chunk)
                    continue
                except UnicodeDecodeError:
                    encoding = "cp1252"
            if NOT_CP1252.search(chunk):
                break
        else:
            try:
                if encoding != "cp1252":
                    decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                encoding = "cp1252"
            f.seek(0)
            if encoding == "cp1252" and head.startswith(codecs.BOM_UTF8):
                raise self.problems.refuse(
                    _("the file mixes UTF-8 and Windows-1252 text; save it again as “CSV UTF-8”")
                )
            return encoding
        f.seek(0)
        raise self.problems.refuse(
            _(
                "the file is not readable text: save it as “CSV UTF-8” or as an Excel workbook "
                "(.xlsx)"
            )
        )

    def _delimiter(self) -> str:
        line = self.binary.readline(1 << 16).decode(self.encoding, errors="replace")
        self.binary.seek(0)
        unquoted = re.sub(r'"[^"]*"', "", line)
        counts = {d: unquoted.count(d) for d in DELIMITERS}
        best = max(DELIMITERS, key=lambda d: counts[d])
        return best if counts[best] else ","

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        header = self.header
        width = len(header)
        problems = self.problems
        number = 1
        try:
            for number, fields in enumerate(self._rows, start=2):
                if len(fields) > width and any(f.strip() for f in fields[width:]):
                    problems.add(
                        _(
                            "this row has %(fields)s fields but the header has %(header)s: "
                            "a %(delimiter)s too many, or a value without quotes around it"
                        )
                        % {
                            "fields": len(fields),
                            "header": width,
                            "delimiter": DELIMITER_NAMES[self.delimiter],
                        },
                        number,
                    )
                    continue
                yield number, dict(zip(header, fields, strict=False))
        except csv.Error as exc:
            raise problems.refuse(
                _("cannot be read as CSV: %(error)s") % {"error": exc}, number + 1
            ) from exc
        finally:
            self.close()

    def close(self) -> None:
        """Let go of the file without closing it: it belongs to the caller."""
        if self._text is not None:
            self._text.detach()
            self._text = None


# --- Excel -----------------------------------------------------------------------------


def _cell_text(value: Any) -> str | None:
    """An Excel cell's value as text; numbers as Excel shows them (15 significant digits)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(value, ".15g")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    # an array or data-table formula object: refused as a formula when mapped
    return "=" + str(getattr(value, "text", value) or "")


def _unpacking_problem(parts: list[zipfile.ZipInfo]) -> str | None:
    """Why a workbook is refused from the sizes its zip directory declares, before any part
    is unpacked (zipfile never unpacks a part past its declared size); None when it may be
    read. A small upload can unpack to gigabytes, and openpyxl reads the shared strings
    whole, so a bomb would hold a worker for minutes and its memory with it."""
    expanded = sum(info.file_size for info in parts)
    if expanded > MAX_EXPANSION * max_upload_bytes():
        return _("the workbook expands to %(size)s, more than this site reads") % {
            "size": size_text(expanded)
        }
    for info in parts:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_PART_RATIO * max(
            info.compress_size, 1
        ):
            return _(
                "the workbook's part %(part)s unpacks to %(size)s from %(packed)s, which no "
                "sheet of values does; save it again from Excel as “Excel Workbook (.xlsx)”"
            ) % {
                "part": info.filename,
                "size": size_text(info.file_size),
                "packed": size_text(info.compress_size),
            }
        if info.filename.lower().endswith("sharedstrings.xml") and (
            info.file_size > MAX_SHARED_STRINGS
        ):
            return _(
                "the workbook's text cells hold %(size)s, more than this site reads "
                "(%(limit)s): keep long notes out of the file, or split it into smaller files"
            ) % {"size": size_text(info.file_size), "limit": size_text(MAX_SHARED_STRINGS)}
    return None


class XlsxReader:
    """An Excel workbook, read streaming (openpyxl read-only): the sheet named "values", or
    else the first sheet. Formulas never run: a formula cell is refused. Merged cells are
    found in the sheet's own XML, which read-only mode does not show."""

    kind = Submission.Channel.XLSX

    def __init__(self, binary: IO[bytes], *, problems: Problems):
        from openpyxl import load_workbook

        self.problems = problems
        binary.seek(0)
        if not zipfile.is_zipfile(binary):
            binary.seek(0)
            head = binary.read(2048)
            looks_like_text = bool(head) and not NOT_CP1252.search(head)
            raise problems.refuse(
                _(
                    "the file is not an Excel workbook (.xlsx): it holds text, probably CSV — "
                    "name it .csv, or save it from Excel as “Excel Workbook (.xlsx)”"
                )
                if looks_like_text
                else _(
                    "the file is not an Excel workbook (.xlsx); save it from Excel as "
                    "“Excel Workbook (.xlsx)”"
                )
            )
        binary.seek(0)
        try:
            with zipfile.ZipFile(binary) as archive:
                parts = archive.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise problems.refuse(_("the file is a damaged Excel workbook")) from exc
        if reason := _unpacking_problem(parts):
            raise problems.refuse(reason)
        binary.seek(0)
        try:
            self.workbook = load_workbook(binary, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds on files it cannot read
            raise problems.refuse(
                _(
                    "the file cannot be read as an Excel workbook (.xlsx); save it again from "
                    "Excel as “Excel Workbook (.xlsx)”"
                )
            ) from exc
        self.binary = binary
        try:
            self.sheet = self._sheet()
            self._check_merges()
            self._rows = self.sheet.iter_rows(values_only=True)
            first = next(self._rows, None)
            if first is None or not any(c not in (None, "") for c in first):
                raise problems.refuse(self._empty_sheet_reason(), 1)
            self.header = _header(list(first))
        except BaseException:
            self.workbook.close()
            raise

    def _sheet(self):
        sheets = self.workbook.worksheets
        if not sheets:
            raise self.problems.refuse(_("the workbook has no sheet"))
        for ws in sheets:
            if ws.title.strip().lower() == "values":
                return ws
        return sheets[0]

    def _empty_sheet_reason(self) -> str:
        others = [
            (
                pgettext("a sheet's name, quoted", "“%(sheet)s”")
                if ws.sheet_state == "visible"
                else pgettext("a sheet's name, quoted", "“%(sheet)s” (hidden)")
            )
            % {"sheet": ws.title}
            for ws in self.workbook.worksheets
            if ws is not self.sheet
        ]
        if others:
            return _(
                "the sheet “%(sheet)s” is empty: the values must be on the first sheet, or on a "
                "sheet named “values”, with the column names in row 1 (this workbook also has "
                "%(others)s)"
            ) % {"sheet": self.sheet.title, "others": ", ".join(others)}
        return _(
            "the sheet “%(sheet)s” is empty: the values must be on the first sheet, or on a "
            "sheet named “values”, with the column names in row 1"
        ) % {"sheet": self.sheet.title}

    def _check_merges(self) -> None:
        path = getattr(self.sheet, "_worksheet_path", None)
        if not path:
            return
        self.binary.seek(0)
        with zipfile.ZipFile(self.binary) as archive:
            try:
                member = archive.open(path.lstrip("/"))
            except KeyError:
                return
            with member:
                tail, found = b"", None
                while chunk := member.read(CHUNK):
                    data = tail + chunk
                    if found is None:
                        match = MERGE_CELLS.search(data)
                        if match is None:
                            tail = data[-64:]
                            continue
                        found = data[match.start() :]
                    else:
                        found += chunk
                    if len(found) > 16 * CHUNK:
                        break
        if not found:
            return
        refs = [ref.decode("ascii", "replace") for ref in MERGE_REF.findall(found)]
        for ref in refs[:MAX_PROBLEMS_KEPT]:
            first = ref.split(":")[0]
            digits = re.search(r"\d+", first)
            self.problems.add(
                _("merged cells %(cells)s are not accepted: unmerge them and fill in every cell")
                % {"cells": ref},
                int(digits.group()) if digits else None,
            )
        if refs:
            raise IntakeRefused(self.problems.items, self.problems.count)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        header = self.header
        width = len(header)
        problems = self.problems
        try:
            for number, values in enumerate(self._rows, start=2):
                cells: dict[str, str] = {}
                outside = False
                for i, value in enumerate(values):
                    if value is None:
                        continue
                    text = _cell_text(value)
                    if i < width:
                        cells[header[i]] = text
                    elif text.strip():
                        problems.add(
                            _("a value (%(value)s) in a column with no header")
                            % {"value": _short(text)},
                            number,
                            _unnamed(i),
                        )
                        outside = True
                if outside:
                    continue
                yield number, cells
        finally:
            self.close()

    def close(self) -> None:
        self.workbook.close()


def _short(text: str, limit: int = 40) -> str:
    text = str(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- columns to fields -----------------------------------------------------------------


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
        if column == _unnamed(i):
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


def _period_problem(text: str) -> str | None:
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
            periods_seen[period] = _period_problem(period) if period else None
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
                _("a value (%(value)s) in a column with no header") % {"value": _short(text)},
                number,
                column,
            )
            bad = True
    return None if bad else clean


# --- the whole import ------------------------------------------------------------------


def file_kind(file_name: str) -> str:
    """ "csv" or "xlsx" by the name's extension; IntakeRefused for anything else."""
    suffix = Path(file_name).suffix.lower()
    if suffix in CSV_EXTENSIONS:
        return "csv"
    if suffix in XLSX_EXTENSIONS:
        return "xlsx"
    if suffix == ".xls":
        reason = _("old Excel files (.xls) are not read: save it as “Excel Workbook (.xlsx)”")
    else:
        reason = _("only CSV (.csv) and Excel (.xlsx) files are read")
    raise IntakeRefused([Problem(reason, file_name)])


def open_reader(binary: IO[bytes], *, kind: str, problems: Problems) -> CsvReader | XlsxReader:
    return (CsvReader if kind == "csv" else XlsxReader)(binary, problems=problems)


def check_size(size: int, file_name: str) -> None:
    limit = max_upload_bytes()
    if size > limit:
        raise IntakeRefused(
            [
                Problem(
                    _(
                        "the file is %(size)s; files up to %(limit)s are read — split it into "
                        "smaller files"
                    )
                    % {"size": size_text(size), "limit": size_text(limit)},
                    file_name,
                )
            ]
        )


def import_file(
    *,
    initiative: Initiative,
    by,
    partner: Partner | None = None,
    many_partners: bool = False,
    uploaded_file=None,
    path: str | os.PathLike | None = None,
    file_name: str = "",
    correction_reason: str = "",
    status: str = Submission.Status.SUBMITTED,
    narrative: str = "",
) -> Submission:
    """Read a CSV or Excel file of values and hand it to the intake: every value is written,
    in one transaction, or none is and IntakeRefused lists every problem (file, row,
    column, reason). The caller has checked that `by` may report for `partner` (or, with
    `many_partners`, for every partner) and may give a `correction_reason`."""
    if (uploaded_file is None) == (path is None):
        raise ValueError("Give either an uploaded file or a path.")
    if uploaded_file is not None:
        name, size = file_name or uploaded_file.name or "", uploaded_file.size
    else:
        name, size = file_name or Path(path).name, os.stat(path).st_size
    name = Path(name or "values.csv").name
    kind = file_kind(name)
    check_size(size, name)
    intake = Intake(
        initiative=initiative,
        by=by,
        channel=kind,
        partner=partner,
        many_partners=many_partners,
        file_name=name,
        correction_reason=correction_reason,
        catalogue=Catalogue(initiative),
    )
    if uploaded_file is not None:
        uploaded_file.seek(0)
        checked = _check(_binary(uploaded_file), kind=kind, intake=intake)
    else:
        with open(path, "rb") as binary:
            checked = _check(binary, kind=kind, intake=intake)
    return intake.record(checked, status=status, narrative=narrative)


def _before(
    deadline: float, rows: Iterator[tuple[int, dict[str, str]]], *, problems: Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows, until the time to read the file runs out: then it is refused, naming the
    row reached, rather than holding the request (and a server worker) for longer."""
    for count, (number, cells) in enumerate(rows):
        if not count & 1023 and monotonic() > deadline:
            seconds = reading_seconds()
            raise problems.refuse(
                ngettext(
                    "reading the file took longer than %(seconds)s second and stopped here: "
                    "split it into smaller files",
                    "reading the file took longer than %(seconds)s seconds and stopped here: "
                    "split it into smaller files",
                    seconds,
                )
                % {"seconds": seconds},
                number,
            )
        yield number, cells


def _check(binary: IO[bytes], *, kind: str, intake: Intake) -> list:
    """The intake's checked rows; IntakeRefused with the reader's and the intake's problems
    together, in row order."""
    problems = Problems(intake.file_name)
    deadline = monotonic() + reading_seconds()
    reader = open_reader(binary, kind=kind, problems=problems)
    try:
        columns = column_map(
            reader.header,
            dimension_keys=list(
                Dimension.objects.filter(initiative=intake.initiative).values_list("key", flat=True)
            ),
            many_partners=intake.many_partners,
            problems=problems,
        )
        rows = _before(deadline, iter(reader), problems=problems)
        checked = intake.check(reported_rows(rows, columns=columns, problems=problems))
    finally:
        reader.close()
    if problems.count:
        # rows refused here never reached the intake: its "no data rows" would mislead
        no_rows = _("no values: the file has no data rows")  # the intake's words
        found = [p for p in intake.problems if not (p.row is None and p.reason == no_rows)]
        merged = sorted([*problems.items, *found], key=lambda p: p.row or 0)
        total = problems.count + intake.problem_count - (len(intake.problems) - len(found))
        raise IntakeRefused(merged[:MAX_PROBLEMS_KEPT], total)
    if intake.problem_count:
        raise IntakeRefused(intake.problems, intake.problem_count)
    return checked
