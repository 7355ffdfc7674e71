"""The aggregation engine: the one place that answers "what is the value of this indicator for
these partners, places, groups and periods?". Dashboards, exports and the API all ask here, so
that a number means the same thing wherever it is shown.

How values add up is declared per indicator (`Indicator.aggregation`), across space (partners,
places, groups) and across time, as DHIS2 does:

- sum: counts of events add across space and across time.
- rate: numerators and denominators are summed across space AND time and the rate is
  recomputed from the sums (Σnum / Σden × rate_per). Percentages are never averaged: a partner
  serving 1,000 children weighs more than one serving 10.
- weighted: averages are weighted by their n, across space and time: Σ(value × n) / Σn.
- stock: a point-in-time count. For each partner and cell the value of the latest period (by
  start) among the chosen periods that has one is taken, then those are summed across partners
  and cells. A partner that did not report in the last month still counts with its last value.
- cumulative: a running total, rolled up like a stock (its latest value), summed across space.

Cells. An indicator with dimensions is reported per combination of groups. A *full* cell has one
group of every one of the indicator's dimensions; every total and margin is computed from the
full cells, never from totals a partner typed. On purpose, therefore:

- A partner that reported the total cell but no full cell for a period (say, the total only)
  still counts in overall answers (the total, and the answers per partner and per period) —
  its total stands in for its cells. It cannot say how the total splits by group, so it takes
  no part in breakdowns or in answers filtered by group; a breakdown then adds up to less
  than the total. Where a partner gave some full cells but not all of them, the cells it gave
  are used and its total is not (the intake has only checked that the total is not below
  them).
- For stocks and running totals, a partner's stand-in total competes with its cells as a
  whole: whichever is its newest report among the periods is its latest state, so it is never
  counted twice. Breakdowns, which cannot use the total, show its cells' latest values.
- Cells with only some of the indicator's dimensions (a race margin typed by hand for a race ×
  income indicator) are ignored: margins are computed, not reported.

Places nest (`Group.parent`): values are reported on the smallest places, and a filter on, or a
breakdown by, a district includes its neighbourhoods. A value reported on a larger place (a
district) counts for it and the places that contain it, and is left out of breakdowns finer than it.

Missing values are gaps: a question with no value behind it answers `Result.value is None`,
never zero. Only approved values count, unless provisional (submitted) values are asked for
too; drafts and returned values never count. Arithmetic is decimal throughout, and every
number in a `Result` is rounded to six decimal places.

Speed: the grouping happens in the database (one query per question, plus three small ones to
read the initiative's groups and cells, which a caller asking many questions can share through
`Layout`). Nothing loads the value rows themselves into Python. The queries run on PostgreSQL
and SQLite alike, and add exactly on both (`exact.ExactSum`): SQLite would add its REALs in
binary floating point, so there values are added as whole numbers and millionths, in
integers, and a small Python aggregate adds the few too large for that as decimals.

The package: `layout` (answers, statuses, an initiative's groups and cells), `questions`
(one indicator), `many` (many indicators, from the roll-ups).
"""

from __future__ import annotations

from .layout import NO_DATA, Layout, Level, Result
from .many import CellTable, cells_many, series_many, value_sums
from .questions import aggregate, breakdown, by_partner, series

__all__ = [
    "CellTable",
    "Layout",
    "Level",
    "NO_DATA",
    "Result",
    "aggregate",
    "breakdown",
    "by_partner",
    "cells_many",
    "series",
    "series_many",
    "value_sums",
]
