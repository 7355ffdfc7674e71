"""Problems with incoming values, each naming where it is: file, row, column and reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    reason: str
    file: str = ""
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class IntakeRefused(Exception):
    """Nothing was written: the problems say why."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {self.total - 20} more" if self.total > 20 else ""
        super().__init__(f"{self.total} problem(s); nothing was written.\n{shown}{more}")
