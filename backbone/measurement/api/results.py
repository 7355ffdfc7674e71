"""An indicator's results over the REST API: its series period by period from approved
values, filtered by the disclosure's decision on small numbers."""

from datetime import date

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from backbone.permissions import can

from .. import aggregation as engine
from .. import privacy
from ..breaks import breaks_of
from ..models import Group, Indicator, Period
from ..privacy import disclosure
from ..versions import values_version
from .common import (
    GroupSpec,
    PeriodCode,
    Slug,
    decimal_text,
    partner_filter,
    readable_partners,
    viewed_initiative,
    who_of,
)
from .setup import BREAKS_DESCRIPTION, SeriesBreakOut

router = Router()


class PointOut(Schema):
    period: str
    label: str
    start: date
    end: date
    value: str | None = Field(description="None is a gap: no approved value, never a zero.")
    numerator: str | None
    denominator: str | None
    weight: str | None = Field(description="The n behind an average, or a rate's denominator.")
    partners: int
    values: int
    suppressed: bool = Field(
        description="True when the numbers come from fewer people than the initiative's "
        "small-number threshold and are hidden."
    )


class SeriesOut(Schema):
    indicator: str
    name: str
    unit: str
    aggregation: str
    decimals: int
    points: list[PointOut]
    breaks: list[SeriesBreakOut] = Field(description=BREAKS_DESCRIPTION)


class SeriesQuery(Schema):
    period: list[PeriodCode] = Field(
        default_factory=list,
        max_length=200,
        description="Period codes; by default every period of the indicator's frequency.",
    )
    group: list[GroupSpec] = Field(
        default_factory=list,
        max_length=20,
        description="dimension:group filters, e.g. race:black; several on one dimension widen.",
    )
    partner: list[Slug] = Field(
        default_factory=list,
        max_length=300,
        description="Partners' short names (their own values only).",
    )


def _shown_periods(who, initiative, indicator, layout, found, groups, partners) -> set[int]:
    """The periods whose answer `who` may read. Those without the small-numbers right read an
    all-partner answer where the period's one decision (`disclosure`) shows it — never a
    figure the pages hide, nor a sum with one in it; a partner-filtered answer (their own
    partner's values, which they read anyway) where it is not small itself."""
    threshold = initiative.small_number_threshold
    if privacy.sees_small_numbers(who, initiative):
        return {period.pk for period, _ in found}
    unsmall = {
        period.pk
        for period, result in found
        if not privacy.is_small(indicator, result, threshold=threshold)
    }
    if partners is not None:
        return unsmall
    decided = disclosure.decisions(
        layout,
        [indicator],
        [period for period, _ in found],
        threshold=threshold,
        version=values_version(initiative.pk),
    )
    return {
        pk
        for pk in unsmall
        if (d := decided.get((indicator.pk, pk))) is None or d.shows_selection(layout, groups)
    }


@router.get(
    "/initiatives/{slug}/indicators/{code}/series",
    response=SeriesOut,
    operation_id="backbone_measurement_api_indicator_series",
)
def indicator_series(request: HttpRequest, slug: Slug, code: Slug, filters: Query[SeriesQuery]):
    """The indicator period by period, from approved values, combined across partners and
    groups as the indicator's aggregation says. Only backbone staff, evaluators and data
    stewards see numbers from fewer people than the small-number threshold."""
    who = who_of(request)
    initiative = viewed_initiative(request, slug)
    indicator = Indicator.objects.of(initiative).filter(code=code).first()
    if indicator is None or not can(who, "indicator.results", initiative, indicator):
        raise Http404("No such indicator.")
    periods = Period.objects.of(initiative).order_by("start")
    if filters.period:
        periods = list(periods.filter(code__in=filters.period))
        unknown = set(filters.period) - {p.code for p in periods}
        if unknown:
            raise HttpError(400, f"Unknown period {sorted(unknown)[0]!r}.")
    else:
        periods = list(periods.filter(kind=indicator.frequency))
    groups = []
    for spec in filters.group:
        dim, _, key = spec.partition(":")
        found = Group.objects.of(initiative).filter(dimension__key=dim, key=key).first()
        if found is None:
            raise HttpError(400, f"Unknown group {spec!r}; write dimension:group.")
        groups.append(found)
    partners = None
    if filters.partner:
        readable = readable_partners(who, initiative)
        partners = [partner_filter(initiative, readable, s) for s in filters.partner]
    layout = engine.Layout(initiative.pk)
    found = engine.series(
        indicator, periods=periods, partners=partners, groups=groups, layout=layout
    )
    shown = _shown_periods(who, initiative, indicator, layout, found, groups, partners)
    points = []
    for period, result in found:
        hide = period.pk not in shown
        points.append(
            {
                "period": period.code,
                "label": period.label,
                "start": period.start,
                "end": period.end,
                "value": None if hide else decimal_text(result.value),
                "numerator": None if hide else decimal_text(result.numerator),
                "denominator": None if hide else decimal_text(result.denominator),
                "weight": None if hide else decimal_text(result.weight),
                "partners": result.partners,
                "values": result.values,
                "suppressed": hide,
            }
        )
    return {
        "indicator": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "aggregation": indicator.aggregation,
        "decimals": indicator.decimals,
        "points": points,
        "breaks": breaks_of(indicator),
    }
