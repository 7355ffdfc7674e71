"""`CsvReader`: a CSV file's encoding and delimiter found out, then its rows read lazily."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ...models import Submission
from .header import header_names
from .problems import Problems

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {
    ",": pgettext_lazy("delimiter", "comma"),
    ";": pgettext_lazy("delimiter", "semicolon"),
    "\t": pgettext_lazy("delimiter", "tab"),
}
CHUNK = 1 << 20
#: Bytes Windows-1252 leaves undefined, and NUL: a file holding them is not text.
NOT_CP1252 = re.compile(rb"[\x00\x81\x8d\x8f\x90\x9d]")


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
        self.header = header_names(first)

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
