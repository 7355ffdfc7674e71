"""DHIS2 `dataValueSets` in (JSON, CSV or XML) and out (JSON or CSV), through the initiative's
code mappings.

What a DHIS2 code means here is kept in `Dhis2Mapping` rows:

- a **data element** is one number of an indicator. Most indicators take one number, the
  value. A rate takes two data elements, its numerator and its denominator; a weighted
  average takes its value and its n. DHIS2 sends plain numbers, so the mapping says which
  part of the indicator a data element carries: its *role* (value, numerator, denominator or
  n). Until `Dhis2Mapping` has a field for it, the role is kept in the stored code:
  "numerator:KR01" maps the DHIS2 data element "KR01" to the numerator (a plain "KR01" is
  the value). `element_code` and `stored_code` are the only places that know this.
- a **category option combo** is a combination of groups (at most one group of each
  dimension that is not a geography), kept as the `Cell` of those groups — created when
  the mapping is made, with the cell key convention of the intake (`Cell.key_for`). A combo
  mapped to no groups is the total; an empty categoryOptionCombo is the total too.
- an **org unit** is a place (a group of a geography dimension), or no place: the whole
  area, for indicators not reported by place.
- an **attribute option combo** is a partner organisation, as DHIS2's attribute combos name
  an implementing partner or mechanism. A partner's short name is read too, and DHIS2's
  default combo (`DEFAULT_COMBO`) or none stands for the partner sending the values. A
  partner importing its own values may send a code of its own system, which is ignored;
  the backbone importing for many partners either names one partner for the whole payload
  or lets this column say whose each value is.

Several DHIS2 codes may mean the same thing (two combos for the total, say). Importing reads
each of them; exporting writes the one mapped first, since which code a value came in with
is not kept.

Periods: monthly yyyyMM, quarterly yyyyQn, yearly yyyy and financial years yyyyApril,
yyyyJuly, yyyyOct, yyyyNov map to the Backbone period of that kind starting that month (a
financial year may be kept in Backbone as a fiscal or a school year). DHIS2 has no other
period Backbone uses: a school year starting in August or September is not exported, and
DHIS2's daily, weekly and six-monthly periods are refused on import.

Importing checks every data value, then hands the values to the one intake path; any
problem names the row (the n-th data value of JSON or XML, or the line of the CSV file) and
the column, and nothing is written (DHIS2 would import the rest; Backbone refuses the whole
payload, as it does every file). CSV is read by position, as DHIS2 reads it. A column,
field or attribute Backbone does not understand is refused, never dropped: a dropped
categoryOptionCombo would file a breakdown as a total. ADX is refused. A data value's
comment, followup and storedBy are kept with the value.

DHIS2's import parameters `dryRun` and `importStrategy` (CREATE_AND_UPDATE, CREATE, UPDATE)
are honoured, from the request or the payload's own attributes (which win, as in DHIS2;
a dry run asked for either way is a dry run). A value equal to the stored one (numbers,
comment and followup, as DHIS2 compares them) is ignored, so importing the same payload
twice makes no second submission. DELETE and `deleted` values are refused: a value is
never deleted by import, since its history goes with it. The answer is DHIS2's import
summary, counted in data values as DHIS2 counts them.

Exporting writes the same format with the mappings reversed; values whose codes are not all
mapped are left out and counted by reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NoReturn
from xml.parsers import expat

from django.db import transaction
from django.db.models import QuerySet

from backbone.initiatives.models import Initiative, Partner

from .files.reading import column_letter
from .intake import NO_NOTES, Intake, Reported
from .models import Aggregation, Cell, DataValue, Dhis2Mapping, Group, Indicator, Period, Submission
from .numbers import as_text
from .problems import IntakeRefused, Problem

Kind = Dhis2Mapping.Kind

ROLES = ("value", "numerator", "denominator", "n")
ROLE_NAMES = {
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "n": "n (number of people behind an average)",
}
MAX_CODE_LENGTH = 50  # DHIS2 codes are at most 50 characters, uids 11
# The uid DHIS2 gives its "default" category option combo, on every instance; as an
# attributeOptionCombo it means no attribute: here, the partner sending the values.
DEFAULT_COMBO = "HllvX50cXC0"
MAX_COMMENT_LENGTH = DataValue._meta.get_field("comment").max_length
MAX_STORED_BY_LENGTH = DataValue._meta.get_field("stored_by").max_length

JSON_FIELDS = (
    "dataElement",
    "period",
    "orgUnit",
    "categoryOptionCombo",
    "attributeOptionCombo",
    "value",
)
# DHIS2 reads a CSV data value set by position, in this order, and skips its first row
# unread (CsvDataValueSetReader); these are the names its own export writes.
CSV_COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
    "deleted",
)
_CSV_POSITION = (*JSON_FIELDS, "storedBy", "lastUpdated", "comment", "followup", "deleted")
_JSON_COLUMN = {f: f for f in (*JSON_FIELDS, "deleted")}
_CSV_COLUMN = dict(zip(_CSV_POSITION, CSV_COLUMNS, strict=True))
# Every name DHIS2 and its documentation give a CSV column, spelled as `_normal` leaves it.
_CSV_NAMES = {
    **{c: f for f, c in _CSV_COLUMN.items()},
    "catoptcombo": "categoryOptionCombo",
    "attroptcombo": "attributeOptionCombo",
    "strby": "storedBy",
    "lstupd": "lastUpdated",
    "timestamp": "lastUpdated",
    "cmt": "comment",
    "flwup": "followup",
}
_CSV_REQUIRED = ("dataElement", "period", "orgUnit", "value")
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
_XML_VALUE_FIELDS = (*_VALUE_FIELDS, "followUp", "timestamp")
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
DXF_NAMESPACE = "http://dhis2.org/schema/dxf/2.0"
ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"

# --- roles of data elements ----------------------------------------------------------------


def stored_code(code: str, role: str) -> str:
    """The `Dhis2Mapping.code` of a data element mapped to `role`."""
    return code if role == "value" else f"{role}:{code}"


def element_code(stored: str) -> tuple[str, str]:
    """(DHIS2 code, role) of a stored data element mapping."""
    head, sep, rest = stored.partition(":")
    if sep and head in ROLES[1:]:
        return rest, head
    return stored, "value"


def roles_for(indicator: Indicator) -> tuple[str, ...]:
    """The numbers an indicator takes, in the order they are asked for."""
    if indicator.aggregation == Aggregation.RATE:
        return ("numerator", "denominator")
    if indicator.aggregation == Aggregation.WEIGHTED:
        return ("value", "n")
    return ("value",)


# --- periods ---------------------------------------------------------------------------------

FINANCIAL_MONTHS = {"April": 4, "July": 7, "Oct": 10, "Nov": 11}
_MONTHLY = re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")
_QUARTERLY = re.compile(r"^(\d{4})Q([1-4])$")
_YEARLY = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})(April|July|Oct|Nov)$")
_NOT_USED = [
    (re.compile(r"^\d{8}$"), "daily"),
    (re.compile(r"^\d{4}(Wed|Thu|Sat|Sun|Bi)?W\d{1,2}$"), "weekly"),
    (re.compile(r"^\d{4}(0[1-9]|1[0-2])B$"), "bi-monthly"),
    (re.compile(r"^\d{4}(April|Nov)?S[12]$"), "six-monthly"),
]


def dhis2_period_parse(text: str) -> tuple[str, date]:
    """(Backbone period kind, first day) of a DHIS2 period; ValueError saying why not."""
    text = text.strip()
    if m := _MONTHLY.match(text):
        return "month", date(int(m[1]), int(m[2]), 1)
    if m := _QUARTERLY.match(text):
        return "quarter", date(int(m[1]), 3 * int(m[2]) - 2, 1)
    if m := _YEARLY.match(text):
        return "year", date(int(m[1]), 1, 1)
    if m := _FINANCIAL.match(text):
        return "fiscal_year", date(int(m[1]), FINANCIAL_MONTHS[m[2]], 1)
    for pattern, name in _NOT_USED:
        if pattern.match(text):
            raise ValueError(f"{text} is a {name} DHIS2 period; Backbone has no {name} periods")
    shown = text if len(text) <= 30 else text[:29] + "…"
    raise ValueError(
        f"{shown!r} is not a DHIS2 period Backbone reads "
        "(monthly 202401, quarterly 2024Q1, yearly 2024, financial 2024April, 2024July, "
        "2024Oct or 2024Nov)"
    )


def dhis2_period_of(kind: str, start: date) -> str | None:
    """The DHIS2 code of a Backbone period, or None when DHIS2 has no such period."""
    if kind == "month":
        return f"{start.year}{start.month:02d}"
    if kind == "quarter" and start.month in (1, 4, 7, 10):
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if kind == "year" or (kind in ("fiscal_year", "school_year") and start.month == 1):
        return str(start.year)
    if kind in ("fiscal_year", "school_year"):
        for name, month in FINANCIAL_MONTHS.items():
            if start.month == month:
                return f"{start.year}{name}"
    return None


def _periods_by_start(initiative: Initiative) -> dict[tuple[str, date], str]:
    """(kind, start) → Backbone period code; a financial year is found as a fiscal or a
    school year, a January one also as a calendar year."""
    found: dict[tuple[str, date], str] = {}
    rows = Period.objects.filter(initiative=initiative).values_list("kind", "start", "code")
    for kind, start, code in sorted(rows, key=lambda r: r[0] != "fiscal_year"):
        key_kind = "fiscal_year" if kind == "school_year" else kind
        found.setdefault((key_kind, start), code)
        if kind in ("fiscal_year", "school_year") and start.month == 1:
            found.setdefault(("year", start), code)
    return found


# --- the mappings ----------------------------------------------------------------------------


class MappingError(ValueError):
    """A mapping that cannot be made; the message says why."""


@dataclass
class Mappings:
    """The initiative's mappings, read once, both ways."""

    elements: dict[str, tuple[Indicator, str]] = field(default_factory=dict)
    cocs: dict[str, dict[str, str]] = field(default_factory=dict)
    org_units: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    aocs: dict[str, str] = field(default_factory=dict)  # code → partner's short name
    # reversed, for export: where several codes mean the same, the one mapped first
    element_for: dict[tuple[int, str], str] = field(default_factory=dict)
    coc_for: dict[str, str] = field(default_factory=dict)
    org_unit_for: dict[int | None, str] = field(default_factory=dict)
    aoc_for: dict[int, str] = field(default_factory=dict)  # partner id → code

    @classmethod
    def load(cls, initiative: Initiative) -> Mappings:
        found = cls()
        rows = (
            Dhis2Mapping.objects.filter(initiative=initiative)
            .select_related("indicator", "place__dimension", "cell", "partner__organisation")
            .prefetch_related("cell__groups__dimension")
            .order_by("pk")
        )
        for m in rows:
            if m.kind == Kind.DATA_ELEMENT and m.indicator_id:
                code, role = element_code(m.code)
                found.elements[code] = (m.indicator, role)
                found.element_for.setdefault((m.indicator_id, role), code)
            elif m.kind == Kind.CATEGORY_OPTION_COMBO and m.cell_id:
                found.cocs[m.code] = {g.dimension.key: g.key for g in m.cell.groups.all()}
                found.coc_for.setdefault(m.cell.key, m.code)
            elif m.kind == Kind.ORG_UNIT:
                place = (m.place.dimension.key, m.place.key) if m.place_id else None
                found.org_units[m.code] = place
                found.org_unit_for.setdefault(m.place_id, m.code)
            elif m.kind == Kind.ATTRIBUTE_OPTION_COMBO and m.partner_id:
                found.aocs[m.code] = m.partner.organisation.slug
                found.aoc_for.setdefault(m.partner_id, m.code)
        return found


def _clean_code(initiative: Initiative, kind: str, code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise MappingError("Give the DHIS2 code.")
    if len(code) > MAX_CODE_LENGTH:
        raise MappingError(f"A DHIS2 code has at most {MAX_CODE_LENGTH} characters.")
    taken = [code]
    if kind == Kind.DATA_ELEMENT:
        if element_code(code)[1] != "value":
            raise MappingError("A data element code cannot start with a role and a colon.")
        taken = [stored_code(code, role) for role in ROLES]
    if Dhis2Mapping.objects.filter(initiative=initiative, kind=kind, code__in=taken).exists():
        raise MappingError(f"{code} is already mapped; delete that mapping first.")
    return code


def mapping_add_element(
    *, initiative: Initiative, code: str, indicator: Indicator, role: str = "value"
) -> Dhis2Mapping:
    """Map a DHIS2 data element to one number (`role`) of an indicator."""
    if indicator.initiative_id != initiative.pk:
        raise MappingError("No such indicator.")
    allowed = roles_for(indicator)
    if role not in allowed:
        raise MappingError(
            f"{indicator.name} takes its {' and '.join(allowed)} from DHIS2, not a {role}."
        )
    code = _clean_code(initiative, Kind.DATA_ELEMENT, code)
    return Dhis2Mapping.objects.create(
        initiative=initiative,
        kind=Kind.DATA_ELEMENT,
        code=stored_code(code, role),
        indicator=indicator,
    )


@transaction.atomic
def mapping_add_coc(*, initiative: Initiative, code: str, groups: Iterable[Group]) -> Dhis2Mapping:
    """Map a DHIS2 category option combo to a combination of groups (none: the total)."""
    groups = list(groups)
    dims = [g.dimension_id for g in groups]
    if len(set(dims)) != len(dims):
        raise MappingError("Choose at most one group of each dimension.")
    for g in groups:
        if g.initiative_id != initiative.pk:
            raise MappingError("No such group.")
        if g.dimension.is_geography:
            raise MappingError("Places come from org units, not from category option combos.")
    code = _clean_code(initiative, Kind.CATEGORY_OPTION_COMBO, code)
    key = Cell.key_for(g.pk for g in groups)
    cell, created = Cell.objects.get_or_create(initiative=initiative, key=key)
    if created and groups:
        cell.groups.set(groups)
    return Dhis2Mapping.objects.create(
        initiative=initiative, kind=Kind.CATEGORY_OPTION_COMBO, code=code, cell=cell
    )


def mapping_add_org_unit(*, initiative: Initiative, code: str, place: Group | None) -> Dhis2Mapping:
    """Map a DHIS2 org unit to a place, or (place None) to the whole area."""
    if place is not None and (
        place.initiative_id != initiative.pk or not place.dimension.is_geography
    ):
        raise MappingError("Choose a place of a geography dimension.")
    code = _clean_code(initiative, Kind.ORG_UNIT, code)
    return Dhis2Mapping.objects.create(
        initiative=initiative, kind=Kind.ORG_UNIT, code=code, place=place
    )


def mapping_add_aoc(*, initiative: Initiative, code: str, partner: Partner) -> Dhis2Mapping:
    """Map a DHIS2 attribute option combo to a partner organisation."""
    if partner.initiative_id != initiative.pk:
        raise MappingError("No such partner.")
    if (code or "").strip() == DEFAULT_COMBO:
        raise MappingError(
            f"{DEFAULT_COMBO} is DHIS2's default combo: it stands for the partner sending the "
            "values, so it is not mapped to one partner."
        )
    code = _clean_code(initiative, Kind.ATTRIBUTE_OPTION_COMBO, code)
    return Dhis2Mapping.objects.create(
        initiative=initiative, kind=Kind.ATTRIBUTE_OPTION_COMBO, code=code, partner=partner
    )


def mapping_delete(*, initiative: Initiative, kind: str, code: str) -> bool:
    """Delete one mapping by its kind and stored code; False if there was none."""
    deleted, _ = Dhis2Mapping.objects.filter(initiative=initiative, kind=kind, code=code).delete()
    return bool(deleted)


@dataclass(frozen=True)
class MappingRow:
    kind: str
    stored: str  # the stored code, which identifies the mapping
    code: str  # the DHIS2 code
    meaning: str  # what it maps to, in words
    role: str = ""
    exported_as: str = ""  # the code the export writes instead, when it is not this one


def _target(m: Dhis2Mapping) -> tuple:
    """What a mapping means, so that codes meaning the same can be found."""
    if m.kind == Kind.DATA_ELEMENT:
        return (m.kind, m.indicator_id, element_code(m.code)[1])
    return (m.kind, m.cell_id, m.place_id, m.partner_id)


def _dhis2_code(m: Dhis2Mapping) -> str:
    return element_code(m.code)[0] if m.kind == Kind.DATA_ELEMENT else m.code


def mapping_rows(initiative: Initiative) -> dict[str, list[MappingRow]]:
    """Every mapping of the initiative in words, by kind, each saying which code the export
    writes when several mean the same."""
    rows: dict[str, list[MappingRow]] = {k: [] for k in Kind.values}
    found = list(
        Dhis2Mapping.objects.filter(initiative=initiative)
        .select_related("indicator", "place__dimension", "cell", "partner__organisation")
        .prefetch_related("cell__groups__dimension")
        .order_by("pk")
    )
    first: dict[tuple, str] = {}
    for m in found:
        first.setdefault(_target(m), _dhis2_code(m))
    for m in sorted(found, key=lambda m: m.code):
        instead = first[_target(m)]
        instead = "" if instead == _dhis2_code(m) else instead
        if m.kind == Kind.DATA_ELEMENT:
            code, role = element_code(m.code)
            meaning = m.indicator.name if m.indicator_id else "—"
            rows[m.kind].append(
                MappingRow(m.kind, m.code, code, meaning, ROLE_NAMES[role], instead)
            )
            continue
        if m.kind == Kind.CATEGORY_OPTION_COMBO:
            groups = sorted(m.cell.groups.all(), key=lambda g: (g.dimension.position, g.pk))
            meaning = " × ".join(g.name for g in groups) if groups else "Total (no groups)"
        elif m.kind == Kind.ATTRIBUTE_OPTION_COMBO:
            meaning = m.partner.organisation.name if m.partner_id else "—"
        else:
            meaning = m.place.name if m.place_id else "The whole area (no place)"
        rows[m.kind].append(MappingRow(m.kind, m.code, m.code, meaning, exported_as=instead))
    rows[Kind.DATA_ELEMENT].sort(key=lambda r: (r.code, r.role))
    return rows


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


def _text(raw: object) -> str:
    return "" if raw is None else str(raw).strip()


def _is_true(raw: object) -> bool:
    return raw is True or _text(raw).lower() == "true"


def _flag(raw: object) -> bool | None:
    """A DHIS2 true/false (empty is false); None for anything else."""
    if isinstance(raw, bool):
        return raw
    return {"": False, "true": True, "false": False}.get(_text(raw).lower())


@dataclass
class Payload:
    """A data value set as read: its data values, what could not be read, and the import
    parameters the set itself gives (`dryRun`, `importStrategy`), as sent."""

    values: list[Dhis2Value]
    problems: list[Problem]
    params: dict[str, object] = field(default_factory=dict)


def _normal(name: str) -> str:
    """A column name without case, spaces or punctuation: "Cat opt combo" is catoptcombo."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _unknown_names(
    found: dict[str, list[int]], file_name: str, what: str, known: Iterable[str]
) -> list[Problem]:
    """One problem per unknown field or attribute, at the first data value that has it, so
    that a name repeated in every data value is one problem, not thousands."""
    problems = []
    for name, rows in found.items():
        more = len(set(rows)) - 1
        also = f" (and in {more} more data value{'s' if more > 1 else ''})" if more else ""
        problems.append(
            Problem(
                f"unknown {what}{also}: Backbone reads only {', '.join(known)}, and does not "
                "guess what others mean",
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
        return Payload([], [Problem(f"not valid JSON: {exc}", file_name)])
    if not isinstance(data, dict) or not isinstance(data.get("dataValues"), list):
        return Payload(
            [], [Problem('expected a dataValueSet: an object with a "dataValues" list', file_name)]
        )
    unknown = {k: [0] for k in data if k not in _SET_FIELDS and k != "dataValues"}
    problems = _unknown_names(unknown, file_name, "field of the dataValueSet", _SET_FIELDS)
    defaults = {f: _text(data.get(f)) for f in ("period", "orgUnit", "attributeOptionCombo")}
    values, unknown = [], {}
    for n, entry in enumerate(data["dataValues"], start=1):
        if not isinstance(entry, dict):
            problems.append(Problem("each data value must be an object", file_name, n))
            continue
        for key in entry:
            if key not in _VALUE_FIELDS:
                unknown.setdefault(key, []).append(n)
        values.append(
            Dhis2Value(
                row=n,
                data_element=_text(entry.get("dataElement")),
                period=_text(entry.get("period")) or defaults["period"],
                org_unit=_text(entry.get("orgUnit")) or defaults["orgUnit"],
                coc=_text(entry.get("categoryOptionCombo")),
                aoc=_text(entry.get("attributeOptionCombo")) or defaults["attributeOptionCombo"],
                value=entry.get("value"),
                deleted=_is_true(entry.get("deleted")),
                comment=_text(entry.get("comment")),
                followup=entry.get("followup"),
                stored_by=_text(entry.get("storedBy")),
            )
        )
    problems += _unknown_names(unknown, file_name, "field of a data value", _VALUE_FIELDS)
    params = {k: data[k] for k in IMPORT_PARAMS if data.get(k) not in (None, "")}
    return Payload(values, problems, params)


def _is_csv_header(record: list[str]) -> bool:
    """A first row naming any DHIS2 column, or holding no digit at all (a data row has its
    period), is a header; DHIS2 skips it unread, so a typo there does not stop DHIS2."""
    return any(_normal(c) in _CSV_NAMES for c in record) or not any(
        ch.isdigit() for c in record for ch in c
    )


def _csv_header(
    record: list[str], row: int, file_name: str
) -> tuple[list[str | None], dict[str, str], list[Problem]]:
    """(field of each column, the header's name of each field, problems) of a header row.

    Known names are read by name, in whatever order. A header in DHIS2's order (each named
    column where DHIS2 has it) also reads blank header cells and columns past its end by
    position, as DHIS2 does. A name that is no DHIS2 column is refused, never dropped."""
    fields: list[str | None] = []
    named: dict[str, str] = {}
    at: dict[str, int] = {}
    problems = []
    for i, cell in enumerate(record):
        text = cell.strip()
        field = _CSV_NAMES.get(_normal(text)) if text else None
        if text and field is None:
            if i < len(_CSV_POSITION):
                reason = (
                    f"unknown column “{text}”: DHIS2 reads column {column_letter(i)} as "
                    f"{CSV_COLUMNS[i]}; correct the header, or leave the header row out to "
                    "read the columns in DHIS2's order"
                )
            else:
                reason = (
                    f"unknown column “{text}”: DHIS2's CSV has {len(CSV_COLUMNS)} columns, "
                    f"{', '.join(CSV_COLUMNS)}"
                )
            problems.append(Problem(reason, file_name, row, text))
        elif field in at:
            problems.append(
                Problem(
                    f"the column “{text}” gives {_CSV_COLUMN[field]}, as column "
                    f"{column_letter(at[field])} does; keep one",
                    file_name,
                    row,
                    text,
                )
            )
            field = None
        elif field:
            at[field] = i
            named[field] = text
        fields.append(field)
    if all(at[f] == _CSV_POSITION.index(f) for f in at):
        fields += [None] * (len(_CSV_POSITION) - len(fields))
        for i, field in enumerate(_CSV_POSITION):
            if fields[i] is None and field not in at:
                fields[i] = field
    missing = [_CSV_COLUMN[f] for f in _CSV_REQUIRED if f not in fields]
    if missing:
        s = "s" if len(missing) > 1 else ""
        problems.append(Problem(f"missing column{s}: {', '.join(missing)}", file_name, row))
    return fields, named, problems


def read_csv(content: bytes | str, file_name: str = "") -> Payload:
    """The data values of a DHIS2 CSV data value set, read by position as DHIS2 reads it.

    The header row is optional. DHIS2 skips it unread; here it is checked, so that a column
    Backbone does not understand is refused instead of dropped (see `_csv_header`). Without
    one the columns are DHIS2's, in DHIS2's order. A value in a column that has no meaning
    is refused too."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return Payload([], [Problem("the file is not UTF-8 text", file_name)])
    content = content.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(content, newline=""))
    fields: list[str | None] | None = None
    columns = _CSV_COLUMN
    header = False
    values: list[Dhis2Value] = []
    problems: list[Problem] = []
    stray: dict[int, list[tuple[int, str]]] = {}  # column → (row, text) of values it holds
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if fields is None:
                if _is_csv_header(record):
                    fields, named, problems = _csv_header(record, reader.line_num, file_name)
                    if problems:
                        return Payload([], problems)
                    columns, header = {**_CSV_COLUMN, **named}, True
                    continue
                fields = list(_CSV_POSITION)
            cells: dict[str, str] = {}
            for i, cell in enumerate(record):
                field = fields[i] if i < len(fields) else None
                if field:
                    cells[field] = cell
                elif cell.strip():
                    stray.setdefault(i, []).append((reader.line_num, cell.strip()))
            values.append(
                Dhis2Value(
                    row=reader.line_num,
                    data_element=_text(cells.get("dataElement")),
                    period=_text(cells.get("period")),
                    org_unit=_text(cells.get("orgUnit")),
                    coc=_text(cells.get("categoryOptionCombo")),
                    aoc=_text(cells.get("attributeOptionCombo")),
                    value=cells.get("value"),
                    deleted=_is_true(cells.get("deleted")),
                    comment=_text(cells.get("comment")),
                    followup=cells.get("followup"),
                    stored_by=_text(cells.get("storedBy")),
                    columns=columns,
                )
            )
    except csv.Error as exc:
        problems.append(Problem(f"not a readable CSV file: {exc}", file_name, reader.line_num))
    for i, found in sorted(stray.items()):
        (row, text), more = found[0], len(found) - 1
        shown = text if len(text) <= 30 else text[:29] + "…"
        reason = f"a value ({shown}) in a column " + (
            "with no header"
            if header
            else f"DHIS2 does not have: its CSV has {len(CSV_COLUMNS)} columns, "
            f"{', '.join(CSV_COLUMNS)}"
        )
        if more:
            reason += f" (and in {more} more row{'s' if more > 1 else ''})"
        problems.append(Problem(reason, file_name, row, f"column {column_letter(i)}"))
    return Payload(values, problems)


class _XmlRefused(Exception):
    """An XML payload Backbone does not read at all; the message says why."""


class _XmlValueSet:
    """Expat handlers that collect the dataValues of a DHIS2 dataValueSet."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.depth = 0
        self.defaults: dict[str, str] = {}
        self.params: dict[str, object] = {}
        self.values: list[Dhis2Value] = []
        self.unknown_set: dict[str, list[int]] = {}
        self.unknown_value: dict[str, list[int]] = {}
        self.unknown_elements: dict[str, list[int]] = {}

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        self.depth += 1
        # attributes in a namespace (xsi:schemaLocation) are about the document, not data
        plain = {k: v for k, v in attributes.items() if " " not in k}
        if self.depth == 1:
            if local == "adx" or namespace == ADX_NAMESPACE:
                raise _XmlRefused(
                    "this is an ADX file, which Backbone does not read (ADX names categories "
                    "and options, not the category option combos the mappings use): send a "
                    "DHIS2 data value set as JSON, CSV or XML instead"
                )
            if local != "dataValueSet" or namespace not in ("", DXF_NAMESPACE):
                raise _XmlRefused(
                    "expected a DHIS2 dataValueSet "
                    f'(<dataValueSet xmlns="{DXF_NAMESPACE}"> holding <dataValue> elements), '
                    f"found <{local}>"
                )
            self.defaults = {
                f: _text(plain.get(f)) for f in ("period", "orgUnit", "attributeOptionCombo")
            }
            self.params = {k: plain[k] for k in IMPORT_PARAMS if plain.get(k)}
            for key in plain:
                if key not in _SET_FIELDS:
                    self.unknown_set.setdefault(key, []).append(0)
        elif self.depth == 2 and local == "dataValue":
            n = len(self.values) + 1
            for key in plain:
                if key not in _XML_VALUE_FIELDS:
                    self.unknown_value.setdefault(key, []).append(n)
            self.values.append(
                Dhis2Value(
                    row=n,
                    data_element=_text(plain.get("dataElement")),
                    period=_text(plain.get("period")) or self.defaults["period"],
                    org_unit=_text(plain.get("orgUnit")) or self.defaults["orgUnit"],
                    coc=_text(plain.get("categoryOptionCombo")),
                    aoc=_text(plain.get("attributeOptionCombo"))
                    or self.defaults["attributeOptionCombo"],
                    value=plain.get("value"),
                    deleted=_is_true(plain.get("deleted")),
                    comment=_text(plain.get("comment")),
                    followup=plain.get("followUp", plain.get("followup")),
                    stored_by=_text(plain.get("storedBy")),
                )
            )
        else:  # inside a dataValue, name its row
            row = len(self.values) if self.depth > 2 else 0
            self.unknown_elements.setdefault(f"<{local}>", []).append(row)

    def end(self, name: str) -> None:
        self.depth -= 1

    def problems(self) -> list[Problem]:
        return [
            *_unknown_names(
                self.unknown_set, self.file_name, "attribute of the dataValueSet", _SET_FIELDS
            ),
            *_unknown_names(
                self.unknown_value, self.file_name, "attribute of a dataValue", _XML_VALUE_FIELDS
            ),
            *_unknown_names(
                self.unknown_elements,
                self.file_name,
                "element",
                ["a <dataValueSet> holding <dataValue> elements"],
            ),
        ]


def _refuse_declarations(*args) -> None:
    raise _XmlRefused(
        "the XML file declares a DTD or entities, which a DHIS2 data value set never does; "
        "it is not read"
    )


def read_xml(content: bytes | str, file_name: str = "") -> Payload:
    """The data values of a DHIS2 dataValueSet in XML, read as `read_json` reads JSON (row n
    is the n-th dataValue). ADX and other XML are refused in one problem. Expat, with any
    DTD refused, so no entity is ever expanded or fetched."""
    parser = expat.ParserCreate(namespace_separator=" ")
    found = _XmlValueSet(file_name)
    parser.StartElementHandler = found.start
    parser.EndElementHandler = found.end
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    try:
        parser.Parse(content, True)
    except _XmlRefused as exc:
        return Payload([], [Problem(str(exc), file_name)])
    except expat.ExpatError as exc:
        return Payload([], [Problem(f"not valid XML: {exc}", file_name)])
    return Payload(found.values, found.problems(), found.params)


def read_payload(content: bytes, file_name: str = "") -> Payload:
    """XML by its first character "<" (no JSON or CSV starts so) or its name; then JSON or
    CSV by the file's name or, failing that, by its first character."""
    name = file_name.lower()
    first = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    utf16_xml = content.startswith((b"\xff\xfe<\x00", b"\xfe\xff\x00<"))
    if first == b"<" or utf16_xml or name.endswith((".xml", ".adx")):
        return read_xml(content, file_name)
    if name.endswith(".json") or (not name.endswith(".csv") and first in (b"{", b"[")):
        return read_json(content, file_name)
    return read_csv(content, file_name)


# --- import parameters and the import summary ------------------------------------------------

IMPORT_PARAMS = ("dryRun", "importStrategy")
CREATE_AND_UPDATE, CREATE, UPDATE, DELETE = "CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE"
IMPORT_STRATEGIES = (CREATE_AND_UPDATE, CREATE, UPDATE, DELETE)
_STRATEGY_ALIASES = {  # the names older DHIS2 versions and clients send
    "NEW_AND_UPDATES": CREATE_AND_UPDATE,
    "NEW": CREATE,
    "UPDATES": UPDATE,
    "DELETES": DELETE,
}
NO_DELETING = (
    "deleting a value is not done by import, since its history would go with it; leave the "
    "value out, or ask the backbone team to correct it"
)
IGNORED_UNCHANGED = "unchanged"
IGNORED_STORED = "already stored (importStrategy CREATE)"
IGNORED_NEW = "not stored yet (importStrategy UPDATE)"
IGNORED_REFUSED = "refused with the payload"


def _shown(text: str, most: int = 30) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


@dataclass(frozen=True)
class ImportOptions:
    """DHIS2's import parameters that Backbone honours."""

    dry_run: bool = False
    strategy: str = CREATE_AND_UPDATE

    @property
    def creates(self) -> bool:
        return self.strategy in (CREATE_AND_UPDATE, CREATE)

    @property
    def updates(self) -> bool:
        return self.strategy in (CREATE_AND_UPDATE, UPDATE)


def import_options(
    *sources: Mapping[str, object], file_name: str = ""
) -> tuple[ImportOptions, list[Problem]]:
    """dryRun and importStrategy from each source in turn, the request's parameters first and
    then the payload's own, which win as they do in DHIS2. A dry run asked for by any source
    is a dry run, so that nothing is written by surprise."""
    dry_run, strategy, problems = False, CREATE_AND_UPDATE, []
    for params in sources:
        raw = params.get("dryRun")
        if raw is not None and raw != "":
            flag = _flag(raw)
            if flag is None:
                problems.append(
                    Problem(
                        f"dryRun is true or false, not {_shown(_text(raw))!r}",
                        file_name,
                        None,
                        "dryRun",
                    )
                )
            dry_run = dry_run or bool(flag)
        raw = _text(params.get("importStrategy"))
        if raw:
            name = _STRATEGY_ALIASES.get(raw.upper(), raw.upper())
            if name in IMPORT_STRATEGIES:
                strategy = name
            else:
                problems.append(
                    Problem(
                        f"importStrategy is {', '.join(IMPORT_STRATEGIES[:-1])} or "
                        f"{IMPORT_STRATEGIES[-1]}, not {_shown(raw)!r}",
                        file_name,
                        None,
                        "importStrategy",
                    )
                )
    if strategy == DELETE:
        problems.append(
            Problem(
                f"importStrategy DELETE is not offered: {NO_DELETING}",
                file_name,
                None,
                "importStrategy",
            )
        )
    return ImportOptions(dry_run, strategy), problems


@dataclass
class ImportSummary:
    """What an import did, or in a dry run would do. Counted in data values, as DHIS2 counts
    them (a rate's numerator and denominator are two), with why each ignored one was."""

    options: ImportOptions = field(default_factory=ImportOptions)
    imported: int = 0
    updated: int = 0
    ignored: Counter = field(default_factory=Counter)  # why → how many data values
    submission: Submission | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    conflicts: list[dict] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "ERROR" if self.problem_count else "SUCCESS"

    @property
    def ignored_count(self) -> int:
        return sum(self.ignored.values())

    @property
    def description(self) -> str:
        if self.problem_count:
            s = "s" if self.problem_count != 1 else ""
            return (
                f"Nothing was imported: {self.problem_count} problem{s}. A data value set with "
                "any problem is refused as a whole; the conflicts say where."
            )
        counts = f"{self.imported} imported, {self.updated} updated, {self.ignored_count} ignored"
        if self.ignored:
            counts += " (" + ", ".join(f"{n} {why}" for why, n in self.ignored.most_common()) + ")"
        if self.options.dry_run:
            return f"Dry run, nothing was written: {counts}."
        if self.submission is None:
            return f"Nothing to write, so no submission was made: {counts}."
        return f"Import process completed successfully: {counts}."

    def as_dhis2(self) -> dict:
        """The summary as DHIS2's ImportSummary in JSON; `reference` is the submission."""
        found = {
            "responseType": "ImportSummary",
            "status": self.status,
            "importOptions": {
                "dryRun": self.options.dry_run,
                "importStrategy": self.options.strategy,
                "idSchemes": {},
            },
            "description": self.description,
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored_count,
                "deleted": 0,
            },
            "conflicts": self.conflicts,
            "dataSetComplete": "false",
        }
        if self.submission is not None:
            found["reference"] = str(self.submission.uuid)
        return found


def web_message(summary: ImportSummary) -> tuple[dict, int]:
    """DHIS2's answer to POST /api/dataValueSets and its HTTP status: 200 with the summary,
    or 409 when the payload was refused."""
    if summary.status == "ERROR":
        head = {
            "httpStatus": "Conflict",
            "httpStatusCode": 409,
            "status": "ERROR",
            "message": "An error occurred, please check import summary.",
        }
    else:
        head = {
            "httpStatus": "OK",
            "httpStatusCode": 200,
            "status": "OK",
            "message": "Import was successful.",
        }
    return {**head, "response": summary.as_dhis2()}, head["httpStatusCode"]


class Dhis2Refused(IntakeRefused):
    """Nothing was written; `summary` is DHIS2's answer saying why."""

    def __init__(self, summary: ImportSummary):
        super().__init__(summary.problems, summary.problem_count)
        self.summary = summary


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
        self.periods = _periods_by_start(initiative)
        self.partner_slugs = set(self.intake.catalogue.partners)
        self.problems: list[Problem] = []
        # the data values behind each Backbone value, by its row: role → data value
        self._parts: dict[int, dict[str, Dhis2Value]] = {}
        # each data value by its row, and its place in the payload (DHIS2's index)
        self._by_row: dict[int, Dhis2Value] = {}
        self._index: dict[int, int] = {}

    def _problem(self, reason: str, value: Dhis2Value, name: str | None = None) -> None:
        self.problems.append(
            Problem(reason, self.file_name, value.row, value.where(name) if name else None)
        )

    def _period(self, value: Dhis2Value) -> str | None:
        if not value.period:
            self._problem("period is missing", value, "period")
            return None
        try:
            kind, start = dhis2_period_parse(value.period)
        except ValueError as exc:
            self._problem(str(exc), value, "period")
            return None
        code = self.periods.get((kind, start))
        if code is None:
            self._problem(
                f"no Backbone period matches DHIS2 period {value.period}", value, "period"
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
                f"attribute option combo {aoc!r} is not mapped to a partner, nor is it a "
                "partner's short name",
                value,
                "attributeOptionCombo",
            )
        return slug

    def _notes(self, value: Dhis2Value) -> None:
        """Comment, followup and storedBy are kept with the value: check they fit."""
        if len(value.comment) > MAX_COMMENT_LENGTH:
            self._problem(
                f"the comment is longer than {MAX_COMMENT_LENGTH} characters", value, "comment"
            )
        if _flag(value.followup) is None:
            self._problem(
                f"followup is true or false, not {_shown(_text(value.followup))!r}",
                value,
                "followup",
            )
        if len(value.stored_by) > MAX_STORED_BY_LENGTH:
            self._problem(
                f"storedBy is longer than {MAX_STORED_BY_LENGTH} characters", value, "storedBy"
            )

    def _resolve(self, value: Dhis2Value) -> _Combined | None:
        """The Backbone meaning of one data value, or None after naming its problems."""
        before = len(self.problems)
        if value.deleted:
            self._problem(NO_DELETING, value, "deleted")
        self._notes(value)
        element = None
        if not value.data_element:
            self._problem("dataElement is missing", value, "dataElement")
        else:
            element = self.mappings.elements.get(value.data_element)
            if element is None:
                self._problem(
                    f"data element {value.data_element!r} is not mapped to an indicator",
                    value,
                    "dataElement",
                )
        period = self._period(value)
        groups: dict[str, str] = {}
        group_columns: dict[str, str] = {}
        if not value.org_unit:
            self._problem("orgUnit is missing", value, "orgUnit")
        elif value.org_unit not in self.mappings.org_units:
            self._problem(f"org unit {value.org_unit!r} is not mapped to a place", value, "orgUnit")
        elif place := self.mappings.org_units[value.org_unit]:
            groups[place[0]] = place[1]
            group_columns[place[0]] = _at(value, "orgUnit")
        if value.coc:
            combo = self.mappings.cocs.get(value.coc)
            if combo is None:
                self._problem(
                    f"category option combo {value.coc!r} is not mapped to groups",
                    value,
                    "categoryOptionCombo",
                )
            elif set(combo) & set(groups):
                self._problem(
                    "the category option combo and the org unit both give a place",
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
                    f"the {role} of {found.indicator.code} for this period, org unit and "
                    f"category option combo was already given in row {into.parts[role].row}",
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
                    f"data element {c.parts[role].data_element!r} gives a {role}, which "
                    f"{c.indicator.code} does not take (it takes {' and '.join(needed)})",
                    c.parts[role],
                    "dataElement",
                )
            missing = [r for r in needed if r not in c.parts]
            for role in missing:
                some = next(iter(c.parts.values()))
                mapped = (c.indicator.pk, role) in self.mappings.element_for
                self._problem(
                    f"{c.indicator.code} needs its {role} too: "
                    + (
                        "send the data element mapped to it for the same period, org unit "
                        "and category option combo"
                        if mapped
                        else "no data element is mapped to it yet"
                    ),
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
                    f"the comments of its {' and '.join(needed)} are longer than "
                    f"{MAX_COMMENT_LENGTH} characters together",
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
                    followup=any(_flag(p.followup) for p in parts),
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
        name = _CSV_NAMES.get(_normal(column)) or (column if column in IMPORT_PARAMS else None)
        value = self._by_row.get(problem.row) if problem.row is not None else None
        sent = ""
        if value is not None and name in _FIELD_ATTRIBUTE:
            sent = _text(getattr(value, _FIELD_ATTRIBUTE[name]))
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
            self.problems.append(Problem("no data values: the payload has none", self.file_name))
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


# --- exporting -------------------------------------------------------------------------------


@dataclass
class Dhis2Export:
    """What an export wrote: DHIS2 data values, how many Backbone values they carry, and the
    values left out, counted by reason."""

    data_values: list[dict[str, object]] = field(default_factory=list)
    exported: int = 0
    skipped: Counter = field(default_factory=Counter)

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())


NO_DHIS2_PERIOD = (
    "DHIS2 has no such period: a school or fiscal year must start in January, April, July, "
    "October or November"
)


def _cell_groups(initiative: Initiative) -> dict[int, list[tuple[int, bool]]]:
    """cell id → [(group id, is a place)] for every cell of the initiative."""
    found: dict[int, list[tuple[int, bool]]] = {}
    links = Cell.groups.through.objects.filter(cell__initiative=initiative).values_list(
        "cell_id", "group_id", "group__dimension__is_geography"
    )
    for cell_id, group_id, is_place in links:
        found.setdefault(cell_id, []).append((group_id, is_place))
    return found


def dhis2_export(*, initiative: Initiative, values: QuerySet[DataValue]) -> Dhis2Export:
    """The values as DHIS2 data values, the mappings reversed, with their comment, followup
    and storedBy. A value is left out (and counted) when its indicator, groups, place,
    partner or period has no DHIS2 code; where several codes mean the same, the one mapped
    first is written."""
    mappings = Mappings.load(initiative)
    cells = _cell_groups(initiative)
    out = Dhis2Export()
    rows = values.filter(initiative=initiative).values_list(
        "indicator_id",
        "indicator__aggregation",
        "period__kind",
        "period__start",
        "cell_id",
        "partner_id",
        "value",
        "numerator",
        "denominator",
        "weight",
        "updated_at",
        "comment",
        "followup",
        "stored_by",
    )
    for row in rows.iterator(chunk_size=5000):
        ind_id, aggregation, kind, start, cell_id, partner_id, value, num, den, weight = row[:10]
        at, comment, followup, stored_by = row[10:]
        period = dhis2_period_of(kind, start)
        if period is None:
            out.skipped[NO_DHIS2_PERIOD] += 1
            continue
        groups = cells.get(cell_id, [])
        places = [g for g, is_place in groups if is_place]
        if len(places) > 1:
            out.skipped["it is for more than one place"] += 1
            continue
        place = places[0] if places else None
        org_unit = mappings.org_unit_for.get(place)
        if org_unit is None:
            out.skipped[
                "no org unit is mapped to its place"
                if place
                else "no org unit is mapped to the whole area"
            ] += 1
            continue
        combo_key = Cell.key_for(g for g, is_place in groups if not is_place)
        combo = mappings.coc_for.get(combo_key, "" if combo_key == "" else None)
        if combo is None:
            out.skipped["no category option combo is mapped to its groups"] += 1
            continue
        aoc = mappings.aoc_for.get(partner_id)
        if aoc is None:
            out.skipped["no attribute option combo is mapped to its partner"] += 1
            continue
        numbers = {"value": value, "numerator": num, "denominator": den, "n": weight}
        if aggregation == Aggregation.RATE:
            needed = ("numerator", "denominator")
        elif aggregation == Aggregation.WEIGHTED:
            needed = ("value", "n")
        else:
            needed = ("value",)
        elements = [mappings.element_for.get((ind_id, role)) for role in needed]
        if None in elements:
            missing = needed[elements.index(None)]
            out.skipped[f"no data element is mapped to its {missing}"] += 1
            continue
        if any(numbers[role] is None for role in needed):
            # DHIS2 reads an empty value as a deletion: a blank (with its reason) stays here.
            out.skipped["it is blank"] += 1
            continue
        for role, element in zip(needed, elements, strict=True):
            data_value = {
                "dataElement": element,
                "period": period,
                "orgUnit": org_unit,
                "categoryOptionCombo": combo,
                "attributeOptionCombo": aoc,
                "value": as_text(Decimal(numbers[role])),
                "storedBy": stored_by,
                "lastUpdated": at.isoformat(timespec="seconds"),
                "comment": comment,
                "followup": followup,
            }
            for empty in ("storedBy", "comment"):  # DHIS2 leaves out what a value lacks
                if not data_value[empty]:
                    del data_value[empty]
            out.data_values.append(data_value)
        out.exported += 1
    return out


def export_json(export: Dhis2Export) -> str:
    """A dataValueSet as DHIS2 reads it (`POST /api/dataValueSets`)."""
    return json.dumps({"dataValues": export.data_values}, indent=1, ensure_ascii=False)


def export_csv_rows(export: Dhis2Export) -> list[list[object]]:
    """Rows of DHIS2's CSV data value set, without the header row. Numbers stay numbers,
    so that no spreadsheet reads them as text, and negative ones keep their sign."""
    return [
        [
            dv["dataElement"],
            dv["period"],
            dv["orgUnit"],
            dv["categoryOptionCombo"],
            dv["attributeOptionCombo"],
            Decimal(dv["value"]) if dv["value"] else "",
            dv.get("storedBy", ""),
            dv["lastUpdated"],
            dv.get("comment", ""),
            "true" if dv["followup"] else "false",
            "false",
        ]
        for dv in export.data_values
    ]
