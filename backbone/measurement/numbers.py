"""Reading numbers typed by people: "1,234", "45.5%", " 12 " — and refusing the rest."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import get_language, gettext

MINUS = "\u2212"  # the minus sign pages write; files, forms and the API keep "-"
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Values are kept as numeric(20, 6): six decimal places, fourteen digits before the point.
SIX_PLACES = Decimal("0.000001")
TOO_LARGE = Decimal(10) ** 14


def stored(number: Decimal, written: str | None = None) -> Decimal:
    """`number` as it is kept: rounded to six decimal places, half away from zero as
    PostgreSQL rounds. Checks look at this, not at what was written, so that 0.0000004 is
    the zero it becomes. ValueError for a number that is not finite or too large to keep
    (`written`, if given, is how the message shows it)."""
    if not number.is_finite():
        raise ValueError(gettext("expected a number, found a non-finite value"))
    if abs(number) < TOO_LARGE:
        rounded = number.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
        if abs(rounded) < TOO_LARGE:
            return rounded
    shown = written or (format(number, "f") if number.adjusted() < 40 else format(number, "E"))
    raise ValueError(gettext("%(number)s is too large") % {"number": shown})


def parse_number(text: object) -> Decimal | None:
    """None for an empty cell; ValueError with a readable reason for anything not a number.
    A number is returned as it will be stored (`stored`), whether it came as text, as a JSON
    or spreadsheet number, or as a Decimal: the same checks hold for each."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(gettext("expected a number, found %(found)s") % {"found": repr(text)})
    if isinstance(text, int | Decimal):
        return stored(Decimal(text))
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise ValueError(gettext("expected a number, found a non-finite value"))
        return stored(Decimal(repr(text)), repr(text))
    s = str(text).strip()
    if s.isdigit() and len(s) < 15:  # the common case, without the regular expressions
        return Decimal(s)
    if s.startswith(MINUS):  # copied from a page
        s = "-" + s[1:]
    if not s:
        return None
    if s.endswith("%"):
        s = s[:-1].rstrip()
    if THOUSANDS.match(s):
        s = s.replace(",", "")
    if not PLAIN.match(s):
        shown = s if len(s) <= 40 else s[:39] + "…"
        raise ValueError(gettext("expected a number, found %(found)s") % {"found": repr(shown)})
    try:
        number = Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - PLAIN already guards
        found = {"found": repr(s)}
        raise ValueError(gettext("expected a number, found %(found)s") % found) from exc
    return stored(number, s if len(s) <= 40 else s[:39] + "…")


# A number typed with a decimal comma: "12,5", "-0,25", "1 234,5", "1.234,5", "12,5 %".
COMMA_DECIMAL = re.compile(r"^[+-]?(\d+|\d{1,3}([ \u00a0\u202f.]\d{3})+),\d+(\s?%)?$")
GROUPED = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+(\s?%)?$")


def as_typed_in(text: str, language: str | None = None) -> str:
    """A number typed into a form in the reader's own way, as files and the API write it:
    in French or Spanish "12,5" is 12.5 and "1 234,5" is 1234.5. Whatever does not read as
    such a number is left as typed, for `parse_number` to accept or to name. Files and the API
    keep one format (a point for decimals), whoever sends them."""
    language = language or get_language()
    if formats.get_format("DECIMAL_SEPARATOR", lang=language, use_l10n=True) != ",":
        return text
    s = text.strip()
    if COMMA_DECIMAL.match(s) or GROUPED.match(s):
        s = re.sub(r"[ \u00a0\u202f.]", "", s).replace(",", ".")
    return s


def on_page(text: str) -> str:
    """A number's text as pages show it: with a true minus sign, as every figure on a page
    has it, where files and form fields keep the "-" that spreadsheets and parsers read."""
    return MINUS + text[1:] if text.startswith("-") else text


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
