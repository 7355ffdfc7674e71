"""Completeness over the REST API: which reports each partner owes per period and where each
stands, as the completeness pages show them.

The backbone, evaluators and data stewards read every partner's; a partner's people (and
its token) their own organisation's; other members get 403, outsiders 404. The periods are
the pages' own: those open for reporting or whose due date has passed.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StringConstraints

from backbone.api.auth import initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.api.pagination import Page

from . import selectors

router = Router(tags=["completeness"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
PeriodCode = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9]+$", max_length=20)]
State = Literal["missing", "returned", "received"]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class FiguresOut(Schema):
    expected: int
    received: int
    on_time: int
    late: int = Field(description="Received late, or still outstanding after the due date.")
    missing: int
    returned: int
    percent_received: int | None
    percent_on_time: int | None


class PartnerFiguresOut(Schema):
    partner: str = Field(description="The partner organisation's slug.")
    partner_name: str
    figures: FiguresOut


class PeriodFiguresOut(Schema):
    period: str = Field(description="The period's code.")
    label: str
    due: date | None
    figures: FiguresOut


class CompletenessOut(Schema):
    as_of: date = Field(description="The day lateness is judged at.")
    periods: list[str] = Field(description="The periods counted, newest first.")
    overall: FiguresOut
    by_partner: list[PartnerFiguresOut]
    by_period: list[PeriodFiguresOut]


class ExpectedReportOut(Schema):
    partner: str = Field(description="The partner organisation's slug.")
    partner_name: str
    indicator: str = Field(description="The indicator's code.")
    indicator_name: str
    period: str = Field(description="The period's code.")
    due: date | None
    state: State
    received_at: datetime | None
    is_late: bool
    comment: str = Field(description="The backbone's comment when it was returned.")


class CompletenessFilters(Schema):
    period: PeriodCode | None = Field(None, description="A period's code.")


class ReportFilters(CompletenessFilters):
    partner: Slug | None = Field(None, description="A partner organisation's slug.")
    indicator: Slug | None = Field(None, description="An indicator's code.")
    state: State | None = None
    late: bool | None = Field(None, description="Only late (true) or not late (false) ones.")


def _figures(f: selectors.Figures) -> dict:
    return {
        "expected": f.expected,
        "received": f.received,
        "on_time": f.on_time,
        "late": f.late,
        "missing": f.missing,
        "returned": f.returned,
        "percent_received": f.percent_received,
        "percent_on_time": f.percent_on_time,
    }


def _seen(request: HttpRequest, slug: str, period: str | None) -> selectors.Completeness:
    """What the pages show the caller: 404 for outsiders, 401 for no one, 403 for members
    who read no partner's reports."""
    initiative = initiative_of(request, slug)
    person = who(request)
    found = selectors.completeness_seen_by(
        initiative=initiative, person=person, period=period or ""
    )
    if found is None:
        if not person.is_authenticated:
            raise HttpError(401, "Sign in, or send a token.")
        raise PermissionDenied
    return found


@router.get("/initiatives/{slug}/completeness", response={200: CompletenessOut, **READ})
def completeness_summary(request: HttpRequest, slug: Slug, filters: Query[CompletenessFilters]):
    """How complete and timely reporting is, overall, per partner and per period, over the
    periods due or open (or the one asked for)."""
    found = _seen(request, slug, filters.period)
    return {
        "as_of": found.today,
        "periods": [p.code for p in found.periods],
        "overall": _figures(found.overall),
        "by_partner": [
            {
                "partner": p.organisation.slug,
                "partner_name": p.organisation.name,
                "figures": _figures(f),
            }
            for p, f in found.partner_rows()
        ],
        "by_period": [
            {"period": p.code, "label": p.label, "due": p.due, "figures": _figures(f)}
            for p, f in found.period_rows()
        ],
    }


@router.get(
    "/initiatives/{slug}/completeness/reports", response={200: list[ExpectedReportOut], **READ}
)
@paginate(Page)
def list_expected_reports(request: HttpRequest, slug: Slug, filters: Query[ReportFilters]):
    """Every report owed (partner × indicator × period), newest period first: what each
    partner owes and what it has sent; filtered by period, partner, indicator, state and
    lateness."""
    found = _seen(request, slug, filters.period)
    return [
        {
            "partner": r.partner.organisation.slug,
            "partner_name": r.partner.organisation.name,
            "indicator": r.indicator.code,
            "indicator_name": r.indicator.name,
            "period": r.period.code,
            "due": r.period.due,
            "state": r.state,
            "received_at": r.received_at,
            "is_late": r.is_late,
            "comment": r.comment,
        }
        for r in found.reports
        if (not filters.partner or r.partner.organisation.slug == filters.partner)
        and (not filters.indicator or r.indicator.code == filters.indicator)
        and (not filters.state or r.state == filters.state)
        and (filters.late is None or r.is_late == filters.late)
    ]
