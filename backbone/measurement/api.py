"""Shared measurement over the REST API: indicators, periods, dimensions, values, submissions
and results, for partners (with a token or signed in) and analysts.

Who may see and do what is decided by backbone.permissions, as for the pages. A partner's
token acts as that partner organisation, in its own initiative only. Outsiders and other
initiatives' tokens get 404; members lacking a rule for a whole endpoint get 403; one object
a caller may not see (another partner's submission, values or results) is not found (404).

Values come in through the one intake path: every problem of a batch is listed by row (the
n-th value of the list) and column, and nothing is written unless the whole batch is good.
Numbers go out as exact decimal text ("12.5"), never rounded by a float.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictFloat, StrictInt, StrictStr, StringConstraints

from backbone.api.auth import initiative_of, token_or_session
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can

from . import aggregation as engine
from . import disclosure, privacy
from .breaks import breaks_by_indicator, breaks_of
from .intake import Intake, Reported
from .models import DataValue, Dimension, Group, Indicator, Period, SeriesBreak, Submission
from .numbers import as_text
from .problems import IntakeRefused
from .tokens import TokenHolder
from .versions import values_version

MAX_VALUES_PER_CALL = 20_000

# What a code or short name may hold. Text reaches the database only through these, so that
# nothing (a NUL character, say) can make a query fail.
Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
PeriodCode = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9]+$", max_length=20)]
GroupSpec = Annotated[
    str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+:[-a-zA-Z0-9_]+$", max_length=130)
]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
IndicatorKind = Literal["population", "how_much", "how_well", "better_off"]
AggregationKind = Literal["sum", "rate", "weighted", "stock", "cumulative"]
PeriodKind = Literal["month", "quarter", "school_year", "year", "fiscal_year"]
Channel = Literal["web", "csv", "xlsx", "api", "dhis2", "correction"]


router = Router(tags=["shared measurement"], auth=token_or_session)


def _who(request: HttpRequest):
    return request.auth.who


def _initiative(request: HttpRequest, slug: str, rule: str = "measurement.view") -> Initiative:
    return initiative_of(request, slug, rule)


def _text(number: Decimal | None) -> str | None:
    return as_text(Decimal(number)) if number is not None else None


# --- set-up: indicators, periods, dimensions ---------------------------------------------------


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
        minimum=_text(indicator.minimum),
        maximum=_text(indicator.maximum),
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


@router.get("/initiatives/{slug}/indicators", response=list[IndicatorOut])
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
    initiative = _initiative(request, slug)
    indicators = Indicator.objects.of(initiative)
    for name, wanted in (("kind", kind), ("aggregation", aggregation), ("frequency", frequency)):
        if wanted:
            indicators = indicators.filter(**{name: wanted})
    return _visible_indicators(_who(request), initiative, indicators)


@router.get("/initiatives/{slug}/indicators/{code}", response=IndicatorOut)
def get_indicator(request: HttpRequest, slug: Slug, code: Slug):
    initiative = _initiative(request, slug)
    found = _visible_indicators(
        _who(request), initiative, Indicator.objects.of(initiative).filter(code=code)
    )
    if not found:
        raise Http404("No such indicator.")
    return found[0]


@router.get("/initiatives/{slug}/periods", response=list[PeriodOut])
@paginate(Page)
def list_periods(
    request: HttpRequest,
    slug: Slug,
    kind: PeriodKind | None = None,
    status: Literal["open", "closed"] | None = None,
):
    """Reporting periods, oldest first; a closed one takes no new values."""
    initiative = _initiative(request, slug)
    periods = Period.objects.of(initiative).order_by("start", "kind")
    if kind:
        periods = periods.filter(kind=kind)
    if status:
        periods = periods.filter(status=status)
    return periods


@router.get("/initiatives/{slug}/dimensions", response=list[DimensionOut])
@paginate(Page)
def list_dimensions(request: HttpRequest, slug: Slug):
    """Dimensions of disaggregation with their groups (places name their enclosing place)."""
    initiative = _initiative(request, slug)
    groups = _groups_by_dimension(initiative)
    return [_dimension_out(d, groups) for d in Dimension.objects.of(initiative)]


# --- values ----------------------------------------------------------------------------------


def _readable_partners(who, initiative: Initiative) -> list[int] | None:
    """Ids of the partners whose own values `who` may read; None for all of them."""
    if can(who, "values.view_all", initiative):
        return None
    if not can(who, "values.view_partner", initiative):
        raise PermissionDenied
    return [
        p.pk
        for p in Partner.objects.of(initiative)
        if can(who, "values.view_partner", initiative, p)
    ]


def _partner_filter(initiative: Initiative, readable: list[int] | None, slug: str) -> Partner:
    partner = Partner.objects.of(initiative).filter(organisation__slug=slug).first()
    if partner is None or (readable is not None and partner.pk not in readable):
        raise Http404("No such partner.")
    return partner


ValueStatus = Literal["draft", "submitted", "approved", "returned"]


class ValueOut(Schema):
    indicator: str
    period: str
    partner: str = Field(description="The partner organisation's short name.")
    groups: dict[str, str] = Field(description="Dimension key → group key; empty for the total.")
    value: str | None
    numerator: str | None
    denominator: str | None
    n: str | None = Field(description="The n behind a weighted average.")
    missing: str | None = Field(
        description="Why the value is blank (not_collected, suppressed, not_applicable): a "
        "gap, never a zero. null when there is a value."
    )
    status: str
    is_outlier: bool
    submission: UUID | None
    updated_at: datetime

    @staticmethod
    def resolve_indicator(obj: DataValue) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_period(obj: DataValue) -> str:
        return obj.period.code

    @staticmethod
    def resolve_partner(obj: DataValue) -> str:
        return obj.partner.organisation.slug

    @staticmethod
    def resolve_groups(obj: DataValue) -> dict[str, str]:
        return {g.dimension.key: g.key for g in obj.cell.groups.all()}

    @staticmethod
    def resolve_value(obj: DataValue) -> str | None:
        return _text(obj.value)

    @staticmethod
    def resolve_numerator(obj: DataValue) -> str | None:
        return _text(obj.numerator)

    @staticmethod
    def resolve_denominator(obj: DataValue) -> str | None:
        return _text(obj.denominator)

    @staticmethod
    def resolve_n(obj: DataValue) -> str | None:
        return _text(obj.weight)

    @staticmethod
    def resolve_missing(obj: DataValue) -> str | None:
        return obj.missing or None

    @staticmethod
    def resolve_submission(obj: DataValue) -> UUID | None:
        return obj.submission.uuid if obj.submission_id else None


@router.get("/initiatives/{slug}/values", response=list[ValueOut])
@paginate(Page)
def list_values(
    request: HttpRequest,
    slug: Slug,
    indicator: Slug | None = None,
    period: PeriodCode | None = None,
    partner: Slug | None = None,
    status: ValueStatus | None = None,
    submission: UUID | None = None,
):
    """Reported values, one per indicator, partner, period and cell, in the order they were
    first reported. Partners read their own organisation's; the backbone, evaluators and data
    stewards read every partner's (drafts stay with their partner)."""
    who = _who(request)
    initiative = _initiative(request, slug)
    readable = _readable_partners(who, initiative)
    values = DataValue.objects.of(initiative)
    if readable is not None:
        values = values.filter(partner_id__in=readable)
    else:
        values = values.exclude(status=DataValue.Status.DRAFT)
    if partner:
        values = values.filter(partner=_partner_filter(initiative, readable, partner))
    if indicator:
        values = values.filter(indicator__code=indicator)
    if period:
        values = values.filter(period__code=period)
    if status:
        values = values.filter(status=status)
    if submission:
        values = values.filter(submission__uuid=submission)
    return (
        values.select_related("indicator", "period", "partner__organisation", "submission")
        .prefetch_related("cell__groups__dimension")
        .order_by("pk")
    )


Number = StrictInt | StrictFloat | StrictStr


class ValueIn(Schema):
    indicator: str = Field(description="Indicator code.")
    period: str = Field(description="Period code, such as 2024-03, 2024Q1, SY2024-25.")
    groups: dict[str, str] = Field(
        default_factory=dict, description="Dimension key → group key; leave out for the total."
    )
    value: Number | None = None
    numerator: Number | None = Field(None, description="For rates, with the denominator.")
    denominator: Number | None = None
    n: Number | None = Field(None, description="For weighted averages: how many it averages.")
    missing: Text | None = Field(
        None,
        max_length=40,
        description="Why there is no value, in place of the numbers: not_collected, "
        "suppressed (at the source) or not_applicable (their labels are read too). A gap, "
        "never a zero; give it without value, numerator, denominator or n.",
        examples=["not_collected"],
    )


class ValuesIn(Schema):
    values: list[ValueIn] = Field(max_length=MAX_VALUES_PER_CALL)
    narrative: Text = Field("", max_length=20_000, description="The story behind the numbers.")
    partner: Slug | None = Field(
        None,
        description="The partner organisation's short name: needed only by backbone staff, "
        "and by people reporting for several organisations. A token reports for its own.",
    )
    correction_reason: Text = Field(
        "", max_length=500, description="Backbone staff only: why values go into a closed period."
    )


class SubmissionOut(Schema):
    uuid: UUID
    partner: str
    channel: str
    status: str
    value_count: int
    outlier_count: int
    narrative: str
    created_at: datetime
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_comment: str

    @staticmethod
    def resolve_partner(obj: Submission) -> str:
        return obj.partner.organisation.slug


class ProblemOut(Schema):
    row: int | None = Field(description="Which value of the list (1 for the first).")
    column: str | None
    reason: str


class ProblemsOut(Schema):
    problems: list[ProblemOut]
    total: int = Field(description="How many problems there are; the list may stop at 500.")


def _refused(problems: list[tuple[int | None, str | None, str]], total: int | None = None):
    return Status(
        400,
        {
            "problems": [{"row": r, "column": c, "reason": why} for r, c, why in problems],
            "total": len(problems) if total is None else total,
        },
    )


def _reporting_partner(who, initiative: Initiative, slug: str | None) -> Partner | None:
    if slug:
        return (
            Partner.objects.of(initiative)
            .filter(organisation__slug=slug)
            .select_related("organisation")
            .first()
        )
    if isinstance(who, TokenHolder):
        return who.partner
    mine = [
        p
        for p in Partner.objects.of(initiative).select_related("organisation")
        if can(who, "values.submit", initiative, p)
    ]
    return mine[0] if len(mine) == 1 else None


@router.post(
    "/initiatives/{slug}/values",
    response={201: SubmissionOut, 400: ProblemsOut},
)
def submit_values(request: HttpRequest, slug: Slug, payload: ValuesIn):
    """Report values as one submission. A rate takes numerator and denominator, a weighted
    average its value and n, everything else a value; one without says why in `missing`.
    Either every value is written or, with 400, none is and every problem is listed."""
    who = _who(request)
    initiative = _initiative(request, slug)
    if not (can(who, "values.submit", initiative) or can(who, "values.correct", initiative)):
        raise PermissionDenied
    partner = _reporting_partner(who, initiative, payload.partner)
    if partner is None:
        if payload.partner:
            return _refused([(None, "partner", f"unknown partner {payload.partner!r}")])
        return _refused([(None, "partner", "name the partner these values are for")])
    reason = payload.correction_reason.strip()
    if can(who, "values.submit", initiative, partner) and not reason:
        intake = Intake(initiative=initiative, by=request.auth.by, channel="api", partner=partner)
    elif can(who, "values.correct", initiative):
        intake = Intake(
            initiative=initiative,
            by=request.auth.by,
            channel="api",
            partner=partner,
            many_partners=True,
            correction_reason=reason,
        )
    else:
        raise PermissionDenied
    rows = [
        Reported(
            indicator=v.indicator,
            period=v.period,
            groups=v.groups,
            value=v.value,
            numerator=v.numerator,
            denominator=v.denominator,
            weight=v.n,
            missing=v.missing,
            row=n,
            columns={d: f"groups.{d}" for d in v.groups},
        )
        for n, v in enumerate(payload.values, start=1)
    ]
    try:
        submission = intake.submit(rows, narrative=payload.narrative)
    except IntakeRefused as exc:
        return _refused([(p.row, p.column, p.reason) for p in exc.problems], exc.total)
    submission.partner = partner
    return Status(201, submission)


# --- submissions -----------------------------------------------------------------------------


def _submissions(who, initiative: Initiative) -> QuerySet[Submission]:
    readable = _readable_partners(who, initiative)
    found = Submission.objects.of(initiative).select_related("partner__organisation")
    if readable is None:
        return found.exclude(status=Submission.Status.DRAFT)
    return found.filter(partner_id__in=readable)


@router.get("/initiatives/{slug}/submissions", response=list[SubmissionOut])
@paginate(Page)
def list_submissions(
    request: HttpRequest,
    slug: Slug,
    partner: Slug | None = None,
    status: ValueStatus | None = None,
    channel: Channel | None = None,
):
    """Submissions, newest first: a partner's own, or every partner's for the backbone."""
    who = _who(request)
    initiative = _initiative(request, slug)
    found = _submissions(who, initiative)
    if partner:
        readable = _readable_partners(who, initiative)
        found = found.filter(partner=_partner_filter(initiative, readable, partner))
    if status:
        found = found.filter(status=status)
    if channel:
        found = found.filter(channel=channel)
    return found.order_by("-created_at", "-pk")


@router.get("/initiatives/{slug}/submissions/{uuid}", response=SubmissionOut)
def get_submission(request: HttpRequest, slug: Slug, uuid: UUID):
    """One submission; its values are at /values?submission=<uuid>."""
    initiative = _initiative(request, slug)
    try:
        return _submissions(_who(request), initiative).get(uuid=uuid)
    except (Submission.DoesNotExist, PermissionDenied) as exc:
        raise Http404("No such submission.") from exc


# --- results ---------------------------------------------------------------------------------


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


@router.get("/initiatives/{slug}/indicators/{code}/series", response=SeriesOut)
def indicator_series(request: HttpRequest, slug: Slug, code: Slug, filters: Query[SeriesQuery]):
    """The indicator period by period, from approved values, combined across partners and
    groups as the indicator's aggregation says. Only backbone staff, evaluators and data
    stewards see numbers from fewer people than the small-number threshold."""
    who = _who(request)
    initiative = _initiative(request, slug)
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
        readable = _readable_partners(who, initiative)
        partners = [_partner_filter(initiative, readable, s) for s in filters.partner]
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
                "value": None if hide else _text(result.value),
                "numerator": None if hide else _text(result.numerator),
                "denominator": None if hide else _text(result.denominator),
                "weight": None if hide else _text(result.weight),
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
