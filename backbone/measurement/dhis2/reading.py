"""`read_payload`: a DHIS2 payload read in whichever format it is written, JSON, CSV or XML
(DXF or ADX)."""

from __future__ import annotations

from .payload import Payload, read_json
from .payload_csv import read_csv
from .payload_xml import read_xml


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
