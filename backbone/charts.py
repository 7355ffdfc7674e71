"""What the pages' pictures share: bar lengths on a common scale, shade levels for heat maps,
the series colours, and the contrast check every colour passes.

Pictures are drawn on the server (inline SVG, or table cells with a colour class): the
strict Content-Security-Policy runs no inline script or style, and a page reads the same
with no script at all. Each picture draws figures its page has already computed for its
table; nothing here counts anything again.

A bar's SVG has a 0–100 wide view box stretched to its box, so a length is a percentage of
the largest value drawn.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

#: What charts sit on: the cards' white and the page's grey.
BACKGROUNDS = ("#ffffff", "#f7f8fa")
#: WCAG 2.1, 1.4.11: a graphical object needs 3:1 against what is next to it.
GRAPHIC_CONTRAST = 3.0
#: WCAG 2.1, 1.4.3: text needs 4.5:1; the figures written inside heat-map cells are white.
TEXT_CONTRAST = 4.5

#: Colours for series told apart by a legend (`series-0` … in charts.css), in order.
SERIES = ("#1f4e79", "#0b6e4f", "#8a4b00", "#6a3d9a", "#b3002d", "#4d4d4d", "#00708a")

Number = int | float | Decimal


def proportion(value: Number | None, most: Number | None) -> float:
    """`value` as a percentage of `most`, for a bar's length: 0 for no value, a negative
    one or an empty scale, never more than 100."""
    if value is None or most is None or most <= 0 or value <= 0:
        return 0.0
    return round(min(float(value) / float(most), 1.0) * 100, 1)


def position(value: Number | None, low: Number, high: Number) -> float:
    """Where `value` sits between `low` and `high`, as a percentage, held inside 0–100."""
    if value is None or high <= low:
        return 0.0
    share = (float(value) - float(low)) / (float(high) - float(low))
    return round(min(max(share, 0.0), 1.0) * 100, 1)


def level(value: Number | None, most: Number | None, steps: int = 4) -> int:
    """A heat map's shade: 0 for nothing, else 1 to `steps` as `value` nears `most`."""
    if not value or value <= 0 or not most or most <= 0:
        return 0
    return max(1, min(steps, math.ceil(float(value) / float(most) * steps)))


def series_class(n: int) -> str:
    return f"series-{n % len(SERIES)}"


# --- contrast ---------------------------------------------------------------------------


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a "#rrggbb" colour."""
    h = colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def least_contrast(colour: str, against=BACKGROUNDS) -> float:
    return min(contrast(colour, bg) for bg in against)


def declared_colours(
    stylesheet: Path, prefix: str, properties: tuple[str, ...] = ("fill", "background-color")
) -> dict[str, str]:
    """`.{prefix}<name> { … fill: #hex … }` in a stylesheet, as name → colour (the first of
    `properties` declared): the tests hold the stylesheets to the palettes in Python."""
    text = stylesheet.read_text()
    names = "|".join(re.escape(p) for p in properties)
    pattern = re.compile(
        r"\." + re.escape(prefix) + r"([\w-]+)\s*\{[^}]*?(?:" + names + r"):\s*(#[0-9a-fA-F]{6})"
    )
    return {name: colour.lower() for name, colour in pattern.findall(text)}
