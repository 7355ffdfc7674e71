"""The pictures of the backbone's pages, drawn from the figures their tables show: secured
against needed per year (`selectors.secured_against_needed`) and hours per role per month
(`selectors.effort_by_role`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from backbone.charts import proportion, series_class
from backbone.money import format_money

from .selectors import EffortByRole, YearFunding

#: workplan.css draws secured as a filled bar and needed as an outline in these colours.
FUNDING_COLOURS = {"secured": "#0b6e4f", "needed": "#4a5561"}


@dataclass(frozen=True)
class FundingBar:
    """One year in one currency: the needed bar behind, the secured bar over it."""

    year: int
    currency: str
    needed: Decimal | None
    secured: Decimal
    share: int | None
    needed_length: float  # percent of the longest bar of the same currency
    secured_length: float

    @property
    def words(self) -> str:
        secured = format_money(self.secured, self.currency)
        if self.needed is None:
            return _("%(secured)s secured, no budget set") % {"secured": secured}
        needed = format_money(self.needed, self.currency)
        values = {"secured": secured, "needed": needed, "share": self.share}
        if self.share is None:
            return _("%(secured)s secured of %(needed)s needed") % values
        return _("%(secured)s secured of %(needed)s needed (%(share)s%%)") % values


@dataclass(frozen=True)
class FundingChart:
    bars: list[FundingBar]

    @property
    def summary(self) -> str:
        return "; ".join(f"{b.year}: {b.words}" for b in self.bars)


def funding_bars(years: list[YearFunding], *, with_share: bool = True) -> FundingChart | None:
    """A bar per year and currency. Each currency has its own scale, its largest amount
    needed or secured filling the width: amounts are never converted, so a euro bar is
    never measured against a dollar one. Without `with_share` (a funder's own grants, whose
    table shows no share either) the words leave the share secured out. None when there is
    nothing to draw."""
    most: dict[str, Decimal] = defaultdict(Decimal)
    for y in years:
        most[y.currency] = max(most[y.currency], y.needed or Decimal(0), y.secured)
    if not any(most.values()):
        return None
    return FundingChart(
        [
            FundingBar(
                year=y.year,
                currency=y.currency,
                needed=y.needed,
                secured=y.secured,
                share=y.share if with_share else None,
                needed_length=proportion(y.needed, most[y.currency]),
                secured_length=proportion(y.secured, most[y.currency]),
            )
            for y in years
        ]
    )


def hours(value: Decimal) -> str:
    """144.0 → 144, 40.5 → 40.5, 1234 → 1,234."""
    return f"{value:,.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Segment:
    role: str
    hours: Decimal
    start: float  # percent of the width, from the left
    length: float
    css: str


@dataclass(frozen=True)
class Stack:
    month: date
    total: Decimal
    segments: list[Segment]

    @property
    def length(self) -> float:
        return round(sum(s.length for s in self.segments), 1)


@dataclass(frozen=True)
class LegendEntry:
    name: str
    css: str
    starved: bool


@dataclass(frozen=True)
class EffortChart:
    stacks: list[Stack]
    legend: list[LegendEntry]

    @property
    def summary(self) -> str:
        return "; ".join(f"{s.month:%b %Y}: {hours(s.total)} hours" for s in self.stacks)


def effort_stacks(found: EffortByRole) -> EffortChart | None:
    """A stacked bar per month, a segment per role in the table's order; the busiest month
    fills the width. Segments start where the hours before them end, so rounding never
    opens a gap or pushes a bar past the edge. None with no hours at all."""
    most = max(found.totals, default=Decimal(0))
    if not most:
        return None
    stacks = []
    for n, month in enumerate(found.months):
        segments, before = [], Decimal(0)
        for k, row in enumerate(found.rows):
            hours = row.hours[n]
            if hours:
                start = proportion(before, most)
                before += hours
                segments.append(
                    Segment(
                        role=row.role["name"],
                        hours=hours,
                        start=start,
                        length=round(proportion(before, most) - start, 1),
                        css=series_class(k),
                    )
                )
        stacks.append(Stack(month=month, total=found.totals[n], segments=segments))
    starved = {r["key"] for r in found.starved}
    legend = [
        LegendEntry(name=r.role["name"], css=series_class(k), starved=r.role["key"] in starved)
        for k, r in enumerate(found.rows)
    ]
    return EffortChart(stacks=stacks, legend=legend)
