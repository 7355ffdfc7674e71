"""What the charts draw, as plain data: the scorecard's sparklines (small SVG paths drawn on
the server, no script needed) and the turn-the-curve chart's series (drawn in the browser by
Chart.js from a JSON block). Every chart on a page also has a table with the same numbers,
for screen readers and for anyone who wants the figures.

A series break (`measurement.breaks`) is drawn as a break in the line, never a line across
it, with a marker naming the reason; the table and the text version say it too."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from backbone.measurement.models import Target

from . import progress
from .scorecard import ScorecardRow, trend_points
from .templatetags.figures import decimals_of, figure

WIDTH, HEIGHT, PAD = 120, 32, 3
SPARK_POINTS = 24  # a sparkline shows the last two years of months, or every year
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Sparkline:
    path: str  # SVG path: "M x y L x y …", broken ("M" again) at gaps
    last: tuple[float, float] | None  # the current point, drawn as a dot
    text: str = ""  # the same points in words, for screen readers
    width: int = WIDTH
    height: int = HEIGHT


def sparkline(
    values: list[Decimal | None],
    current_index: int | None = None,
    breaks_at: Collection[int] = (),
) -> Sparkline | None:
    """A line through the values, scaled to the box; gaps break the line, never drop to 0,
    and so does each position in `breaks_at` (the first value of a new series)."""
    known = [float(v) for v in values if v is not None]
    if len(known) < 2:
        return None
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    parts, pen_down, last = [], False, None
    for i, v in enumerate(values):
        if v is None:
            pen_down = False
            continue
        if i in breaks_at:
            pen_down = False
        x = PAD + i * step
        y = HEIGHT - PAD - (float(v) - low) / span * (HEIGHT - 2 * PAD)
        parts.append(f"{'L' if pen_down else 'M'}{x:.1f} {y:.1f}")
        pen_down = True
        if current_index is None or i <= current_index:
            last = (round(x, 1), round(y, 1))
    return Sparkline(" ".join(parts), last)


def with_sparklines(rows: list[ScorecardRow]) -> list[ScorecardRow]:
    """Give each row its sparkline, its text written as the pages write figures."""
    for row in rows:
        row.sparkline = row_sparkline(row, lambda v, i=row.indicator: figure(v, i))
    return rows


def row_sparkline(row: ScorecardRow, figure=str) -> Sparkline | None:
    """The row's last SPARK_POINTS points; `figure` writes a value for the text version."""
    points = row.points[-SPARK_POINTS:]
    current = points.index(row.current) if row.current in points else None
    starts = _break_reasons(row, [p.period for p in points])
    line = sparkline([p.value for p in points], current, starts)
    if line is None:
        return None
    words = _Words()
    return Sparkline(
        line.path,
        line.last,
        "; ".join(words.point(p, starts.get(i), figure) for i, p in enumerate(points)),
    )


class _Words:
    """The words of a sparkline's points, translated once for all of them."""

    def __init__(self):
        self.hidden = gettext("hidden (small number)")
        self.no_data = gettext("no data")
        self.at = gettext("%(period)s: %(value)s")
        self.new_series = gettext("new series (%(reason)s) from %(period)s: %(value)s")

    def point(self, point, new_series: str | None, figure) -> str:
        """One point in words: "2024: 61.5%", "new series (…) from 2024: 61.5%"."""
        if point.hidden:
            value = self.hidden
        elif point.value is None:
            value = self.no_data
        else:
            value = figure(point.value)
        said = {"period": point.period.label, "value": value}
        if new_series:
            return self.new_series % {**said, "reason": new_series}
        return self.at % said


def _break_reasons(row: ScorecardRow, periods: list) -> dict[int, str]:
    """Position → reason of each period in `periods` that starts a new series. A break at
    the first position has nothing before it to break from."""
    at = {b.period_id: b.reason for b in row.breaks}
    return {i: at[p.pk] for i, p in enumerate(periods) if i and p.pk in at}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def turn_the_curve(row: ScorecardRow, periods: list, targets: list[Target], ahead: int = 3) -> dict:
    """The chart's data: the history, the baseline trend carried `ahead` periods past the
    current one (the forecast: where the curve goes if nothing changes), and the targets.
    Numbers are exact decimals, gaps None, so that the chart's table (`chart_rows`) shows
    each as the rest of the page does; `chart_json` makes them floats for the browser.
    `breaks` lists where a new series starts (the position of its first period, and why):
    the line is not drawn across it, and the forecast does not run past the next one."""
    shown = len(row.points)
    future = periods[shown : shown + ahead]
    labels = [p.period.label for p in row.points] + [p.label for p in future]
    starts = _break_reasons(row, [p.period for p in row.points] + future)
    upto = row.points.index(row.current) if row.current in row.points else -1
    trend = [(i, v) for i, v in trend_points(row) if i <= upto]  # as the scorecard's forecast
    line = progress.fit_line(trend) if len(trend) >= 2 else None
    forecast: list[Decimal | None] = [None] * len(labels)
    if line is not None:
        slope, intercept = line
        start = trend[0][0]
        end = min([i for i in starts if i > upto] + [len(labels)])
        for i in range(start, end):
            forecast[i] = (slope * i + intercept).quantize(SIX_PLACES)  # as the scorecard's
    index = {p.period.pk: i for i, p in enumerate(row.points)}
    index |= {p.pk: shown + i for i, p in enumerate(future)}
    target_line: list[Decimal | None] = [None] * len(labels)
    for t in targets:
        if t.period_id in index:
            target_line[index[t.period_id]] = t.value
    actual = [p.value for p in row.points] + [None] * len(future)
    return {
        "labels": labels,
        "unit": row.indicator.unit,
        "decimals": decimals_of(row.indicator),
        "series": [
            {"key": "actual", "label": gettext("Reported"), "data": actual},
            {
                "key": "forecast",
                "label": gettext("Forecast from the baseline trend"),
                "data": forecast,
            },
            {"key": "target", "label": gettext("Target"), "data": target_line},
        ],
        "breaks": [
            {"index": i, "label": labels[i], "reason": reason} for i, reason in starts.items()
        ],
    }


def chart_json(chart: dict) -> dict:
    """The chart's data for Chart.js: numbers as floats, gaps as null."""
    series = [{**s, "data": [_number(v) for v in s["data"]]} for s in chart["series"]]
    return {**chart, "series": series}


def chart_rows(chart: dict) -> list[tuple[str, list[Decimal | None], str]]:
    """The chart as a table, one row per period: its text alternative. The third item is the
    reason a new series starts at that period ("" where none does)."""
    columns = [s["data"] for s in chart["series"]]
    starts = {b["index"]: b["reason"] for b in chart.get("breaks", [])}
    return [
        (label, [c[i] for c in columns], starts.get(i, ""))
        for i, label in enumerate(chart["labels"])
    ]
