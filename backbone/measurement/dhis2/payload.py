"""A DHIS2 dataValueSet as read: its data values, what could not be read and the import
parameters it gives, with what the readers of every format share, and the reading of JSON.
`payload_csv` reads CSV and `payload_xml` XML; `reading.read_payload` tells which a
payload is. A
field DHIS2 does not have is refused by name, never dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..problems import Problem

# DHIS2's import parameters, which a payload may carry as its own attributes
IMPORT_PARAMS = ("dryRun", "importStrategy")

JSON_FIELDS = (
    "dataElement",
    "period",
    "orgUnit",
    "categoryOptionCombo",
    "attributeOptionCombo",
    "value",
)
_JSON_COLUMN = {f: f for f in (*JSON_FIELDS, "deleted")}
# What a data value and a data value set may hold in DHIS2's JSON and XML (its readers and
# writers); anything else is refused rather than dropped.
_VALUE_FIELDS = (
    *JSON_FIELDS,
    "storedBy",
    "created",
    "lastUpdated",
    "comment",
    "followup",
    "deleted",
)
_SET_FIELDS = (
    "dataSet",
    "completeDate",
    "period",
    "orgUnit",
    "attributeOptionCombo",
    "idScheme",
    "dataElementIdScheme",
    "orgUnitIdScheme",
    "categoryOptionComboIdScheme",
    "dataSetIdScheme",
    "dryRun",
    "importStrategy",
)

# --- reading a payload -----------------------------------------------------------------------


@dataclass(slots=True)
class Dhis2Value:
    """One DHIS2 data value as it arrived, with where it was (row, and column names)."""

    row: int
    data_element: str = ""
    period: str = ""
    org_unit: str = ""
    coc: str = ""
    aoc: str = ""
    value: object = None
    deleted: bool = False
    comment: str = ""
    followup: object = None  # as sent: checked when the value is read into Backbone
    stored_by: str = ""
    columns: dict[str, str] = field(default_factory=lambda: _JSON_COLUMN)

    def where(self, name: str) -> str:
        return self.columns.get(name, name)


def text_of(raw: object) -> str:
    return "" if raw is None else str(raw).strip()


def is_true(raw: object) -> bool:
    return raw is True or text_of(raw).lower() == "true"


def flag_of(raw: object) -> bool | None:
    """A DHIS2 true/false (empty is false); None for anything else."""
    if isinstance(raw, bool):
        return raw
    return {"": False, "true": True, "false": False}.get(text_of(raw).lower())


@dataclass
class Payload:
    """A data value set as read: its data values, what could not be read, and the import
    parameters the set itself gives (`dryRun`, `importStrategy`), as sent."""

    values: list[Dhis2Value]
    problems: list[Problem]
    params: dict[str, object] = field(default_factory=dict)


def normal_name(name: str) -> str:
    """A column name without case, spaces or punctuation: "Cat opt combo" is catoptcombo."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _unknown_names(
    found: dict[str, list[int]], file_name: str, unknown: str, known: Iterable[str]
) -> list[Problem]:
    """One problem per unknown field or attribute, at the first data value that has it, so
    that a name repeated in every data value is one problem, not thousands. `unknown` says
    what it is: "unknown field of a data value"."""
    problems = []
    for name, rows in found.items():
        more = len(set(rows)) - 1
        said = {"unknown": unknown, "known": ", ".join(known), "count": more}
        problems.append(
            Problem(
                (
                    ngettext(
                        "%(unknown)s (and in %(count)s more data value): Backbone reads only "
                        "%(known)s, and does not guess what others mean",
                        "%(unknown)s (and in %(count)s more data values): Backbone reads only "
                        "%(known)s, and does not guess what others mean",
                        more,
                    )
                    if more
                    else _(
                        "%(unknown)s: Backbone reads only %(known)s, and does not guess what "
                        "others mean"
                    )
                )
                % said,
                file_name,
                rows[0] or None,
                name,
            )
        )
    return problems


def read_json(content: bytes | str, file_name: str = "") -> Payload:
    """The data values of a DHIS2 dataValueSet in JSON. The set's own period, orgUnit and
    attributeOptionCombo stand for data values that leave them out, as in DHIS2; dataSet and
    completeDate are not used. A field DHIS2 does not have is refused: a misspelt
    categoryOptionCombo would otherwise make a breakdown a total."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        return Payload([], [Problem(_("not valid JSON: %(error)s") % {"error": exc}, file_name)])
    if not isinstance(data, dict) or not isinstance(data.get("dataValues"), list):
        return Payload(
            [],
            [Problem(_('expected a dataValueSet: an object with a "dataValues" list'), file_name)],
        )
    unknown = {k: [0] for k in data if k not in _SET_FIELDS and k != "dataValues"}
    problems = _unknown_names(
        unknown, file_name, _("unknown field of the dataValueSet"), _SET_FIELDS
    )
    defaults = {f: text_of(data.get(f)) for f in ("period", "orgUnit", "attributeOptionCombo")}
    values, unknown = [], {}
    for n, entry in enumerate(data["dataValues"], start=1):
        if not isinstance(entry, dict):
            problems.append(Problem(_("each data value must be an object"), file_name, n))
            continue
        for key in entry:
            if key not in _VALUE_FIELDS:
                unknown.setdefault(key, []).append(n)
        values.append(
            Dhis2Value(
                row=n,
                data_element=text_of(entry.get("dataElement")),
                period=text_of(entry.get("period")) or defaults["period"],
                org_unit=text_of(entry.get("orgUnit")) or defaults["orgUnit"],
                coc=text_of(entry.get("categoryOptionCombo")),
                aoc=text_of(entry.get("attributeOptionCombo")) or defaults["attributeOptionCombo"],
                value=entry.get("value"),
                deleted=is_true(entry.get("deleted")),
                comment=text_of(entry.get("comment")),
                followup=entry.get("followup"),
                stored_by=text_of(entry.get("storedBy")),
            )
        )
    problems += _unknown_names(
        unknown, file_name, _("unknown field of a data value"), _VALUE_FIELDS
    )
    params = {k: data[k] for k in IMPORT_PARAMS if data.get(k) not in (None, "")}
    return Payload(values, problems, params)
