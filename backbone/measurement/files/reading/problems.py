"""`Problems`: what the readers find wrong with a file, row by row, collected until they give
up; kept apart so that every stage of reading adds to the same list."""

from __future__ import annotations

from ...intake import MAX_PROBLEMS_KEPT
from ...problems import IntakeRefused, Problem


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
