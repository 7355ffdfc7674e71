"""How the dashboards write numbers: in the indicator's unit and decimals, thousands grouped
and the decimal point as the reader's language writes them (1,490.5 · 1 490,5),
changes signed, shares as percents, and below zero with a true minus sign (−), as every page
writes it. Hidden and missing figures read as words, never as 0."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language, pgettext

from backbone.measurement.numbers import on_page

register = template.Library()


@dataclass(frozen=True)
class _Writing:
    """How one language writes a number, looked up once: a scorecard writes thousands."""

    decimal_sep: str
    grouping: object  # digits per group, or a sequence of them
    thousand_sep: str
    percent: str  # "%(number)s%"

    def number(self, value: Decimal, decimals: int) -> str:
        if self.grouping == 3:  # grouped by threes: Python's own "," grouping, then swapped
            text = format(value, ",f")
            return text.translate({44: self.thousand_sep, 46: self.decimal_sep})
        return numberformat.format(
            value, self.decimal_sep, decimals, self.grouping, self.thousand_sep, True
        )


@lru_cache(maxsize=32)
def _writing(language: str | None) -> _Writing:
    return _Writing(
        decimal_sep=get_format("DECIMAL_SEPARATOR", language),
        grouping=get_format("NUMBER_GROUPING", language),
        thousand_sep=get_format("THOUSAND_SEPARATOR", language),
        percent=pgettext("a figure in percent", "%(number)s%%"),
    )


def _quantized(value, decimals: int) -> Decimal:
    q = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return q if q else abs(q)  # never "−0.0"


def _rounded(value, decimals: int) -> str:
    """Grouped and pointed as the reader's language writes numbers: 1,234.5 · 1 234,5."""
    return on_page(_writing(get_language()).number(_quantized(value, decimals), decimals))


def _percent(text: str) -> str:
    return _writing(get_language()).percent % {"number": text}


def _missing(value) -> bool:
    # A missing attribute on the way (no prior period) reaches a filter as "".
    return value is None or value == ""


def decimals_of(indicator) -> int:
    """How many decimals the indicator's figures show: none for a count."""
    return 0 if indicator.unit == "count" else indicator.decimals


@register.filter
def figure(value, indicator) -> str:
    """50.3% · 1,490 · 92.1 — or an en dash for no value."""
    if _missing(value):
        return "–"
    text = _rounded(value, decimals_of(indicator))
    return _percent(text) if indicator.unit == "percent" else text


@register.filter
def change(value, indicator) -> str:
    """A difference in the indicator's unit, signed: +5.7 points, −14."""
    if _missing(value):
        return "–"
    decimals = decimals_of(indicator)
    text = _rounded(abs(value), decimals)
    shown = _quantized(value, decimals)
    sign = "+" if shown > 0 else "−" if shown < 0 else "±"
    if indicator.unit == "percent":
        return pgettext("a change in percentage points", "%(change)s pts") % {
            "change": f"{sign}{text}"
        }
    return f"{sign}{text}"


@register.filter
def share(value) -> str:
    """A fraction as a percent: 0.889 → 89%."""
    if _missing(value):
        return "–"
    return _percent(_rounded(Decimal(value) * 100, 0))


@register.filter
def percent(value) -> str:
    """A number of percent, whole: 67%."""
    if _missing(value):
        return "–"
    return _percent(_rounded(value, 0))


@register.filter
def ratio(value) -> str:
    return "–" if _missing(value) else f"{_rounded(value, 2)}×"


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def indent_place(depth: int) -> str:
    """Non-breaking spaces that show a place's depth in a list of places (a select's options
    keep no other indent)."""
    return "\u00a0\u00a0\u00a0" * int(depth or 0)
