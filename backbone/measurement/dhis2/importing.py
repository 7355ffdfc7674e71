"""Importing DHIS2 data values through the one intake path: checked, combined into Backbone
values (a rate's numerator and denominator), compared with what is stored, written as one
submission or refused whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NoReturn

from django.utils.translation import gettext as _

from backbone.initiatives.models import Initiative, Partner

from ..intake import NO_NOTES, Intake, Reported
from ..models import (
    DataValue,
    Indicator,
    Submission,
)
from ..problems import IntakeRefused, Problem
from .codes import (
    DEFAULT_COMBO,
    MAX_COMMENT_LENGTH,
    MAX_STORED_BY_LENGTH,
    dhis2_period_parse,
    periods_by_start,
    roles_for,
)
from .mappings import Mappings
from .payload import (
    CSV_NAMES,
    IMPORT_PARAMS,
    Dhis2Value,
    flag_of,
    normal_name,
    read_payload,
    text_of,
)
from .summary import (
    IGNORED_NEW,
    IGNORED_REFUSED,
    IGNORED_STORED,
    IGNORED_UNCHANGED,
    NO_DELETING,
    Dhis2Refused,
    ImportSummary,
    import_options,
    shortened,
)

# --- importing -------------------------------------------------------------------------------

_SEP = "\x1f"  # joins a DHIS2 row and column into one "column" the intake passes back
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


def _both(roles: Iterable[str]) -> str:
    """The numbers an indicator takes, said in a sentence: "value", "numerator and
    denominator" (they are column names, which stay as they are)."""
    roles = list(roles)
    if len(roles) == 1:
        return roles[0]
    return _("%(first)s and %(second)s") % {"first": ", ".join(roles[:-1]), "second": roles[-1]}


def _same(old, new) -> bool:
    return (old is None) == (new is None) and (old is None or Decimal(old) == Decimal(new))


def _at(value: Dhis2Value, name: str) -> str:
    return f"{value.row}{_SEP}{value.where(name)}"


@dataclass
class _Combined:
    """The DHIS2 values that make one Backbone value (a rate's numerator and denominator)."""

    indicator: Indicator
    period: str
    groups: dict[str, str]
    partner: str | None
    first: Dhis2Value
    group_columns: dict[str, str]
    parts: dict[str, Dhis2Value] = field(default_factory=dict)


class Dhis2Import:
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
        self.partner = partner
        self.many_partners = many_partners
        self.file_name = file_name
        self.intake = Intake(
            initiative=initiative,
            by=by,
            channel=Submission.Channel.DHIS2,
            partner=partner,
            many_partners=many_partners,
            file_name=file_name,
            correction_reason=correction_reason,
        )
        self.mappings = Mappings.load(initiative)
        self.periods = periods_by_start(initiative)
        self.partner_slugs = set(self.intake.catalogue.partners)
        self.problems: list[Problem] = []
        # the data values behind each Backbone value, by its row: role → data value
        self._parts: dict[int, dict[str, Dhis2Value]] = {}
        # each data value by its row, and its place in the payload (DHIS2's index)
        self._by_row: dict[int, Dhis2Value] = {}
        self._index: dict[int, int] = {}

    def _problem(self, reason: str, value: Dhis2Value, name: str | None = None) -> None:
        self.problems.append(
            Problem(str(reason), self.file_name, value.row, value.where(name) if name else None)
        )

    def _period(self, value: Dhis2Value) -> str | None:
        if not value.period:
            self._problem(_("period is missing"), value, "period")
            return None
        try:
            kind, start = dhis2_period_parse(value.period)
        except ValueError as exc:
            self._problem(str(exc), value, "period")
            return None
        code = self.periods.get((kind, start))
        if code is None:
            self._problem(
                _("no Backbone period matches DHIS2 period %(period)s") % {"period": value.period},
                value,
                "period",
            )
        return code

    def _partner(self, value: Dhis2Value) -> str | None:
        """The short name of the partner a value is for; None for the partner importing. The
        attributeOptionCombo as mapped, else a partner's short name; DHIS2's default combo,
        or none, is whoever sends. A partner's own import ignores a code it does not know
        (its own system's, say): its values are its own whatever the code."""
        aoc = value.aoc
        if (self.many_partners and self.partner) or not aoc or aoc == DEFAULT_COMBO:
            return None
        slug = self.mappings.aocs.get(aoc) or (aoc if aoc in self.partner_slugs else None)
        if slug is None and self.many_partners:
            self._problem(
                _(
                    "attribute option combo %(code)s is not mapped to a partner, nor is it a "
                    "partner's short name"
                )
                % {"code": repr(aoc)},
                value,
                "attributeOptionCombo",
            )
        return slug

    def _notes(self, value: Dhis2Value) -> None:
        """Comment, followup and storedBy are kept with the value: check they fit."""
        if len(value.comment) > MAX_COMMENT_LENGTH:
            self._problem(
                _("the comment is longer than %(most)s characters") % {"most": MAX_COMMENT_LENGTH},
                value,
                "comment",
            )
        if flag_of(value.followup) is None:
            self._problem(
                _("followup is true or false, not %(sent)s")
                % {"sent": repr(shortened(text_of(value.followup)))},
                value,
                "followup",
            )
        if len(value.stored_by) > MAX_STORED_BY_LENGTH:
            self._problem(
                _("storedBy is longer than %(most)s characters") % {"most": MAX_STORED_BY_LENGTH},
                value,
                "storedBy",
            )

    def _resolve(self, value: Dhis2Value) -> _Combined | None:
        """The Backbone meaning of one data value, or None after naming its problems."""
        before = len(self.problems)
        if value.deleted:
            self._problem(NO_DELETING, value, "deleted")
        self._notes(value)
        element = None
        if not value.data_element:
            self._problem(_("dataElement is missing"), value, "dataElement")
        else:
            element = self.mappings.elements.get(value.data_element)
            if element is None:
                self._problem(
                    _("data element %(code)s is not mapped to an indicator")
                    % {"code": repr(value.data_element)},
                    value,
                    "dataElement",
                )
        period = self._period(value)
        groups: dict[str, str] = {}
        group_columns: dict[str, str] = {}
        if not value.org_unit:
            self._problem(_("orgUnit is missing"), value, "orgUnit")
        elif value.org_unit not in self.mappings.org_units:
            self._problem(
                _("org unit %(code)s is not mapped to a place") % {"code": repr(value.org_unit)},
                value,
                "orgUnit",
            )
        elif place := self.mappings.org_units[value.org_unit]:
            groups[place[0]] = place[1]
            group_columns[place[0]] = _at(value, "orgUnit")
        if value.coc:
            combo = self.mappings.cocs.get(value.coc)
            if combo is None:
                self._problem(
                    _("category option combo %(code)s is not mapped to groups")
                    % {"code": repr(value.coc)},
                    value,
                    "categoryOptionCombo",
                )
            elif set(combo) & set(groups):
                self._problem(
                    _("the category option combo and the org unit both give a place"),
                    value,
                    "categoryOptionCombo",
                )
            else:
                groups.update(combo)
                group_columns.update({d: _at(value, "categoryOptionCombo") for d in combo})
        partner = self._partner(value)
        if len(self.problems) > before or element is None or period is None:
            return None
        return _Combined(
            indicator=element[0],
            period=period,
            groups=groups,
            partner=partner,
            first=value,
            group_columns=group_columns,
        )

    def reported(self, values: Iterable[Dhis2Value]) -> list[Reported]:
        """Each Backbone value the data values make, its parts gathered from their rows."""
        combined: dict[tuple, _Combined] = {}
        for value in values:
            found = self._resolve(value)
            if found is None:
                continue
            role = self.mappings.elements[value.data_element][1]
            key = (
                found.indicator.pk,
                found.period,
                found.partner,
                tuple(sorted(found.groups.items())),
            )
            into = combined.setdefault(key, found)
            if role in into.parts:
                self._problem(
                    _(
                        "the %(role)s of %(indicator)s for this period, org unit and category "
                        "option combo was already given in row %(row)s"
                    )
                    % {
                        "role": role,
                        "indicator": found.indicator.code,
                        "row": into.parts[role].row,
                    },
                    value,
                    "dataElement",
                )
                continue
            into.parts[role] = value
        rows = []
        for c in combined.values():
            needed = roles_for(c.indicator)
            wrong = [r for r in c.parts if r not in needed]
            for role in wrong:
                self._problem(
                    _(
                        "data element %(code)s gives a %(role)s, which %(indicator)s does not "
                        "take (it takes %(needed)s)"
                    )
                    % {
                        "code": repr(c.parts[role].data_element),
                        "role": role,
                        "indicator": c.indicator.code,
                        "needed": _both(needed),
                    },
                    c.parts[role],
                    "dataElement",
                )
            missing = [r for r in needed if r not in c.parts]
            for role in missing:
                some = next(iter(c.parts.values()))
                mapped = (c.indicator.pk, role) in self.mappings.element_for
                self._problem(
                    (
                        _(
                            "%(indicator)s needs its %(role)s too: send the data element mapped "
                            "to it for the same period, org unit and category option combo"
                        )
                        if mapped
                        else _(
                            "%(indicator)s needs its %(role)s too: no data element is mapped to "
                            "it yet"
                        )
                    )
                    % {"indicator": c.indicator.code, "role": role},
                    some,
                    "dataElement",
                )
            if wrong or missing:
                continue
            columns = {
                "indicator": _at(c.first, "dataElement"),
                "period": _at(c.first, "period"),
                "partner": "partner"
                if self.partner and self.many_partners
                else _at(c.first, "attributeOptionCombo"),
                **c.group_columns,
            }
            for role, part in c.parts.items():
                columns[role] = _at(part, "value")
            # one comment for the value: its parts' own, each once, in the order asked for
            parts = [c.parts[role] for role in needed]
            comment = "; ".join(dict.fromkeys(p.comment for p in parts if p.comment))
            if len(comment) > MAX_COMMENT_LENGTH:
                self._problem(
                    _("the comments of its %(needed)s are longer than %(most)s characters together")
                    % {"needed": _both(needed), "most": MAX_COMMENT_LENGTH},
                    parts[0],
                    "comment",
                )
                continue
            self._parts[c.first.row] = dict(c.parts)
            rows.append(
                Reported(
                    indicator=c.indicator.code,
                    period=c.period,
                    groups=c.groups,
                    value=c.parts["value"].value if "value" in c.parts else None,
                    numerator=c.parts["numerator"].value if "numerator" in c.parts else None,
                    denominator=c.parts["denominator"].value if "denominator" in c.parts else None,
                    weight=c.parts["n"].value if "n" in c.parts else None,
                    partner=c.partner,
                    row=c.first.row,
                    columns=columns,
                    comment=comment,
                    followup=any(flag_of(p.followup) for p in parts),
                    stored_by=next((p.stored_by for p in parts if p.stored_by), ""),
                )
            )
        return rows

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

    def _take(self, checked: list, summary: ImportSummary) -> list:
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
            notes = self.intake.notes.get(c[:4], NO_NOTES)
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
        checked = self.intake.check(rows) if rows else []
        total = len(self.problems) + self.intake.problem_count
        if total:
            problems = self.problems + [self._place(p) for p in self.intake.problems]
            problems.sort(key=lambda p: (p.row or 0, p.column or ""))
            self._refuse(summary, problems, total)
        taken = self._take(checked, summary)
        if taken and not options.dry_run:
            self.intake.outliers &= {c[:4] for c in taken}
            try:
                summary.submission = self.intake.record(taken, status=status, narrative=narrative)
            except IntakeRefused as exc:  # something changed while the values were checked
                self._refuse(summary, exc.problems, exc.total)
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
