"""How the report writes hours and counts: thousands grouped, fixed decimals, a dash for none.
Money is written by the pages' one `money` filter (backbone/web/templatetags/money.py)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def _fixed(value, places: int) -> str:
    if value is None or value == "":
        return "–"
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}"


@register.filter
def hours(value) -> str:
    """1234.5 → 1,234.5"""
    return _fixed(value, 1)


@register.filter
def count(value) -> str:
    """1550 → 1,550"""
    return "–" if value is None or value == "" else f"{int(value):,}"
