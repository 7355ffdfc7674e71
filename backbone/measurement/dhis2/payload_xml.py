"""Reading a DHIS2 dataValueSet in XML (DXF), as JSON is read: row n is the n-th dataValue.
ADX and other XML are refused in one problem, and so is any DTD, so no entity is ever
expanded or fetched.
"""

from __future__ import annotations

from xml.parsers import expat

from django.utils.translation import gettext as _

from ..problems import Problem
from .payload import (
    _SET_FIELDS,
    _VALUE_FIELDS,
    IMPORT_PARAMS,
    Dhis2Value,
    Payload,
    _unknown_names,
    is_true,
    text_of,
)

_XML_VALUE_FIELDS = (*_VALUE_FIELDS, "followUp", "timestamp")
DXF_NAMESPACE = "http://dhis2.org/schema/dxf/2.0"
ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"


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
