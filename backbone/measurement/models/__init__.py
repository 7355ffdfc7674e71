"""The shared measurement system: what is measured, by which groups, when, and the values."""

from .dimensions import Cell, Dimension, Group
from .indicators import Aggregation, Indicator, IndicatorDimension, Target
from .periods import Period
from .values import ApiToken, DataValue, Dhis2Mapping, Submission, ValueChange, ValuesVersion

__all__ = [
    "Aggregation",
    "ApiToken",
    "Cell",
    "DataValue",
    "Dhis2Mapping",
    "Dimension",
    "Group",
    "Indicator",
    "IndicatorDimension",
    "Period",
    "Submission",
    "Target",
    "ValueChange",
    "ValuesVersion",
]
