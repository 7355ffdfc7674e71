"""Reading a DHIS2 dataValueSet in JSON, CSV (by position, as DHIS2 reads it) or XML; a
field DHIS2 does not have is refused by name, never dropped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ..files.reading import column_letter
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
# Every name DHIS2 and its documentation give a CSV column, spelled as `normal_name` leaves it.
CSV_NAMES = {
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


def _is_csv_header(record: list[str]) -> bool:
    """A first row naming any DHIS2 column, or holding no digit at all (a data row has its
    period), is a header; DHIS2 skips it unread, so a typo there does not stop DHIS2."""
    return any(normal_name(c) in CSV_NAMES for c in record) or not any(
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
        field = CSV_NAMES.get(normal_name(text)) if text else None
        if text and field is None:
            if i < len(_CSV_POSITION):
                reason = _(
                    "unknown column “%(column)s”: DHIS2 reads column %(letter)s as %(field)s; "
                    "correct the header, or leave the header row out to read the columns in "
                    "DHIS2's order"
                ) % {"column": text, "letter": column_letter(i), "field": CSV_COLUMNS[i]}
            else:
                reason = _(
                    "unknown column “%(column)s”: DHIS2's CSV has %(number)s columns, %(columns)s"
                ) % {
                    "column": text,
                    "number": len(CSV_COLUMNS),
                    "columns": ", ".join(CSV_COLUMNS),
                }
            problems.append(Problem(reason, file_name, row, text))
        elif field in at:
            problems.append(
                Problem(
                    _(
                        "the column “%(column)s” gives %(field)s, as column %(letter)s does; "
                        "keep one"
                    )
                    % {
                        "column": text,
                        "field": _CSV_COLUMN[field],
                        "letter": column_letter(at[field]),
                    },
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
        problems.append(
            Problem(
                ngettext(
                    "missing column: %(columns)s", "missing columns: %(columns)s", len(missing)
                )
                % {"columns": ", ".join(missing)},
                file_name,
                row,
            )
        )
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
            return Payload([], [Problem(_("the file is not UTF-8 text"), file_name)])
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
                    data_element=text_of(cells.get("dataElement")),
                    period=text_of(cells.get("period")),
                    org_unit=text_of(cells.get("orgUnit")),
                    coc=text_of(cells.get("categoryOptionCombo")),
                    aoc=text_of(cells.get("attributeOptionCombo")),
                    value=cells.get("value"),
                    deleted=is_true(cells.get("deleted")),
                    comment=text_of(cells.get("comment")),
                    followup=cells.get("followup"),
                    stored_by=text_of(cells.get("storedBy")),
                    columns=columns,
                )
            )
    except csv.Error as exc:
        problems.append(
            Problem(
                _("not a readable CSV file: %(error)s") % {"error": exc},
                file_name,
                reader.line_num,
            )
        )
    for i, found in sorted(stray.items()):
        (row, text), more = found[0], len(found) - 1
        said = {
            "value": text if len(text) <= 30 else text[:29] + "…",
            "count": more,
            "number": len(CSV_COLUMNS),
            "columns": ", ".join(CSV_COLUMNS),
        }
        if header and more:
            reason = ngettext(
                "a value (%(value)s) in a column with no header (and in %(count)s more row)",
                "a value (%(value)s) in a column with no header (and in %(count)s more rows)",
                more,
            )
        elif header:
            reason = _("a value (%(value)s) in a column with no header")
        elif more:
            reason = ngettext(
                "a value (%(value)s) in a column DHIS2 does not have: its CSV has %(number)s "
                "columns, %(columns)s (and in %(count)s more row)",
                "a value (%(value)s) in a column DHIS2 does not have: its CSV has %(number)s "
                "columns, %(columns)s (and in %(count)s more rows)",
                more,
            )
        else:
            reason = _(
                "a value (%(value)s) in a column DHIS2 does not have: its CSV has %(number)s "
                "columns, %(columns)s"
            )
        column = pgettext("a column without a header, by its letter", "column %(letter)s") % {
            "letter": column_letter(i)
        }
        problems.append(Problem(reason % said, file_name, row, column))
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
        namespace, _space, local = name.rpartition(" ")
        self.depth += 1
        # attributes in a namespace (xsi:schemaLocation) are about the document, not data
        plain = {k: v for k, v in attributes.items() if " " not in k}
        if self.depth == 1:
            if local == "adx" or namespace == ADX_NAMESPACE:
                raise _XmlRefused(
                    _(
                        "this is an ADX file, which Backbone does not read (ADX names categories "
                        "and options, not the category option combos the mappings use): send a "
                        "DHIS2 data value set as JSON, CSV or XML instead"
                    )
                )
            if local != "dataValueSet" or namespace not in ("", DXF_NAMESPACE):
                raise _XmlRefused(
                    _(
                        'expected a DHIS2 dataValueSet (<dataValueSet xmlns="%(namespace)s"> '
                        "holding <dataValue> elements), found %(found)s"
                    )
                    % {"namespace": DXF_NAMESPACE, "found": f"<{local}>"}
                )
            self.defaults = {
                f: text_of(plain.get(f)) for f in ("period", "orgUnit", "attributeOptionCombo")
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
                    data_element=text_of(plain.get("dataElement")),
                    period=text_of(plain.get("period")) or self.defaults["period"],
                    org_unit=text_of(plain.get("orgUnit")) or self.defaults["orgUnit"],
                    coc=text_of(plain.get("categoryOptionCombo")),
                    aoc=text_of(plain.get("attributeOptionCombo"))
                    or self.defaults["attributeOptionCombo"],
                    value=plain.get("value"),
                    deleted=is_true(plain.get("deleted")),
                    comment=text_of(plain.get("comment")),
                    followup=plain.get("followUp", plain.get("followup")),
                    stored_by=text_of(plain.get("storedBy")),
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
                self.unknown_set,
                self.file_name,
                _("unknown attribute of the dataValueSet"),
                _SET_FIELDS,
            ),
            *_unknown_names(
                self.unknown_value,
                self.file_name,
                _("unknown attribute of a dataValue"),
                _XML_VALUE_FIELDS,
            ),
            *_unknown_names(
                self.unknown_elements,
                self.file_name,
                _("unknown element"),
                [_("a <dataValueSet> holding <dataValue> elements")],
            ),
        ]


def _refuse_declarations(*args) -> None:
    raise _XmlRefused(
        _(
            "the XML file declares a DTD or entities, which a DHIS2 data value set never does; "
            "it is not read"
        )
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
        return Payload([], [Problem(_("not valid XML: %(error)s") % {"error": exc}, file_name)])
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
