"""The common agenda over the REST API: the published version, the history, endorsements,
and for those who edit it, the draft."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from backbone.api.auth import initiative_of, token_or_session
from backbone.api.pagination import Page

from . import selectors
from .models import AgendaVersion

router = Router(tags=["common agenda"], auth=token_or_session)


class VersionOut(Schema):
    number: int
    created_at: datetime
    created_by: str | None
    note: str
    changes: list[str]

    @staticmethod
    def resolve_created_by(obj: AgendaVersion) -> str | None:
        return obj.created_by.name if obj.created_by_id else None


class AgendaOut(VersionOut):
    """A version with the whole agenda as it stood: header texts, goals › strategies › actions."""

    agenda: dict[str, Any]

    @staticmethod
    def resolve_agenda(obj: AgendaVersion) -> dict[str, Any]:
        return obj.snapshot


class DraftOut(Schema):
    """The agenda as editors left it, not yet published: what changed since the published
    version (`based_on`, null before the first one) and the whole draft."""

    based_on: int | None
    number: int
    changes: list[str]
    agenda: dict[str, Any]


class EndorsementOut(Schema):
    organisation: str
    state: str
    version: int | None
    endorsed_at: datetime | None


def _version(initiative, number: int | None) -> AgendaVersion:
    versions = AgendaVersion.objects.of(initiative).select_related("created_by")
    version = (
        versions.order_by("-number").first()
        if number is None
        else versions.filter(number=number).first()
    )
    if version is None:
        raise Http404("No such version.")
    return version


@router.get("/initiatives/{slug}/agenda", response=AgendaOut)
def get_agenda(request: HttpRequest, slug: str):
    """The published common agenda: its current version. Not found before the first one."""
    return _version(initiative_of(request, slug, "agenda.view"), None)


@router.get("/initiatives/{slug}/agenda/draft", response=DraftOut)
def get_draft(request: HttpRequest, slug: str):
    """The draft, for those who edit the agenda: it becomes version `number` when published."""
    draft = selectors.draft_of(initiative_of(request, slug, "agenda.edit"))
    return {
        "based_on": draft.published.number if draft.published else None,
        "number": draft.number,
        "changes": draft.changes,
        "agenda": draft.snapshot,
    }


@router.get("/initiatives/{slug}/agenda/versions", response=list[VersionOut])
@paginate(Page)
def list_versions(request: HttpRequest, slug: str):
    initiative = initiative_of(request, slug, "agenda.history")
    return AgendaVersion.objects.of(initiative).select_related("created_by")


@router.get("/initiatives/{slug}/agenda/versions/{number}", response=AgendaOut)
def get_version(request: HttpRequest, slug: str, number: int):
    return _version(initiative_of(request, slug, "agenda.history"), number)


@router.get("/initiatives/{slug}/agenda/endorsements", response=list[EndorsementOut])
def list_endorsements(request: HttpRequest, slug: str):
    """Each partner's endorsement: of the current version, of an earlier one, or none."""
    status = selectors.endorsement_status(initiative_of(request, slug, "agenda.view"))
    return [
        {
            "organisation": row.partner.organisation.name,
            "state": row.state,
            "version": row.latest.version.number if row.latest else None,
            "endorsed_at": row.latest.endorsed_at if row.latest else None,
        }
        for row in status.rows
    ]
