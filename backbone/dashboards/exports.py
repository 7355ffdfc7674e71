"""The scorecard as a CSV file: the figures the reader sees on the page, nothing more — a
hidden figure is an empty cell marked "hidden", never the number behind it. The first period
of a new series carries the reason in "series break": rows on either side of it are not
comparable."""

from __future__ import annotations

from backbone.measurement.reporting import number_text

from .scorecard import Scorecard

HEADER = [
    "goal",
    "indicator",
    "kind",
    "unit",
    "period",
    "value",
    "note",
    "baseline",
    "target",
    "progress to target",
    "needle-moving",
    "widest gap",
    "gap by",
    "gap movement",
    "series break",
]


def scorecard_rows(card: Scorecard):
    """One row per indicator and reported period, oldest first."""
    for goal in card.goals:
        title = goal.goal.title if goal.goal else ""
        for row in goal.rows:
            ind = row.indicator
            gap = row.widest_gap
            starts = {b.period_id: b.reason for b in row.breaks}
            for point in row.points:
                is_current = point is row.current
                note = "hidden: fewer people than the threshold" if point.hidden else ""
                if point.provisional and not point.hidden:
                    note = "provisional: the period is open"
                yield [
                    title,
                    ind.code,
                    ind.kind,
                    ind.unit,
                    point.period.code,
                    number_text(point.value),
                    note,
                    number_text(row.baseline.value) if row.baseline and is_current else "",
                    number_text(row.target.value) if row.target and is_current else "",
                    number_text(row.progress) if is_current else "",
                    ("yes" if row.needle_moving else "no") if is_current else "",
                    number_text(gap.gap.difference) if is_current and gap and gap.gap else "",
                    gap.dimension.key if is_current and gap and gap.gap else "",
                    (gap.movement or "") if is_current and gap else "",
                    starts.get(point.period.pk, ""),
                ]


TABLE_HEADER = ["indicator", "period", "table", "row", "column", "value", "note"]


def table_rows(page):
    """The indicator page's breakdowns and cross-tab (`ChosenTables`) in one period, one
    figure a row: each dimension alone ("race", "place:1" for a level of places), then the
    cross-tab."""
    if page.period is None:
        return
    ind, period = page.row.indicator, page.period
    hidden_note = "hidden: fewer people than the threshold, or would reveal such a figure"

    def line(table_name, row, column, value, hidden):
        note = hidden_note if hidden else ("" if value is not None else "no data")
        return [ind.code, period.code, table_name, row, column, number_text(value), note]

    for dim, groups in page.breakdowns:
        axis = page.axes[dim.pk]
        for group, value in groups.items():
            hidden = value is None and page.breakdown_hidden(dim, group)
            yield line(axis.spec, group.key, "", value, hidden)
    cross = page.cross_tab
    if cross is None:
        return
    name = " x ".join(axis.spec for axis in cross.axes)
    for r in cross.rows:
        for c in cross.columns:
            value = cross.cells.get((r.pk, c.pk))
            yield line(name, r.key, c.key, value, cross.is_hidden(r.pk, c.pk))
