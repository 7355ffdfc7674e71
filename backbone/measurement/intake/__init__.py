"""The one way values come in. Web forms, CSV and Excel files, the REST API and DHIS2
payloads all turn what they read into `Reported` rows and hand them to an `Intake`, which
checks every row and the rows together, then writes them all in one transaction — or, if
anything is wrong, writes nothing and says what, where and why.

A CSV file takes a faster way to the same result: staged in a table (`staging`), its codes
looked up once (`set_codes`), every check run in SQL over all its rows (`set_checks`) and
the values written by INSERT … SELECT (`set_writing`). Whatever the sets do not settle,
the rows' way reads and explains, in the same words.
"""

from __future__ import annotations

from backbone.initiatives.models import Initiative, Partner

from ..problems import IntakeRefused, Problem
from .checks import Checks
from .rows import (
    MAX_PROBLEMS_KEPT,
    NUMBER_NAMES,
    Catalogue,
    Checked,
    IndicatorRules,
    Reported,
)
from .writing import NO_NOTES, VALUE_COLUMNS, Writing

__all__ = [
    "MAX_PROBLEMS_KEPT",
    "NO_NOTES",
    "NUMBER_NAMES",
    "VALUE_COLUMNS",
    "Catalogue",
    "Checked",
    "IndicatorRules",
    "Intake",
    "IntakeRefused",
    "Problem",
    "Reported",
]


class Intake(Checks, Writing):
    """Check and write one batch of reported values.

    `partner` is who reports; backbone staff importing for many partners pass
    `many_partners=True` and each row names its partner. A `correction_reason` (backbone
    staff only, checked by the caller) lets values into closed periods, logged as such.
    """

    def __init__(
        self,
        *,
        initiative: Initiative,
        by,
        channel: str,
        partner: Partner | None = None,
        many_partners: bool = False,
        file_name: str = "",
        correction_reason: str = "",
        catalogue: Catalogue | None = None,
    ):
        if partner is None and not many_partners:
            raise ValueError("Name the reporting partner, or import for many partners.")
        self.initiative = initiative
        self.by = by
        self.channel = channel
        self.partner = partner
        self.many_partners = many_partners
        self.file_name = file_name
        self.correction_reason = correction_reason.strip()
        self.catalogue = catalogue or Catalogue(initiative)
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.outliers: set[tuple[int, int, int, str]] = set()
        # rows blank with a reason, by (partner, indicator, period, cell key): their reason
        self.blanks: dict[tuple[int, int, int, str], str] = {}
        # (comment, followup, stored_by) of the rows that have any, by the same key
        self.notes: dict[tuple[int, int, int, str], tuple[str, bool, str]] = {}
        self._cells_seen: dict[tuple, str] = {}
