"""The header row and the columns named by their letter (column F), shared by both readers and
the column map."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def unnamed_column(index: int) -> str:
    return pgettext("a column without a header, by its letter", "column %(letter)s") % {
        "letter": column_letter(index)
    }


def header_names(cells: list[Any]) -> list[str]:
    """Header cells as text; a blank one is named after its letter ("column F")."""
    names = []
    for i, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        names.append(text or unnamed_column(i))
    while names and names[-1] == unnamed_column(len(names) - 1):
        names.pop()  # trailing empty header cells are no columns at all
    return names


def short_text(text: str, limit: int = 40) -> str:
    text = str(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
