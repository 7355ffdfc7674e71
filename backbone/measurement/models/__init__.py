"""The shared measurement system: what is measured, by which groups, when, and the values."""

from .dimensions import Cell, CellGroup, Dimension, Group
from .indicators import Aggregation, Indicator, IndicatorDimension, SeriesBreak, Target
from .periods import Period
from .rollups import SUMS as ROLLUP_SUMS
from .rollups import Rollup
from .values import (
    ApiToken,
    DataValue,
    Dhis2Mapping,
    Missing,
    Submission,
    ValueChange,
    ValuesVersion,
)

__all__ = [
    "Aggregation",
    "ApiToken",
    "Cell",
    "CellGroup",
    "DataValue",
    "Dhis2Mapping",
    "Dimension",
    "Group",
    "Indicator",
    "IndicatorDimension",
    "Missing",
    "Period",
    "ROLLUP_SUMS",
    "Rollup",
    "SeriesBreak",
    "Submission",
    "Target",
    "ValueChange",
    "ValuesVersion",
]
