"""Problems with incoming values, each naming where it is: file, row, column and reason."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import ngettext, pgettext


@dataclass(frozen=True, slots=True)
class Problem:
    reason: str
    file: str = ""
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(pgettext("where a problem is", "row %(row)s") % {"row": self.row})
        if self.column:
            where.append(
                pgettext("where a problem is", "column %(column)s") % {"column": repr(self.column)}
            )
        if not where:
            return self.reason
        return pgettext("where a problem is, and why", "%(where)s: %(reason)s") % {
            "where": ", ".join(where),
            "reason": self.reason,
        }


class IntakeRefused(Exception):
    """Nothing was written: the problems say why."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        shown = "\n".join(str(p) for p in problems[:20])
        more = (
            "\n"
            + ngettext("… and %(count)s more", "… and %(count)s more", self.total - 20)
            % {"count": self.total - 20}
            if self.total > 20
            else ""
        )
        head = ngettext(
            "%(count)s problem; nothing was written.",
            "%(count)s problems; nothing was written.",
            self.total,
        ) % {"count": self.total}
        super().__init__(f"{head}\n{shown}{more}")
