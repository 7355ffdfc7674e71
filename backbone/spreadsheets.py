"""CSV and Excel out, safe to open in a spreadsheet: a cell that starts like a formula is
neutralised. Every export writes its cells through this module, headers included (a header
can hold a dimension key or a questionnaire item someone typed)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A negative number as the app writes one ("-12.5"): a spreadsheet reads it as a number,
# never runs it, so it is left as it is — a quote would turn it into text.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def looks_like_formula(value: Any) -> bool:
    """Text a spreadsheet could run. Numbers (int, Decimal, float) never are, nor is text
    that is wholly a plain decimal number."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    )


def safe_cell(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if looks_like_formula(value):
        return "'" + value
    return "" if value is None else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeWriter:
    """csv.writer with every cell of every row, the header too, through safe_cell: the
    writer to use instead of a bare csv.writer. `cell` may stand in for safe_cell to render
    some values first (exact numbers as text, say) but must pass the rest to it."""

    def __init__(
        self, file: Any, *, cell: Callable[[Any], Any] = safe_cell, **options: Any
    ) -> None:
        self._writer = csv.writer(file, **options)
        self._cell = cell

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([self._cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A UTF-8 CSV download (with a BOM, so Excel reads accents right)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def text_cell(cell: Any) -> Any:
    """Make an openpyxl cell holding text stay text: stored as a string, never a formula,
    and quote-prefixed when it starts like one, so that editing it in Excel does not turn
    it into a formula either."""
    if isinstance(cell.value, str) and cell.value:
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True
    return cell


def xlsx_row(ws: Any, values: Iterable[Any], font: Any = None) -> list[Any]:
    """Cells for a write-only worksheet's append: text through text_cell, numbers as
    numbers, blanks empty. Pass numbers as numbers: text stays text here, even "-1.5"."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = text_cell(WriteOnlyCell(ws, value=None if value in ("", None) else value))
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells
