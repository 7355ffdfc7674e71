"""Baselines and targets of an indicator, for the total or one group: the check of their
value (`target_value_problem`), shared with the forms, and setting them one or many at once."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from backbone.initiatives.models import Initiative
from backbone.links import keyed
from backbone.revisions import revise

from ..models import Cell, Group, Indicator, IndicatorDimension, Period, Target
from .errors import SetupError

log = logging.getLogger("backbone.measurement")


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
