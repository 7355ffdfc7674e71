"""The measurement set-up over the REST API, read only: indicators (with their dimensions and
series breaks), periods, dimensions and their groups."""

from datetime import date
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative
from backbone.permissions import can

from ..breaks import breaks_by_indicator
from ..models import Dimension, Group, Indicator, Period, SeriesBreak
from .common import (
    AggregationKind,
    IndicatorKind,
    PeriodKind,
    Slug,
    decimal_text,
    viewed_initiative,
    who_of,
)

router = Router()


class GroupOut(Schema):
    key: str
    name: str
    parent: str | None = Field(None, description="Key of the enclosing place, for places.")


class DimensionOut(Schema):
    key: str
    name: str
    is_geography: bool
    groups: list[GroupOut]


class SeriesBreakOut(Schema):
    period: str = Field(description="Code of the first period of the new series.")
    label: str
    reason: str

    @staticmethod
    def resolve_period(obj: SeriesBreak) -> str:
        return obj.period.code

    @staticmethod
    def resolve_label(obj: SeriesBreak) -> str:
        return obj.period.label


BREAKS_DESCRIPTION = (
    "Where the series starts again (a new test, a new definition), oldest first: values "
    "before a break are not comparable with those from it on."
)


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    kind: str
    unit: str
    rate_per: int
    numerator_definition: str
    denominator_definition: str
    direction: str
    aggregation: str
    source: str
    frequency: str
    visibility: str
    decimals: int
    minimum: str | None
    maximum: str | None
    all_cells_required: bool
    dimensions: list[DimensionOut] = Field(
        description="The dimensions it is reported by, in order."
    )
    breaks: list[SeriesBreakOut] = Field(description=BREAKS_DESCRIPTION)


class PeriodOut(Schema):
    code: str
    kind: str
    label: str
    start: date
    end: date
    status: str
    due: date | None


def _groups_by_dimension(initiative: Initiative) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for dim_id, key, name, parent in Group.objects.of(initiative).values_list(
        "dimension_id", "key", "name", "parent__key"
    ):
        found.setdefault(dim_id, []).append({"key": key, "name": name, "parent": parent})
    return found


def _dimension_out(dimension: Dimension, groups: dict[int, list[dict]]) -> dict:
    return {
        "key": dimension.key,
        "name": dimension.name,
        "is_geography": dimension.is_geography,
        "groups": groups.get(dimension.pk, []),
    }


def _indicator_out(indicator: Indicator, dims: list[dict], breaks: list[SeriesBreak]) -> dict:
    fields = IndicatorOut.model_fields.keys() - {"dimensions", "minimum", "maximum", "breaks"}
    out = {name: getattr(indicator, name) for name in fields}
    out.update(
        minimum=decimal_text(indicator.minimum),
        maximum=decimal_text(indicator.maximum),
        dimensions=dims,
        breaks=breaks,
    )
    return out


def _visible_indicators(who, initiative: Initiative, indicators: QuerySet) -> list[dict]:
    groups = _groups_by_dimension(initiative)
    links: dict[int, list[dict]] = {}
    dims = {d.pk: d for d in Dimension.objects.of(initiative)}
    for ind_id, dim_id in (
        Indicator.dimensions.through.objects.of(initiative)
        .order_by("position")
        .values_list("indicator_id", "dimension_id")
    ):
        links.setdefault(ind_id, []).append(_dimension_out(dims[dim_id], groups))
    visible = [ind for ind in indicators if can(who, "indicator.results", initiative, ind)]
    breaks = breaks_by_indicator(visible) if visible else {}
    return [_indicator_out(ind, links.get(ind.pk, []), breaks.get(ind.pk, [])) for ind in visible]


@router.get(
    "/initiatives/{slug}/indicators",
    response=list[IndicatorOut],
    operation_id="backbone_measurement_api_list_indicators",
)
@paginate(Page)
def list_indicators(
    request: HttpRequest,
    slug: Slug,
    kind: IndicatorKind | None = None,
    aggregation: AggregationKind | None = None,
    frequency: PeriodKind | None = None,
):
    """The indicators whose results the caller may see, each with the dimensions (and their
    groups) it is reported by."""
    initiative = viewed_initiative(request, slug)
    indicators = Indicator.objects.of(initiative)
    for name, wanted in (("kind", kind), ("aggregation", aggregation), ("frequency", frequency)):
        if wanted:
            indicators = indicators.filter(**{name: wanted})
    return _visible_indicators(who_of(request), initiative, indicators)


@router.get(
    "/initiatives/{slug}/indicators/{code}",
    response=IndicatorOut,
    operation_id="backbone_measurement_api_get_indicator",
)
def get_indicator(request: HttpRequest, slug: Slug, code: Slug):
    initiative = viewed_initiative(request, slug)
    found = _visible_indicators(
        who_of(request), initiative, Indicator.objects.of(initiative).filter(code=code)
    )
    if not found:
        raise Http404("No such indicator.")
    return found[0]


@router.get(
    "/initiatives/{slug}/periods",
    response=list[PeriodOut],
    operation_id="backbone_measurement_api_list_periods",
)
@paginate(Page)
def list_periods(
    request: HttpRequest,
    slug: Slug,
    kind: PeriodKind | None = None,
    status: Literal["open", "closed"] | None = None,
):
    """Reporting periods, oldest first; a closed one takes no new values."""
    initiative = viewed_initiative(request, slug)
    periods = Period.objects.of(initiative).order_by("start", "kind")
    if kind:
        periods = periods.filter(kind=kind)
    if status:
        periods = periods.filter(status=status)
    return periods


@router.get(
    "/initiatives/{slug}/dimensions",
    response=list[DimensionOut],
    operation_id="backbone_measurement_api_list_dimensions",
)
@paginate(Page)
def list_dimensions(request: HttpRequest, slug: Slug):
    """Dimensions of disaggregation with their groups (places name their enclosing place)."""
    initiative = viewed_initiative(request, slug)
    groups = _groups_by_dimension(initiative)
    return [_dimension_out(d, groups) for d in Dimension.objects.of(initiative)]
