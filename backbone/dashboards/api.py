"""An indicator's breakdown tables over the REST API: one dimension or the cross-tab of two,
places at any level of their hierarchy, each figure as the indicator page shows it to the
same reader (the period's one small-number decision), so the API tells nothing the pages
hide."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import StringConstraints

from backbone.api.auth import initiative_of, token_or_session
from backbone.measurement import selectors as measurement
from backbone.measurement.api.common import PeriodCode, Slug
from backbone.measurement.models import Period
from backbone.measurement.numbers import as_text
from backbone.permissions import can

from . import tables
from .indicator_page import indicator_tables

router = Router(tags=["shared measurement"], auth=token_or_session)

AxisSpec = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+(:[0-9]{1,2})?$")]


class BreakdownQuery(Schema):
    period: PeriodCode | None = Field(
        default=None, description="A period code; by default the indicator's current period."
    )
    by: list[AxisSpec] = Field(
        min_length=1,
        max_length=2,
        description="One dimension, or two for a cross-tab: `race`, or `place:1` for the "
        "places one level below the top with the places inside them rolled up.",
    )


class FigureOut(Schema):
    groups: dict[str, str] = Field(description="dimension key → group key")
    value: str | None = Field(description="None: no data, or suppressed.")
    suppressed: bool = Field(
        description="True when the figure is hidden: it comes from fewer people than the "
        "small-number threshold, or would let one that does be worked out."
    )


class BreakdownOut(Schema):
    indicator: str
    period: str | None
    label: str | None
    by: list[str]
    total: str | None = Field(description="The period's total, as the scorecard shows it.")
    figures: list[FigureOut]


def _text(number) -> str | None:
    return None if number is None else as_text(number)


@router.get(
    "/initiatives/{slug}/indicators/{code}/breakdown",
    response=BreakdownOut,
    summary="An indicator's breakdown or cross-tab in one period",
)
def indicator_breakdown(
    request: HttpRequest, slug: Slug, code: Slug, filters: Query[BreakdownQuery]
):
    """The table the indicator page shows for these axes. Backbone staff, evaluators and
    data stewards see small numbers; others read them as suppressed."""
    who = request.auth.who
    initiative = initiative_of(request, slug, "measurement.view")
    indicator = measurement.indicator_in(initiative, code)
    if indicator is None or not can(who, "indicator.results", initiative, indicator):
        raise Http404("No such indicator.")
    period = None
    if filters.period:
        period = Period.objects.of(initiative).filter(code=filters.period).first()
        if period is None:
            raise HttpError(400, f"Unknown period {filters.period!r}.")
    try:
        page = indicator_tables(
            initiative=initiative,
            indicator=indicator,
            person=who,
            period=period,
            level=filters.by[:1] if len(filters.by) == 1 else [],
            cross=filters.by if len(filters.by) == 2 else [],
        )
    except tables.UnknownAxis as refused:
        raise HttpError(400, str(refused)) from refused
    if period is not None and (page.period is None or page.period.pk != period.pk):
        # Nothing reported up to this period: the table is empty, not another period's.
        page.period, page.cross_tab, page.margins = period, None, {}
    figures, total = [], None
    if page.margins:
        if len(filters.by) == 1:
            key = filters.by[0].partition(":")[0]
            axis = next(a for a in page.axes.values() if a.dimension.key == key)
            table = page.margins[axis.dimension.pk]
            figures = [_figure(table, [(axis, g)], (g.pk,)) for g in table.rows]
        else:
            table = page.cross_tab
            figures = [
                _figure(table, [(table.axes[0], r), (table.axes[1], c)], (r.pk, c.pk))
                for r in table.rows
                for c in table.columns
            ]
        total = table.total
    return {
        "indicator": indicator.code,
        "period": page.period.code if page.period else None,
        "label": page.period.label if page.period else None,
        "by": list(filters.by),
        "total": _text(total),
        "figures": figures,
    }


def _figure(table: tables.Table, pairs, key: tuple[int, ...]) -> dict:
    value = table.cells.get(key)
    return {
        "groups": {axis.dimension.key: group.key for axis, group in pairs},
        "value": _text(value),
        "suppressed": table.is_hidden(*key),
    }
