"""Read access to initiatives and partners over the REST API, under the same rules as the pages."""

from datetime import date
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from backbone.api.pagination import Page
from backbone.permissions import initiative_for

from .models import Initiative, Partner
from .selectors import visible_initiatives

router = Router(tags=["initiatives"])


class InitiativeOut(Schema):
    uuid: UUID
    slug: str
    name: str
    place: str
    issue_area: str
    start_date: date | None
    phase: str
    framework: str | None
    description: str
    visibility: str

    @staticmethod
    def resolve_framework(obj: Initiative) -> str | None:
        return obj.framework.slug if obj.framework_id else None


class PartnerOut(Schema):
    organisation: str
    organisation_slug: str
    sector: str
    status: str
    joined_on: date

    @staticmethod
    def resolve_organisation(obj: Partner) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_organisation_slug(obj: Partner) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_sector(obj: Partner) -> str:
        return obj.organisation.sector


@router.get("/initiatives", response=list[InitiativeOut])
@paginate(Page)
def list_initiatives(request: HttpRequest):
    """Initiatives the caller belongs to, and the public ones."""
    return visible_initiatives(request.user).select_related("framework").order_by("name")


@router.get("/initiatives/{slug}", response=InitiativeOut)
def get_initiative(request: HttpRequest, slug: str):
    return initiative_for(request.user, slug)


@router.get("/initiatives/{slug}/partners", response=list[PartnerOut])
@paginate(Page)
def list_partners(
    request: HttpRequest, slug: str, status: str | None = None, sector: str | None = None
):
    initiative = initiative_for(request.user, slug, "partners.view")
    partners = Partner.objects.filter(initiative=initiative).select_related("organisation")
    if status:
        partners = partners.filter(status=status)
    if sector:
        partners = partners.filter(organisation__sector=sector)
    return partners.order_by("organisation__name")
