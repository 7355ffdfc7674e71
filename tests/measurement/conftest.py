"""A small shared-measurement set-up for the cast's initiative: dimensions with groups (a
geography hierarchy among them), one indicator per aggregation kind, and periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from backbone.measurement.models import (
    Dimension,
    Group,
    Indicator,
    IndicatorDimension,
    Period,
)
from backbone.measurement.periods import period_bounds, period_code


@dataclass
class Measured:
    race: Dimension
    income: Dimension
    place: Dimension
    readiness: Indicator  # rate (percent), by race × income
    enrolled: Indicator  # sum (count), by place
    score: Indicator  # weighted average
    caseload: Indicator  # stock
    served: Indicator  # cumulative
    periods: dict[str, Period]


def make_period(initiative, kind, start, status="open"):
    _, end = period_bounds(kind, start)
    return Period.objects.create(
        initiative=initiative,
        kind=kind,
        code=period_code(kind, start),
        start=start,
        end=end,
        status=status,
    )


def make_dimension(initiative, key, name, groups, is_geography=False):
    dim = Dimension.objects.create(
        initiative=initiative, key=key, name=name, is_geography=is_geography
    )
    made = {}
    for pos, spec in enumerate(groups):
        gkey, gname, parent = (
            (spec + (None,))[:3] if isinstance(spec, tuple) else (spec, spec.title(), None)
        )
        made[gkey] = Group.objects.create(
            initiative=initiative,
            dimension=dim,
            key=gkey,
            name=gname,
            position=pos,
            parent=made.get(parent),
        )
    return dim


def make_indicator(initiative, code, aggregation, dims=(), **extra):
    ind = Indicator.objects.create(
        initiative=initiative,
        code=code,
        name=code.replace("-", " ").title(),
        aggregation=aggregation,
        **extra,
    )
    for pos, dim in enumerate(dims):
        IndicatorDimension.objects.create(
            initiative=initiative, indicator=ind, dimension=dim, position=pos
        )
    return ind


@pytest.fixture
def measured(cast) -> Measured:
    return build_measured(cast)


def build_measured(cast) -> Measured:
    i = cast.initiative
    race = make_dimension(i, "race", "Race/ethnicity", ["black", "latino", "white"])
    income = make_dimension(
        i, "income", "Income", [("low", "Low income"), ("other", "Not low income")]
    )
    place = make_dimension(
        i,
        "place",
        "Place",
        [
            ("city", "Riverton"),
            ("north", "North district", "city"),
            ("south", "South district", "city"),
        ],
        is_geography=True,
    )
    periods = {}
    for year in (2022, 2023, 2024):
        p = make_period(i, "school_year", date(year, 8, 1))
        periods[p.code] = p
    for month in (1, 2, 3):
        p = make_period(i, "month", date(2024, month, 1))
        periods[p.code] = p
    closed = make_period(i, "year", date(2021, 1, 1), status="closed")
    periods[closed.code] = closed
    return Measured(
        race=race,
        income=income,
        place=place,
        readiness=make_indicator(
            i, "kindergarten-readiness", "rate", (race, income), unit="percent", visibility="public"
        ),
        enrolled=make_indicator(i, "children-enrolled", "sum", (place,), unit="count"),
        score=make_indicator(i, "reading-score", "weighted", unit="score"),
        caseload=make_indicator(i, "open-cases", "stock", unit="count"),
        served=make_indicator(i, "families-served", "cumulative", unit="count"),
        periods=periods,
    )
