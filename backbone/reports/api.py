"""Funder progress reports over the REST API: the ones a caller may read, and each as the
same PDF as its page's download.

Members read the reports shared with them (evaluators and the backbone every one; funders
those shared with funders; partners, community members and data stewards those shared with
members); a report the caller may not read is not found (404), outsiders get 404, visitors
of a public initiative 403, no one 401. Each reading draws the sections from the live data,
for the reader, as the page does.
"""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StringConstraints

from backbone.api.auth import initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative
from backbone.permissions import can

from . import selectors
from .models import Report
from .pdf import render_pdf

router = Router(tags=["reports"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
PDF = {
    "responses": {
        "200": {
            "description": "The report as a PDF, with the sections the caller may read.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class ReportOut(Schema):
    uuid: UUID
    title: str
    period_start: date
    period_end: date = Field(description="The last day the report covers.")
    introduction: str
    shared_with_funders: bool
    shared_with_members: bool
    created_at: datetime
    updated_at: datetime
    link: str = Field(description="Its page.")
    pdf: str = Field(description="The PDF (this API).")

    @staticmethod
    def resolve_link(obj: Report) -> str:
        return f"/i/{obj.initiative.slug}/reports/{obj.uuid}/"

    @staticmethod
    def resolve_pdf(obj: Report) -> str:
        return f"/api/initiatives/{obj.initiative.slug}/reports/{obj.uuid}/pdf"


def _reports(request: HttpRequest, slug: str) -> Initiative:
    """The initiative, for its members: 404 for outsiders, 401 for no one, 403 for visitors."""
    initiative = initiative_of(request, slug)
    person = who(request)
    if not can(person, "reports.view", initiative):
        if not person.is_authenticated:
            raise HttpError(401, "Sign in, or send a token.")
        raise PermissionDenied
    return initiative


@router.get("/initiatives/{slug}/reports", response={200: list[ReportOut], **READ})
@paginate(Page)
def list_reports(request: HttpRequest, slug: Slug):
    """The reports the caller may read, latest period first."""
    initiative = _reports(request, slug)
    found = selectors.reports_for(who(request), initiative)
    for report in found:
        report.initiative = initiative
    return found


@router.get("/initiatives/{slug}/reports/{uuid}/pdf", response=READ, openapi_extra=PDF)
def report_pdf(request: HttpRequest, slug: Slug, uuid: UUID):
    """The report as a PDF: the same document as the page's download, for the caller."""
    initiative = _reports(request, slug)
    found = selectors.report_in(initiative, uuid)
    if found is None or not can(who(request), "report.view", initiative, found):
        raise Http404("No such report.")
    doc = selectors.build_report(found, who(request))
    response = HttpResponse(render_pdf(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}"'
    return response
