"""Importing DHIS2 data values through the one intake path: checked, combined into Backbone
values (a rate's numerator and denominator), compared with what is stored, written as one
submission or refused whole. The first stage, from DHIS2 data values to the rows the intake
checks, is `resolving`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import NoReturn

from django.utils.translation import gettext as _

from backbone.initiatives.models import Initiative, Partner

from ..intake import NO_NOTES, Catalogue, Intake
from ..intake.service import values_import
from ..models import (
    DataValue,
    Submission,
)
from ..problems import IntakeRefused, Problem
from .codes import periods_by_start
from .mappings import Mappings
from .payload import (
    IMPORT_PARAMS,
    Dhis2Value,
    normal_name,
    text_of,
)
from .payload_csv import CSV_NAMES
from .reading import read_payload
from .resolving import _SEP, Resolving
from .summary import (
    IGNORED_NEW,
    IGNORED_REFUSED,
    IGNORED_STORED,
    IGNORED_UNCHANGED,
    Dhis2Refused,
    ImportSummary,
    import_options,
)

# --- importing -------------------------------------------------------------------------------

# where each number of a value is, in a checked row (after its four keys) and as stored
NUMBER_AT = {"value": 0, "numerator": 1, "denominator": 2, "n": 3}
# a data value's attribute behind each field a problem can name
_FIELD_ATTRIBUTE = {
    "dataElement": "data_element",
    "period": "period",
    "orgUnit": "org_unit",
    "categoryOptionCombo": "coc",
    "attributeOptionCombo": "aoc",
    "value": "value",
    "comment": "comment",
    "followup": "followup",
    "storedBy": "stored_by",
}


def _same(old, new) -> bool:
    return (old is None) == (new is None) and (old is None or Decimal(old) == Decimal(new))


class Dhis2Import(Resolving):
    """Read DHIS2 data values into the intake.

    `partner` reports; a partner's own import passes it alone, and an attributeOptionCombo
    meaning another partner is refused by the intake. The backbone passes
    `many_partners=True`, with `partner` to import the whole payload for that partner
    (attributeOptionCombo ignored) or without it to read each value's partner from its
    attributeOptionCombo.
    """

    def __init__(
        self,
        *,
        initiative: Initiative,
        by,
        partner: Partner | None = None,
        many_partners: bool = False,
        file_name: str = "",
        correction_reason: str = "",
    ):
        self.initiative = initiative
        self.by = by
        self.partner = partner
        self.many_partners = many_partners
        self.file_name = file_name
        self.correction_reason = correction_reason
        self.catalogue = Catalogue(initiative)
        self.mappings = Mappings.load(initiative)
        self.periods = periods_by_start(initiative)
        self.partner_slugs = set(self.catalogue.partners)
        self.problems: list[Problem] = []
        # the data values behind each Backbone value, by its row: role → data value
        self._parts: dict[int, dict[str, Dhis2Value]] = {}
        # each data value by its row, and its place in the payload (DHIS2's index)
        self._by_row: dict[int, Dhis2Value] = {}
        self._index: dict[int, int] = {}

    def _place(self, problem: Problem) -> Problem:
        """A problem the intake found, moved back to the DHIS2 row and column it came from."""
        if problem.column and _SEP in problem.column:
            row, column = problem.column.split(_SEP, 1)
            return Problem(problem.reason, self.file_name, int(row), column)
        part = self._parts.get(problem.row, {}).get(problem.column or "")
        if part is not None:  # a total that disagrees with its groups names a number
            return Problem(problem.reason, self.file_name, part.row, part.where("value"))
        return problem

    def _conflict(self, problem: Problem) -> dict:
        """A problem as a DHIS2 import conflict: `object` is what was sent (the code, or else
        the field), `value` the reason, `property` the field and `indexes` the data value's
        place in the payload, counting from 0; `row`, `column` and `reason` as the pages say
        them."""
        column = problem.column or ""
        name = CSV_NAMES.get(normal_name(column)) or (column if column in IMPORT_PARAMS else None)
        value = self._by_row.get(problem.row) if problem.row is not None else None
        sent = ""
        if value is not None and name in _FIELD_ATTRIBUTE:
            sent = text_of(getattr(value, _FIELD_ATTRIBUTE[name]))
        conflict: dict = {
            "object": sent or problem.column or problem.file or "dataValueSet",
            "value": problem.reason,
        }
        if name:
            conflict["property"] = name
        if value is not None:
            conflict["indexes"] = [self._index[problem.row]]
        conflict.update(row=problem.row, column=problem.column, reason=problem.reason)
        return conflict

    def _refuse(self, summary: ImportSummary, problems: list[Problem], total: int) -> NoReturn:
        summary.problems, summary.problem_count = problems, total
        summary.conflicts = [self._conflict(p) for p in problems]
        summary.imported = summary.updated = 0
        summary.ignored = Counter({IGNORED_REFUSED: len(self._by_row)} if self._by_row else {})
        raise Dhis2Refused(summary)

    def _stored(self, checked: list) -> dict[tuple, tuple]:
        """By a checked value's key, what is stored for it now: its four numbers, blank
        reason, comment, followup and status."""
        if not checked:
            return {}
        rows = DataValue.objects.filter(
            initiative=self.initiative,
            partner_id__in={c[0] for c in checked},
            indicator_id__in={c[1] for c in checked},
            period_id__in={c[2] for c in checked},
        ).values_list(
            "partner_id",
            "indicator_id",
            "period_id",
            "cell__key",
            "value",
            "numerator",
            "denominator",
            "weight",
            "missing",
            "comment",
            "followup",
            "status",
        )
        return {r[:4]: r[4:] for r in rows}

    def _take(self, intake: Intake, checked: list, summary: ImportSummary) -> list:
        """The checked values the import strategy writes, each data value counted. A stored
        value is updated only if something changes (a number, its comment or followup, as
        DHIS2 compares them) or if it awaits resubmission (a draft, a returned value, a
        blank); the data values of an updated value that keep their number count as ignored."""
        options = summary.options
        stored = self._stored(checked)
        taken = []
        for c in checked:
            parts = self._parts[c[8]]
            old = stored.get(c[:4])
            if old is None:
                if options.creates:
                    taken.append(c)
                    summary.imported += len(parts)
                else:
                    summary.ignored[IGNORED_NEW] += len(parts)
                continue
            if not options.updates:
                summary.ignored[IGNORED_STORED] += len(parts)
                continue
            numbers, blank, comment, followup, status = old[:4], old[4], old[5], old[6], old[7]
            notes = intake.notes.get(c[:4], NO_NOTES)
            again = bool(blank) or status in (DataValue.Status.DRAFT, DataValue.Status.RETURNED)
            again = again or (comment, followup) != notes[:2]
            moved = [
                role
                for role in parts
                if not _same(numbers[NUMBER_AT[role]], c[4 + NUMBER_AT[role]])
            ]
            if not (again or moved or not all(map(_same, numbers, c[4:8]))):
                summary.ignored[IGNORED_UNCHANGED] += len(parts)
                continue
            taken.append(c)
            updated = len(parts) if again or not moved else len(moved)
            summary.updated += updated
            if updated < len(parts):
                summary.ignored[IGNORED_UNCHANGED] += len(parts) - updated
        return taken

    def submit(
        self,
        values: list[Dhis2Value],
        *,
        read_problems: Iterable[Problem] = (),
        params: Iterable[Mapping[str, object]] = (),
        status: str = Submission.Status.SUBMITTED,
        narrative: str = "",
    ) -> ImportSummary:
        """Check everything, then write what the import strategy takes through the intake, as
        one submission (none when nothing changes), and say what was done — or raise
        Dhis2Refused with every problem, by row, and write nothing. `params` are the import
        parameters, the request's then the payload's."""
        options, option_problems = import_options(*params, file_name=self.file_name)
        summary = ImportSummary(options=options)
        self._by_row = {v.row: v for v in values}
        self._index = {v.row: i for i, v in enumerate(values)}
        self.problems.extend(read_problems)
        self.problems.extend(option_problems)
        if not values and not self.problems:
            self.problems.append(Problem(_("no data values: the payload has none"), self.file_name))
        rows = self.reported(values)
        if not rows:  # nothing the intake could check
            if self.problems:
                self._refuse(summary, self.problems, len(self.problems))
            return summary

        def take(intake: Intake, checked: list) -> list:
            if self.problems:  # the payload's own problems, listed with the intake's
                raise IntakeRefused([], 0)
            return self._take(intake, checked, summary)

        try:
            summary.submission = values_import(
                rows,
                initiative=self.initiative,
                by=self.by,
                channel=Submission.Channel.DHIS2,
                partner=self.partner,
                many_partners=self.many_partners,
                file_name=self.file_name,
                correction_reason=self.correction_reason,
                catalogue=self.catalogue,
                status=status,
                narrative=narrative,
                take=take,
                dry_run=options.dry_run,
            )
        except IntakeRefused as exc:
            problems = self.problems + [self._place(p) for p in exc.problems]
            problems.sort(key=lambda p: (p.row or 0, p.column or ""))
            self._refuse(summary, problems, len(self.problems) + exc.total)
        return summary


def dhis2_import(
    *,
    initiative: Initiative,
    by,
    content: bytes,
    file_name: str = "",
    partner: Partner | None = None,
    many_partners: bool = False,
    correction_reason: str = "",
    narrative: str = "",
    params: Mapping[str, object] | None = None,
) -> ImportSummary:
    """Read a DHIS2 dataValueSet (JSON, XML or CSV) and write what its import strategy takes
    as one submission (none when nothing changes), or raise Dhis2Refused naming every
    problem. `params` are DHIS2's import parameters as the request gives them (dryRun,
    importStrategy); the payload's own win. The caller checks who may report for whom."""
    payload = read_payload(content, file_name)
    return Dhis2Import(
        initiative=initiative,
        by=by,
        partner=partner,
        many_partners=many_partners,
        file_name=file_name,
        correction_reason=correction_reason,
    ).submit(
        payload.values,
        read_problems=payload.problems,
        params=(params or {}, payload.params),
        narrative=narrative,
    )
