"""The results page's bars, drawn from the means its tables show: the mean per element
(condition), weakest first, coloured and named by its band; and each shown group's mean
per element, largest disagreement first. A bar starts at the scale's lowest answer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from backbone.charts import position, series_class

from .scoring import BAND_LABELS, CONCERN, DISCUSS, STRENGTH, Scale
from .selectors import ComparisonTable, ElementResult

#: The bands' bar colours ("band-<band>" in assessments.css).
BAND_COLOURS = {STRENGTH: "#0b6e4f", DISCUSS: "#b36b00", CONCERN: "#a4161a"}


@dataclass(frozen=True)
class Bar:
    label: str
    mean: Decimal
    length: float  # percent of the scale's range
    css: str


@dataclass(frozen=True)
class ElementBars:
    key: str  # the element's anchor on the page
    name: str
    bars: list[Bar]


@dataclass(frozen=True)
class MeanChart:
    rows: list[ElementBars]
    low: int
    high: int
    legend: list[tuple[str, str]]  # (css, label)
    grouped: bool = False  # a bar per group: the legend names the bars

    @property
    def ticks(self) -> list[int]:
        return list(range(self.low, self.high + 1))

    @property
    def summary(self) -> str:
        return "; ".join(
            f"{row.name}: " + ", ".join(f"{b.label} {number_format(b.mean)}" for b in row.bars)
            for row in self.rows
        )


def element_bars(weakest: list[ElementResult], scale: Scale | None) -> MeanChart | None:
    """A bar per element that has a mean, in the table's order (weakest first); None when no
    element has one."""
    scored = [e for e in weakest if e.shown_mean is not None]
    if scale is None or not scored:
        return None
    return MeanChart(
        rows=[
            ElementBars(
                key=e.key,
                name=e.name,
                bars=[
                    Bar(
                        label=e.band_label,
                        mean=e.shown_mean,
                        length=position(e.shown_mean, scale.low, scale.high),
                        css=f"band-{e.band}",
                    )
                ],
            )
            for e in scored
        ],
        low=scale.low,
        high=scale.high,
        legend=[(f"band-{b}", BAND_LABELS[b]) for b in (STRENGTH, DISCUSS, CONCERN)],
    )


def group_bars(table: ComparisonTable, scale: Scale | None) -> MeanChart | None:
    """A bar per shown group for each element of the comparison table, in its order (largest
    disagreement first), a colour per group; None with fewer than two groups or no means."""
    if scale is None or len(table.columns) < 2:
        return None
    labels = [label for _, label, _ in table.columns]
    rows = [
        ElementBars(
            key=key,
            name=name,
            bars=[
                Bar(
                    label=labels[n],
                    mean=mean,
                    length=position(mean, scale.low, scale.high),
                    css=series_class(n),
                )
                for n, mean in enumerate(means)
                if mean is not None
            ],
        )
        for key, name, means, _gap in table.rows
    ]
    rows = [r for r in rows if r.bars]
    if not rows:
        return None
    return MeanChart(
        rows=rows,
        low=scale.low,
        high=scale.high,
        legend=[(series_class(n), label) for n, label in enumerate(labels)],
        grouped=True,
    )
