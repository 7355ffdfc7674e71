"""Reading numbers typed by people: "1,234", "45.5%", " 12 " — and refusing the rest."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: object) -> Decimal | None:
    """None for an empty cell; ValueError with a readable reason for anything not a number."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"expected a number, found {text!r}")
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise ValueError("expected a number, found a non-finite value")
        return Decimal(repr(text))
    s = str(text).strip()
    if s.isdigit() and len(s) < 15:  # the common case, without the regular expressions
        return Decimal(s)
    if not s:
        return None
    if s.endswith("%"):
        s = s[:-1].rstrip()
    if THOUSANDS.match(s):
        s = s.replace(",", "")
    if not PLAIN.match(s):
        shown = s if len(s) <= 40 else s[:39] + "…"
        raise ValueError(f"expected a number, found {shown!r}")
    try:
        number = Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - PLAIN already guards
        raise ValueError(f"expected a number, found {s!r}") from exc
    if abs(number) >= Decimal(10) ** 14:
        raise ValueError(f"{s} is too large")
    return number


def as_text(number: Decimal | None) -> str | None:
    """A compact exact form for storage ("12", "0.5"); None stays None."""
    if number is None:
        return None
    text = str(number)
    if "E" in text:
        text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def places(text: str) -> int:
    """How many decimal places a number written by as_text has."""
    dot = text.find(".")
    return 0 if dot < 0 else len(text) - dot - 1
