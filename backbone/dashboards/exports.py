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
