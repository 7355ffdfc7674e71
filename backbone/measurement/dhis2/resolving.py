"""Resolving DHIS2 data values into Backbone values: each data value's codes read through
the mappings (data element, period, org unit, category and attribute option combos), then
the data values that make one Backbone value (a rate's numerator and denominator) gathered
into one `Reported` row for the intake, each problem named at the row and column it came
from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..intake import Reported
from ..models import Indicator
from ..problems import Problem
from .codes import (
    DEFAULT_COMBO,
    MAX_COMMENT_LENGTH,
    MAX_STORED_BY_LENGTH,
    dhis2_period_parse,
    roles_for,
)
from .payload import Dhis2Value, flag_of, text_of
from .summary import NO_DELETING, shortened

_SEP = "\x1f"  # joins a DHIS2 row and column into one "column" the intake passes back


def _both(roles: Iterable[str]) -> str:
    """The numbers an indicator takes, said in a sentence: "value", "numerator and
    denominator" (they are column names, which stay as they are)."""
    roles = list(roles)
    if len(roles) == 1:
        return roles[0]
    return _("%(first)s and %(second)s") % {"first": ", ".join(roles[:-1]), "second": roles[-1]}


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


class Resolving:
    """The resolving half of `Dhis2Import` (backbone.measurement.dhis2.importing): from
    DHIS2 data values to the rows the intake checks."""

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
