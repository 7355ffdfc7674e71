"""`XlsxReader`: an Excel workbook read streaming, refused first when its zip directory
declares a bomb, and when a sheet has merged cells."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ...intake import MAX_PROBLEMS_KEPT
from ...models import Submission
from ...problems import IntakeRefused
from .csv_reader import CHUNK, NOT_CP1252
from .header import header_names, short_text, unnamed_column
from .limits import max_upload_bytes, size_text
from .problems import Problems

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
            self.header = header_names(list(first))
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
                            % {"value": short_text(text)},
                            number,
                            unnamed_column(i),
                        )
                        outside = True
                if outside:
                    continue
                yield number, cells
        finally:
            self.close()

    def close(self) -> None:
        self.workbook.close()
