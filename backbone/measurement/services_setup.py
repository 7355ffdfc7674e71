"""Writes to the shared measurement set-up: indicators, dimensions and groups, periods,
baselines and targets. Each runs in one transaction and refuses, with a reason a person can
read, what would break the data. Permissions are the caller's business (views ask
backbone.permissions first).

The checks live here as plain functions (`indicator_problems`, `group_problems`,
`target_value_problem`) so forms and services give the same answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from backbone import audit
from backbone.agenda.models import Goal, Strategy
from backbone.audit.models import Action
from backbone.initiatives.models import Initiative, Organisation
from backbone.links import keyed
from backbone.revisions import revise

from .models import (
    Aggregation,
    Cell,
    DataValue,
    Dimension,
    Group,
    Indicator,
    IndicatorDimension,
    Period,
    Target,
)
from .periods import period_bounds, period_code, period_start

log = logging.getLogger("backbone.measurement")

MAX_PERIODS_PER_RUN = 240
SCHOOL_AND_FISCAL = {Period.Kind.SCHOOL_YEAR, Period.Kind.FISCAL_YEAR}

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


class SetupError(Exception):
    """A change the measurement set-up refuses. `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _raise_first(problems: Mapping[str, str]) -> None:
    if problems:
        name, message = next(iter(problems.items()))
        raise SetupError(message, None if name == "__all__" else name)


# --- indicators ----------------------------------------------------------------------------


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
    _raise_first(indicator_problems(fields, initiative=initiative))
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
    _raise_first(indicator_problems(merged, initiative=initiative, instance=indicator))
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


# --- dimensions and groups -------------------------------------------------------------------


@transaction.atomic
def dimension_create(
    *, initiative: Initiative, key: str, name: str, is_geography: bool = False
) -> Dimension:
    if Dimension.objects.filter(initiative=initiative, key=key).exists():
        raise SetupError(f"Another dimension already uses the key {key}.", "key")
    position = (
        Dimension.objects.filter(initiative=initiative).aggregate(m=Max("position"))["m"] or 0
    )
    return Dimension.objects.create(
        initiative=initiative,
        key=key,
        name=name,
        is_geography=is_geography,
        position=position + 1,
    )


@transaction.atomic
def dimension_update(
    *,
    dimension: Dimension,
    name: str,
    is_geography: bool,
    by=None,
    read_revision: int | None = None,
) -> Dimension:
    """Rename a dimension or say whether it is a geography. Its key stays: partners' files
    and the API name it. Refused (EditConflict) when it was saved since the form was read
    at `read_revision`."""
    revise(dimension, read=read_revision, by=by)
    if (
        not is_geography
        and Group.objects.filter(dimension=dimension, parent__isnull=False).exists()
    ):
        raise SetupError(
            "Some groups of this dimension sit inside others; take them out of their parent "
            "places before it stops being a geography.",
            "is_geography",
        )
    dimension.name = name
    dimension.is_geography = is_geography
    dimension.save(update_fields=["name", "is_geography"])
    return dimension


def group_problems(
    *,
    dimension: Dimension,
    key: str | None,
    parent: Group | None,
    instance: Group | None = None,
) -> dict[str, str]:
    """What is wrong with a group's key and parent, by field name."""
    problems: dict[str, str] = {}
    if key:
        taken = Group.objects.filter(dimension=dimension, key=key)
        if instance is not None and instance.pk:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            problems["key"] = f"Another group of {dimension.name} already uses the key {key}."
    if parent is not None:
        if not dimension.is_geography:
            problems["parent"] = "Only the places of a geography sit inside one another."
        elif parent.dimension_id != dimension.pk:
            problems["parent"] = "The parent must be a group of the same dimension."
        elif instance is not None and instance.pk:
            seen = set()
            node: Group | None = parent
            while node is not None and node.pk not in seen:
                if node.pk == instance.pk:
                    problems["parent"] = (
                        "A place cannot sit inside itself or one of its own places."
                    )
                    break
                seen.add(node.pk)
                node = node.parent
    return problems


@transaction.atomic
def group_create(
    *, dimension: Dimension, key: str, name: str, parent: Group | None = None
) -> Group:
    _raise_first(group_problems(dimension=dimension, key=key, parent=parent))
    position = Group.objects.filter(dimension=dimension).aggregate(m=Max("position"))["m"] or 0
    return Group.objects.create(
        initiative_id=dimension.initiative_id,
        dimension=dimension,
        key=key,
        name=name,
        parent=parent,
        position=position + 1,
    )


@transaction.atomic
def group_update(
    *,
    group: Group,
    name: str,
    parent: Group | None = None,
    by=None,
    read_revision: int | None = None,
) -> Group:
    """Rename a group or move a place under another. Its key stays: files and the API name it.
    Refused (EditConflict) when it was saved since the form was read at `read_revision`."""
    revise(group, read=read_revision, by=by)
    _raise_first(group_problems(dimension=group.dimension, key=None, parent=parent, instance=group))
    group.name = name
    group.parent = parent
    group.save(update_fields=["name", "parent"])
    return group


# --- periods -----------------------------------------------------------------------------------


def _due(end: date, due_days: int | None) -> date | None:
    return end + timedelta(days=due_days) if due_days is not None else None


@transaction.atomic
def period_create(
    *,
    initiative: Initiative,
    kind: str,
    start: date,
    due: date | None = None,
    status: str = Period.Status.OPEN,
) -> Period:
    """One period of `kind` starting on `start` (its code and last day follow)."""
    code = period_code(kind, start)
    if Period.objects.filter(initiative=initiative, code=code).exists():
        raise SetupError(f"The period {code} exists already.", "start")
    _, end = period_bounds(kind, start)
    return Period.objects.create(
        initiative=initiative, kind=kind, code=code, start=start, end=end, status=status, due=due
    )


@dataclass
class PeriodRun:
    created: list[Period]
    existing: list[str]  # codes of periods of the run that were there already


def period_starts(kind: str, first: date, last: date, *, start_month: int = 1) -> list[date]:
    """Start days of every period of `kind` from the one containing `first` to the one
    containing `last`. School and fiscal years start in `start_month`."""
    if last < first:
        raise SetupError("The run must end after it starts.", "last")
    if kind not in SCHOOL_AND_FISCAL:
        start_month = 1
    start = period_start(kind, first, start_month=start_month)
    starts = []
    while start <= last:
        starts.append(start)
        if len(starts) > MAX_PERIODS_PER_RUN:
            raise SetupError(
                f"That is more than {MAX_PERIODS_PER_RUN} periods; generate a shorter run.",
                "last",
            )
        start = period_bounds(kind, start)[1] + timedelta(days=1)
    return starts


@transaction.atomic
def periods_generate(
    *,
    initiative: Initiative,
    kind: str,
    first: date,
    last: date,
    start_month: int = 1,
    due_days: int | None = None,
    status: str = Period.Status.OPEN,
) -> PeriodRun:
    """Every period of `kind` between two dates, skipping those that exist; each due
    `due_days` after its last day."""
    if kind not in Period.Kind.values:
        raise SetupError("Choose a kind of period.", "kind")
    if not 1 <= start_month <= 12:
        raise SetupError("Choose a month.", "start_month")
    starts = period_starts(kind, first, last, start_month=start_month)
    codes = {period_code(kind, s): s for s in starts}
    existing = set(
        Period.objects.filter(initiative=initiative, code__in=codes).values_list("code", flat=True)
    )
    new = []
    for code, start in codes.items():
        if code in existing:
            continue
        _, end = period_bounds(kind, start)
        new.append(
            Period(
                initiative=initiative,
                kind=kind,
                code=code,
                start=start,
                end=end,
                status=status,
                due=_due(end, due_days),
            )
        )
    Period.objects.bulk_create(new)
    created = list(
        Period.objects.filter(initiative=initiative, code__in=[p.code for p in new]).order_by(
            "start"
        )
    )
    return PeriodRun(created=created, existing=sorted(existing))


def _set_status(period: Period, status: str, by) -> bool:
    changed = Period.objects.filter(pk=period.pk).exclude(status=status).update(status=status)
    period.status = status
    if changed:
        closed = status == Period.Status.CLOSED
        audit.record(
            initiative=period.initiative,
            by=by,
            action=Action.PERIOD_CLOSED if closed else Action.PERIOD_OPENED,
            subject=period.code,
            before={"status": Period.Status.OPEN if closed else Period.Status.CLOSED},
            after={"status": status},
        )
        log.info(
            "period %s of %s %s by %s at %s",
            period.code,
            period.initiative_id,
            "closed" if status == Period.Status.CLOSED else "opened",
            getattr(by, "email", by),
            timezone.now().isoformat(timespec="seconds"),
        )
    return bool(changed)


@transaction.atomic
def period_open(*, period: Period, by) -> bool:
    """Open a period for reporting. False when it was open already."""
    return _set_status(period, Period.Status.OPEN, by)


@transaction.atomic
def period_close(*, period: Period, by) -> bool:
    """Close a period: partners can no longer report for it, only the backbone can correct
    it. False when it was closed already. The closing is logged (who, when)."""
    return _set_status(period, Period.Status.CLOSED, by)


# --- baselines and targets ------------------------------------------------------------------


def target_value_problem(indicator: Indicator, value: Decimal) -> str | None:
    """Why a baseline or target value cannot be one of this indicator's values, or None."""
    low, high = indicator.minimum, indicator.maximum
    if low is None and indicator.unit != Indicator.Unit.SCORE:
        low = Decimal(0)
    if high is None and indicator.unit == Indicator.Unit.PERCENT:
        high = Decimal(100)
    if low is not None and value < low:
        return f"The lowest possible value is {low.normalize():f}."
    if high is not None and value > high:
        return f"The highest possible value is {high.normalize():f}."
    return None


def cell_for_group(initiative: Initiative, group: Group | None) -> Cell:
    """The cell of one group (the total when `group` is None), made with its group link when
    it is missing."""
    key = Cell.key_for([group.pk]) if group else ""
    cell, created = Cell.objects.get_or_create(initiative=initiative, key=key)
    if created and group is not None:
        cell.groups.add(group, through_defaults=keyed(cell))
    return cell


@dataclass(frozen=True)
class TargetEntry:
    kind: str  # Target.Kind
    period: Period
    value: Decimal | None  # None removes it
    group: Group | None = None  # None: the total
    note: str = ""


def _check_entry(indicator: Indicator, entry: TargetEntry) -> None:
    if entry.kind not in Target.Kind.values:
        raise SetupError("Say whether it is a baseline or a target.", "kind")
    if entry.period.initiative_id != indicator.initiative_id:
        raise SetupError("Choose a period of this initiative.", "period")
    if (
        entry.group is not None
        and not IndicatorDimension.objects.filter(
            indicator=indicator, dimension_id=entry.group.dimension_id
        ).exists()
    ):
        raise SetupError(
            f"{indicator.name} is not reported by {entry.group.dimension.name}.", "group"
        )
    if entry.value is not None:
        problem = target_value_problem(indicator, entry.value)
        if problem:
            raise SetupError(problem, "value")


def _target_set(indicator: Indicator, entry: TargetEntry) -> Target | None:
    _check_entry(indicator, entry)
    initiative = indicator.initiative
    cell = cell_for_group(initiative, entry.group)
    # Found by the fields of its unique constraint (target_once), the initiative first.
    key = {
        "initiative": initiative,
        "indicator": indicator,
        "kind": entry.kind,
        "period": entry.period,
        "cell": cell,
    }
    if entry.value is None:
        Target.objects.filter(**key).delete()
        return None
    target, _ = Target.objects.update_or_create(
        **key, defaults={"value": entry.value, "note": entry.note}
    )
    return target


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    by,
    kind: str,
    period: Period,
    value: Decimal | None,
    group: Group | None = None,
    note: str = "",
) -> Target | None:
    """Set (or, with value None, remove) the baseline or target of an indicator for a period,
    for the total or for one group of one of its dimensions."""
    return _target_set(indicator, TargetEntry(kind, period, value, group, note))


@transaction.atomic
def targets_set(
    *,
    indicator: Indicator,
    by,
    entries: Iterable[TargetEntry],
    read_revision: int | None = None,
) -> int:
    """Several baselines and targets at once: all or none. Returns how many were set or
    removed. The indicator's revision counts these saves too, since its targets have no row
    of their own to count them: refused (EditConflict) when the indicator or its targets
    were saved since the form was read at `read_revision`."""
    entries = list(entries)
    if entries:
        revise(indicator, read=read_revision, by=by)
    count = 0
    for entry in entries:
        _target_set(indicator, entry)
        count += 1
    if count:
        log.info("%d baselines/targets of %s set by %s", count, indicator.code, by)
    return count
