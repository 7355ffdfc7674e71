"""Reporting periods: creating one or a run of them, opening and closing them (the closing is
audited)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from backbone import audit
from backbone.audit.models import Action
from backbone.initiatives.models import Initiative

from ..models import Period
from ..periods import period_bounds, period_code, period_start
from .errors import SetupError

log = logging.getLogger("backbone.measurement")

MAX_PERIODS_PER_RUN = 240
SCHOOL_AND_FISCAL = {Period.Kind.SCHOOL_YEAR, Period.Kind.FISCAL_YEAR}


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
