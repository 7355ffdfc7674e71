"""Series breaks: where an indicator's series starts again because what is measured changed
(a reformed assessment, a new census, a new definition). Figures on either side of a break
are not comparable, so baselines, change, trend, forecast and needle-moving only ever use the
periods of one series: those from the latest break onward.

Writes refuse with `SetupError`, as the other set-up changes do; who may make them is the
caller's business (views ask backbone.permissions first).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from django.db import IntegrityError, transaction

from .models import Indicator, Period, SeriesBreak
from .services_setup import SetupError

log = logging.getLogger("backbone.measurement")

REASON_LENGTH = SeriesBreak._meta.get_field("reason").max_length


@transaction.atomic
def series_break_add(*, indicator: Indicator, period: Period, reason: str, by) -> SeriesBreak:
    """Record that the indicator's series starts again at `period`, for `reason`."""
    reason = " ".join(reason.split())
    if not reason:
        raise SetupError(
            "Say why the series starts again: a new test, a new definition, a new source.",
            "reason",
        )
    if len(reason) > REASON_LENGTH:
        raise SetupError(f"Say it in {REASON_LENGTH} characters or fewer.", "reason")
    if period.initiative_id != indicator.initiative_id:
        raise SetupError("Choose a period of this initiative.", "period")
    if period.kind != indicator.frequency:
        raise SetupError(
            f"Choose a period of the indicator's reporting frequency "
            f"({indicator.get_frequency_display().lower()}).",
            "period",
        )
    if SeriesBreak.objects.filter(indicator=indicator, period=period).exists():
        raise SetupError(f"The series already starts again at {period.label}.", "period")
    try:
        with transaction.atomic():
            found = SeriesBreak.objects.create(
                initiative_id=indicator.initiative_id,
                indicator=indicator,
                period=period,
                reason=reason,
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:  # recorded at the same moment by someone else
        raise SetupError(f"The series already starts again at {period.label}.", "period") from exc
    log.info("series break of %s at %s recorded by %s", indicator.code, period.code, by)
    return found


@transaction.atomic
def series_break_remove(*, series_break: SeriesBreak, by) -> None:
    """Forget a break: the series on both sides are compared again."""
    log.info(
        "series break of %s at %s removed by %s",
        series_break.indicator.code,
        series_break.period.code,
        by,
    )
    series_break.delete()


# --- reads ---------------------------------------------------------------------------------


def breaks_of(indicator: Indicator) -> list[SeriesBreak]:
    """The indicator's breaks, oldest first, with their periods and who recorded them."""
    return list(
        SeriesBreak.objects.filter(indicator=indicator, initiative_id=indicator.initiative_id)
        .select_related("period", "created_by")
        .order_by("period__start")
    )


def breaks_by_indicator(indicators: Iterable[Indicator]) -> dict[int, list[SeriesBreak]]:
    """Breaks of many indicators in one query: indicator id → breaks, oldest first."""
    found: dict[int, list[SeriesBreak]] = defaultdict(list)
    for b in (
        SeriesBreak.objects.filter(indicator__in=list(indicators))
        .select_related("period")
        .order_by("period__start", "pk")
    ):
        found[b.indicator_id].append(b)
    return found


def break_at_or_before(breaks: Sequence[SeriesBreak], day: date) -> SeriesBreak | None:
    """The break that starts the series a period starting on `day` belongs to, or None
    while it is still the first series."""
    before = [b for b in breaks if b.period.start <= day]
    return before[-1] if before else None


def series_start(
    indicator: Indicator,
    periods: Sequence[Period],
    *,
    breaks: Sequence[SeriesBreak] | None = None,
) -> list[Period]:
    """The periods of the current series: those from the latest break at or before the last
    of `periods` onward (all of them when there is none). Pass `breaks` when they were read
    already (`breaks_by_indicator`), to spare the query."""
    if not periods:
        return []
    if breaks is None:
        breaks = breaks_of(indicator)
    found = break_at_or_before(breaks, periods[-1].start)
    if found is None:
        return list(periods)
    return [p for p in periods if p.start >= found.period.start]
