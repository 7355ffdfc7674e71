"""Indicators: the checks of their fields and dimensions (`indicator_problems`,
`dimension_problems`), shared with the forms, and creating and changing one."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from backbone.agenda.models import Goal, Strategy
from backbone.initiatives.models import Initiative, Organisation
from backbone.revisions import revise

from ..models import Aggregation, DataValue, Dimension, Indicator, IndicatorDimension
from .errors import SetupError, raise_first

log = logging.getLogger("backbone.measurement")

INDICATOR_FIELDS = frozenset(
    {
        "code",
        "name",
        "definition",
        "kind",
        "unit",
        "rate_per",
        "numerator_definition",
        "denominator_definition",
        "direction",
        "aggregation",
        "source",
        "frequency",
        "owner",
        "goal",
        "strategy",
        "visibility",
        "minimum",
        "maximum",
        "all_cells_required",
        "decimals",
    }
)
RESERVED_CODES = frozenset({"new"})
# What cannot change once partners have reported values: the values would stop meaning
# what they meant.
FIXED_ONCE_REPORTED = ("aggregation",)


def indicator_problems(
    values: Mapping[str, Any], *, initiative: Initiative, instance: Indicator | None = None
) -> dict[str, str]:
    """What is wrong with these indicator fields, by field name ("__all__" for the whole)."""
    problems: dict[str, str] = {}
    code = values.get("code")
    if code in RESERVED_CODES:
        problems["code"] = f"“{code}” names a page; choose another code."
    elif code:
        taken = Indicator.objects.filter(initiative=initiative, code=code)
        if instance is not None and instance.pk:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            problems["code"] = f"Another indicator of this initiative already uses the code {code}."
    aggregation = values.get("aggregation")
    unit = values.get("unit")
    if aggregation == Aggregation.RATE:
        for name, what in (
            ("numerator_definition", "numerator"),
            ("denominator_definition", "denominator"),
        ):
            if not (values.get(name) or "").strip():
                problems[name] = (
                    f"A rate is computed from a numerator and a denominator: say what the "
                    f"{what} counts."
                )
    if unit == Indicator.Unit.RATE and aggregation != Aggregation.RATE:
        problems["aggregation"] = (
            "A rate per N is reported as a numerator and a denominator: choose “Rate from "
            "numerator and denominator”."
        )
    else:
        problem = unit_aggregation_problem(
            unit if unit is not None else _default("unit", instance),
            aggregation if aggregation is not None else _default("aggregation", instance),
        )
        if problem:
            problems["aggregation"] = problem
    rate_per = values.get("rate_per")
    if unit == Indicator.Unit.PERCENT and rate_per is not None and rate_per != 100:
        problems["rate_per"] = "A percent is per 100."
    if unit == Indicator.Unit.RATE and rate_per is not None and rate_per < 1:
        problems["rate_per"] = "Say per how many: 1,000, 10,000, 100,000…"
    low, high = values.get("minimum"), values.get("maximum")
    if low is not None and high is not None and low > high:
        problems["maximum"] = "The maximum cannot be below the minimum."
    goal, strategy = values.get("goal"), values.get("strategy")
    for name, item, model in (("goal", goal, Goal), ("strategy", strategy, Strategy)):
        if item is not None and (
            not isinstance(item, model) or item.initiative_id != initiative.pk
        ):
            problems[name] = f"Choose a {name} of this initiative's common agenda."
    if (
        "goal" not in problems
        and "strategy" not in problems
        and goal is not None
        and strategy is not None
        and strategy.goal_id != goal.pk
    ):
        problems["strategy"] = (
            "This strategy serves another goal; choose one under the goal, or no goal."
        )
    owner = values.get("owner")
    if owner is not None and (
        not isinstance(owner, Organisation)
        or not owner.partnerships.filter(initiative=initiative).exists()
    ):
        problems["owner"] = "The owner must be a partner of this initiative."
    if (
        instance is not None
        and instance.pk
        and DataValue.objects.filter(indicator=instance).exists()
    ):
        for name in FIXED_ONCE_REPORTED:
            if name in values and values[name] != getattr(instance, name):
                problems[name] = (
                    "Partners have already reported values for this indicator, so how they add "
                    "up cannot change. Create a new indicator instead."
                )
    return problems


# Units whose values cannot be added up, and why: summed across partners or places (as a
# sum, a stock and a running total all are) they would mean nothing. They are recomputed
# from numerators and denominators, or averaged weighted by n.
NOT_ADDED_UP = {
    Indicator.Unit.PERCENT: "A percent cannot be added up: 60% and 70% are not 130%",
    Indicator.Unit.SCORE: "A score cannot be added up: scores of 3 and 4 are not a 7",
}
ADDED_UP = {Aggregation.SUM, Aggregation.STOCK, Aggregation.CUMULATIVE}


def unit_aggregation_problem(unit: str, aggregation: str) -> str | None:
    """Why values of `unit` cannot combine as `aggregation` says, or None: a percent or a
    score is never summed across partners and places, a count never divided."""
    if unit in NOT_ADDED_UP and aggregation in ADDED_UP:
        return (
            f"{NOT_ADDED_UP[unit]}, across partners or places. Choose “Rate from numerator "
            "and denominator” or “Average weighted by n”."
        )
    if unit == Indicator.Unit.COUNT and aggregation == Aggregation.RATE:
        return (
            "A rate from a numerator and a denominator is not a count: choose the unit "
            "Percent, or Rate per N."
        )
    return None


def _default(name: str, instance: Indicator | None) -> str:
    """A field's value where the values given leave it out: the instance's, else the
    model's default."""
    if instance is not None:
        return getattr(instance, name)
    return Indicator._meta.get_field(name).default


def dimension_problems(
    dimensions: Sequence[Dimension], *, initiative: Initiative, instance: Indicator | None = None
) -> str | None:
    """Why an indicator cannot be reported by these dimensions (in this order), or None."""
    if len({d.pk for d in dimensions}) != len(dimensions):
        return "Choose each dimension once."
    if any(d.initiative_id != initiative.pk for d in dimensions):
        return "Choose dimensions of this initiative."
    if instance is not None and instance.pk:
        current = list(
            IndicatorDimension.objects.filter(indicator=instance)
            .order_by("position")
            .values_list("dimension_id", flat=True)
        )
        if (
            current != [d.pk for d in dimensions]
            and DataValue.objects.filter(indicator=instance).exists()
        ):
            return (
                "Partners have already reported values for this indicator by its current "
                "dimensions, so they cannot change. Create a new indicator for the new "
                "breakdown."
            )
    return None


def _set_dimensions(indicator: Indicator, dimensions: Sequence[Dimension]) -> None:
    IndicatorDimension.objects.filter(indicator=indicator).delete()
    IndicatorDimension.objects.bulk_create(
        [
            IndicatorDimension(
                initiative_id=indicator.initiative_id,
                indicator=indicator,
                dimension=dimension,
                position=position,
            )
            for position, dimension in enumerate(dimensions)
        ]
    )


def _check_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise TypeError(f"Not indicator fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def indicator_create(
    *, initiative: Initiative, by, dimensions: Sequence[Dimension] = (), **fields: Any
) -> Indicator:
    """A new indicator, reported by `dimensions` in their order."""
    _check_fields(fields)
    raise_first(indicator_problems(fields, initiative=initiative))
    problem = dimension_problems(dimensions, initiative=initiative)
    if problem:
        raise SetupError(problem, "dimensions")
    position = (
        Indicator.objects.filter(initiative=initiative).aggregate(m=Max("position"))["m"] or 0
    )
    try:
        with transaction.atomic():
            indicator = Indicator.objects.create(
                initiative=initiative, position=position + 1, **fields
            )
    except IntegrityError as exc:  # a concurrent create took the code
        raise SetupError("Another indicator already uses this code.", "code") from exc
    _set_dimensions(indicator, dimensions)
    log.info("indicator %s created in %s by %s", indicator.code, initiative.slug, by)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    by,
    dimensions: Sequence[Dimension] | None = None,
    read_revision: int | None = None,
    **fields: Any,
) -> Indicator:
    """Change an indicator's definition; its dimensions only while it has no values.
    Refused (EditConflict) when it was saved since the form was read at `read_revision`."""
    _check_fields(fields)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    revise(indicator, read=read_revision, by=by)
    initiative = indicator.initiative
    merged = {name: getattr(indicator, name) for name in INDICATOR_FIELDS} | dict(fields)
    raise_first(indicator_problems(merged, initiative=initiative, instance=indicator))
    if dimensions is not None:
        problem = dimension_problems(dimensions, initiative=initiative, instance=indicator)
        if problem:
            raise SetupError(problem, "dimensions")
    for name, value in fields.items():
        setattr(indicator, name, value)
    try:
        with transaction.atomic():
            indicator.save()
    except IntegrityError as exc:
        raise SetupError("Another indicator already uses this code.", "code") from exc
    if dimensions is not None:
        current = list(
            IndicatorDimension.objects.filter(indicator=indicator)
            .order_by("position")
            .values_list("dimension_id", flat=True)
        )
        if current != [d.pk for d in dimensions]:
            _set_dimensions(indicator, dimensions)
    log.info("indicator %s updated in %s by %s", indicator.code, initiative.slug, by)
    return indicator
