"""Lists of partners the backbone pastes or uploads, read into lines it can add at once.

Pasted: one organisation a line, as `name`, `name, sector` or `name, sector, joined_on`; a
name with a comma in it goes in double quotes. Uploaded: a CSV file whose first line names
the columns: `name` (or `organisation`, so the partners export reads back), and optionally
`sector` and `joined_on`. A sector is its name or its code, in any case ("Non-profit",
"nonprofit"); a date is written YYYY-MM-DD.

Every problem names its line and column, and all of them are reported together, so a list
is put right in one go and nothing is added until all of it reads.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from .models import Organisation
from .roles import Sector

#: A list longer than this is more likely the wrong file than a new initiative's partners.
MAX_LINES = 1000
NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length
COLUMNS = ("name", "sector", "joined_on")
HEADER_ALIASES = {
    "name": "name",
    "organisation": "name",
    "organization": "name",
    "sector": "sector",
    "joinedon": "joined_on",
    "joined": "joined_on",
    "joindate": "joined_on",
}


@dataclass(frozen=True)
class PartnerLine:
    line: int
    name: str
    sector: str  # a Sector value; "" when the line gives none
    joined_on: date | None


@dataclass(frozen=True)
class LineProblem:
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.line:
            return _("Line %(line)s, %(column)s: %(problem)s") % {
                "line": self.line,
                "column": self.column,
                "problem": self.message,
            }
        return _("%(column)s: %(problem)s") % {
            "column": self.column.capitalize(),
            "problem": self.message,
        }


class PartnerListError(Exception):
    """A list with problems; `problems` says each one, by line and column."""

    def __init__(self, problems: list[LineProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


def _sectors() -> dict[str, str]:
    """A sector by its code, its English name or its name in the reader's language: made
    once a list, not for every line of it."""
    with translation.override("en"):
        english = {_key(str(label)): value for value, label in Sector.choices}
    own = {_key(str(label)): value for value, label in Sector.choices}
    return {_key(value): value for value in Sector.values} | english | own


def _sector_names() -> str:
    return ", ".join(str(label) for label in Sector.labels)


def name_key(name: str) -> str:
    """How two names are compared: case and runs of spaces do not count."""
    return " ".join(name.split()).casefold()


def _read(
    number: int,
    fields: dict[str, str],
    problems: list[LineProblem],
    *,
    pasted: bool,
    sectors: dict[str, str],
) -> PartnerLine | None:
    name = " ".join(fields.get("name", "").split())
    sector_text = fields.get("sector", "").strip()
    date_text = fields.get("joined_on", "").strip()
    found = len(problems)
    if not name:
        problems.append(LineProblem(number, "name", _("no organisation name.")))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(
            LineProblem(
                number,
                "name",
                _("longer than %(most)s characters.") % {"most": NAME_MAX_LENGTH},
            )
        )
    sector = sectors.get(_key(sector_text), "") if sector_text else ""
    if sector_text and not sector:
        hint = (
            _("If the comma is part of the name, put the name in double quotes.") if pasted else ""
        )
        problems.append(
            LineProblem(
                number,
                "sector",
                " ".join(
                    [
                        _("“%(text)s” is not a sector; use one of %(sectors)s.")
                        % {"text": sector_text, "sectors": _sector_names()},
                        hint,
                    ]
                ).strip(),
            )
        )
    joined_on = None
    if date_text:
        try:
            joined_on = date.fromisoformat(date_text)
        except ValueError:
            problems.append(
                LineProblem(
                    number,
                    "joined_on",
                    _("“%(text)s” is not a date; write it as YYYY-MM-DD, such as 2025-03-01.")
                    % {"text": date_text},
                )
            )
    if len(problems) > found:
        return None
    return PartnerLine(line=number, name=name, sector=sector, joined_on=joined_on)


def _too_long() -> PartnerListError:
    return PartnerListError(
        [
            LineProblem(
                None,
                "list",
                _("more than %(most)s organisations; add at most that many at a time.")
                % {"most": MAX_LINES},
            )
        ]
    )


def _is_header(fields: list[str]) -> bool:
    keys = [HEADER_ALIASES.get(_key(f)) for f in fields if f.strip()]
    return bool(keys) and keys[0] == "name" and all(keys)


def lines_from_text(text: str) -> list[PartnerLine]:
    """The organisations of a pasted list; a first line naming the columns is skipped."""
    rows = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if len(rows) > MAX_LINES:
        raise _too_long()
    lines: list[PartnerLine] = []
    problems: list[LineProblem] = []
    sectors = _sectors()
    for position, (number, line) in enumerate(rows):
        fields = [f.strip() for f in next(csv.reader([line], skipinitialspace=True))]
        while fields and not fields[-1]:
            fields.pop()
        if position == 0 and _is_header(fields):
            continue
        if len(fields) > len(COLUMNS):
            problems.append(
                LineProblem(
                    number,
                    "name",
                    _(
                        "more than three parts (name, sector, join date); put a name that has "
                        "a comma in double quotes."
                    ),
                )
            )
            continue
        fields_by_column = dict(zip(COLUMNS, fields, strict=False))
        found = _read(number, fields_by_column, problems, pasted=True, sectors=sectors)
        if found:
            lines.append(found)
    if problems:
        raise PartnerListError(problems)
    return lines


def lines_from_csv(data: bytes) -> list[PartnerLine]:
    """The organisations of an uploaded CSV file (UTF-8, comma or semicolon separated)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PartnerListError(
            [LineProblem(None, "file", _("not UTF-8 text; save it as “CSV UTF-8” and try again."))]
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    header = next(reader, [])
    columns = [HEADER_ALIASES.get(_key(h)) for h in header]
    if "name" not in columns:
        raise PartnerListError(
            [
                LineProblem(
                    1,
                    "columns",
                    _(
                        "no “name” column; the first line names the columns: name, and "
                        "optionally sector and joined_on."
                    ),
                )
            ]
        )
    lines: list[PartnerLine] = []
    problems: list[LineProblem] = []
    sectors = _sectors()
    count = 0
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        if count > MAX_LINES:
            raise _too_long()
        fields = {c: cell for c, cell in zip(columns, row, strict=False) if c}
        found = _read(reader.line_num, fields, problems, pasted=False, sectors=sectors)
        if found:
            lines.append(found)
    if problems:
        raise PartnerListError(problems)
    return lines
