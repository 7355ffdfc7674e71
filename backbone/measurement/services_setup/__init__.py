"""Writes to the shared measurement set-up: indicators, dimensions and groups, periods,
baselines and targets. Each runs in one transaction and refuses, with a reason a person can
read, what would break the data. Permissions are the caller's business (views ask
backbone.permissions first).

The checks live here as plain functions (`indicator_problems`, `group_problems`,
`target_value_problem`) so forms and services give the same answer.

One module for each thing set up — `indicators`, `dimensions` (and their groups), `periods`,
`targets` (and baselines) — and `errors` for the `SetupError` they all raise; callers import
every name from here.
"""

from .dimensions import (
    dimension_create,
    dimension_update,
    group_create,
    group_problems,
    group_update,
)
from .errors import SetupError
from .indicators import (
    ADDED_UP,
    FIXED_ONCE_REPORTED,
    INDICATOR_FIELDS,
    NOT_ADDED_UP,
    RESERVED_CODES,
    dimension_problems,
    indicator_create,
    indicator_problems,
    indicator_update,
    unit_aggregation_problem,
)
from .periods import (
    MAX_PERIODS_PER_RUN,
    SCHOOL_AND_FISCAL,
    PeriodRun,
    period_close,
    period_create,
    period_open,
    period_starts,
    periods_generate,
)
from .targets import TargetEntry, cell_for_group, target_set, target_value_problem, targets_set

__all__ = [
    "ADDED_UP",
    "FIXED_ONCE_REPORTED",
    "INDICATOR_FIELDS",
    "MAX_PERIODS_PER_RUN",
    "NOT_ADDED_UP",
    "RESERVED_CODES",
    "SCHOOL_AND_FISCAL",
    "PeriodRun",
    "SetupError",
    "TargetEntry",
    "cell_for_group",
    "dimension_create",
    "dimension_problems",
    "dimension_update",
    "group_create",
    "group_problems",
    "group_update",
    "indicator_create",
    "indicator_problems",
    "indicator_update",
    "period_close",
    "period_create",
    "period_open",
    "period_starts",
    "periods_generate",
    "target_set",
    "target_value_problem",
    "targets_set",
    "unit_aggregation_problem",
]
