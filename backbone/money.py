"""How every page writes an amount of money: "USD 420,000", "USD 1,234.50", "USD −1,500"
in English, "USD 1 234,50" in French.

The currency is the ISO code the grant or budget holds, written before the figure with a
non-breaking space so the two never part at a line break. Cents show only when there are
some, so whole amounts read as funders write them. Below zero is a true minus sign (−), as
every page writes it. No amount is converted from one currency into another.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

from backbone.measurement.numbers import MINUS

CENT = Decimal("0.01")
NONE = "–"
NBSP = "\u00a0"


def format_money(amount, currency: str | None = "") -> str:
    """`amount` with thousands grouped and its currency code in front; an en dash for no
    amount. A value that is not a number comes back as it was written."""
    if amount is None or amount == "":
        return NONE
    try:
        value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(amount)
    if not value.is_finite():
        return str(amount)
    size = abs(value)
    places = 0 if size == size.to_integral_value() else 2
    text = number_format(size, places, force_grouping=True)  # in the reader's format
    sign = MINUS if value < 0 else ""
    code = (currency or "").strip().upper()
    return f"{code}{NBSP}{sign}{text}" if code else f"{sign}{text}"
