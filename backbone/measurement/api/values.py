"""Values over the REST API: reading them, reporting a batch as one submission through the one
intake path (every problem listed by row and column, nothing written unless all is good),
and reading the submissions they came in."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictFloat, StrictInt, StrictStr

from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can

from ..intake import Reported
from ..intake.service import values_import
from ..models import DataValue, Submission
from ..problems import IntakeRefused
from ..tokens import TokenHolder
from .common import (
    Channel,
    PeriodCode,
    Slug,
    Text,
    decimal_text,
    partner_filter,
    readable_partners,
    viewed_initiative,
    who_of,
)

router = Router()

MAX_VALUES_PER_CALL = 20_000


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
        return decimal_text(obj.value)

    @staticmethod
    def resolve_numerator(obj: DataValue) -> str | None:
        return decimal_text(obj.numerator)

    @staticmethod
    def resolve_denominator(obj: DataValue) -> str | None:
        return decimal_text(obj.denominator)

    @staticmethod
    def resolve_n(obj: DataValue) -> str | None:
        return decimal_text(obj.weight)

    @staticmethod
    def resolve_missing(obj: DataValue) -> str | None:
        return obj.missing or None

    @staticmethod
    def resolve_submission(obj: DataValue) -> UUID | None:
        return obj.submission.uuid if obj.submission_id else None


@router.get(
    "/initiatives/{slug}/values",
    response=list[ValueOut],
    operation_id="backbone_measurement_api_list_values",
)
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
    who = who_of(request)
    initiative = viewed_initiative(request, slug)
    readable = readable_partners(who, initiative)
    values = DataValue.objects.of(initiative)
    if readable is not None:
        values = values.filter(partner_id__in=readable)
    else:
        values = values.exclude(status=DataValue.Status.DRAFT)
    if partner:
        values = values.filter(partner=partner_filter(initiative, readable, partner))
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
    operation_id="backbone_measurement_api_submit_values",
)
def submit_values(request: HttpRequest, slug: Slug, payload: ValuesIn):
    """Report values as one submission. A rate takes numerator and denominator, a weighted
    average its value and n, everything else a value; one without says why in `missing`.
    Either every value is written or, with 400, none is and every problem is listed."""
    who = who_of(request)
    initiative = viewed_initiative(request, slug)
    if not (can(who, "values.submit", initiative) or can(who, "values.correct", initiative)):
        raise PermissionDenied
    partner = _reporting_partner(who, initiative, payload.partner)
    if partner is None:
        if payload.partner:
            return _refused([(None, "partner", f"unknown partner {payload.partner!r}")])
        return _refused([(None, "partner", "name the partner these values are for")])
    reason = payload.correction_reason.strip()
    if can(who, "values.submit", initiative, partner) and not reason:
        many_partners = False
    elif can(who, "values.correct", initiative):
        many_partners = True
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
        submission = values_import(
            rows,
            initiative=initiative,
            by=request.auth.by,
            channel=Submission.Channel.API,
            partner=partner,
            many_partners=many_partners,
            correction_reason=reason,
            narrative=payload.narrative,
        )
    except IntakeRefused as exc:
        return _refused([(p.row, p.column, p.reason) for p in exc.problems], exc.total)
    submission.partner = partner
    return Status(201, submission)


# --- submissions -----------------------------------------------------------------------------


def _submissions(who, initiative: Initiative) -> QuerySet[Submission]:
    readable = readable_partners(who, initiative)
    found = Submission.objects.of(initiative).select_related("partner__organisation")
    if readable is None:
        return found.exclude(status=Submission.Status.DRAFT)
    return found.filter(partner_id__in=readable)


@router.get(
    "/initiatives/{slug}/submissions",
    response=list[SubmissionOut],
    operation_id="backbone_measurement_api_list_submissions",
)
@paginate(Page)
def list_submissions(
    request: HttpRequest,
    slug: Slug,
    partner: Slug | None = None,
    status: ValueStatus | None = None,
    channel: Channel | None = None,
):
    """Submissions, newest first: a partner's own, or every partner's for the backbone."""
    who = who_of(request)
    initiative = viewed_initiative(request, slug)
    found = _submissions(who, initiative)
    if partner:
        readable = readable_partners(who, initiative)
        found = found.filter(partner=partner_filter(initiative, readable, partner))
    if status:
        found = found.filter(status=status)
    if channel:
        found = found.filter(channel=channel)
    return found.order_by("-created_at", "-pk")


@router.get(
    "/initiatives/{slug}/submissions/{uuid}",
    response=SubmissionOut,
    operation_id="backbone_measurement_api_get_submission",
)
def get_submission(request: HttpRequest, slug: Slug, uuid: UUID):
    """One submission; its values are at /values?submission=<uuid>."""
    initiative = viewed_initiative(request, slug)
    try:
        return _submissions(who_of(request), initiative).get(uuid=uuid)
    except (Submission.DoesNotExist, PermissionDenied) as exc:
        raise Http404("No such submission.") from exc
