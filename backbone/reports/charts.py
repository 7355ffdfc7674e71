"""The report's one chart, drawn on the server as SVG geometry: WeasyPrint runs no script,
and the page and the PDF then draw the same picture. A table with the same figures sits
beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .sections import EffortSection

WIDTH, BAR, GAP, LABEL = 540, 14, 8, 250


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    label: str
    value: str
    starved: bool

    @property
    def text_y(self) -> int:
        return self.y + BAR - 3

    @property
    def value_x(self) -> float:
        return round(LABEL + self.width + 6, 1)


@dataclass(frozen=True)
class Bars:
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR + GAP) + GAP

    @property
    def bar_left(self) -> int:
        return self.label_width

    @property
    def bar_height(self) -> int:
        return BAR

    @property
    def label_x(self) -> int:
        return self.label_width - 6


def effort_bars(section: EffortSection) -> Bars | None:
    """One bar per backbone role, as long as its hours in the period; None with no hours."""
    most = max((r.hours for r in section.rows), default=Decimal(0))
    if not most:
        return None
    room = WIDTH - LABEL - 60  # leave space for the figure after the longest bar
    starved = {r["key"] for r in section.starved}
    return Bars(
        [
            Bar(
                y=GAP + n * (BAR + GAP),
                width=round(float(r.hours / most) * room, 1),
                label=r.role["name"],
                value=f"{r.hours:,.1f} h",
                starved=r.role["key"] in starved,
            )
            for n, r in enumerate(section.rows)
        ]
    )
