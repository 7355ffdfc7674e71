"""Initiatives, their partners and their people over the REST API, under the same rules and
through the same services as the pages.

Every operation takes a token or the session (backbone.api.auth). People (members and
invitations) are for a signed-in caller only, a session or a token (401 otherwise), and for
those who see the people page: backbone staff and evaluators see everyone, a partner steward
their own organisation's people (403 for other members). A role or an invitation the caller
may not see or manage is not found (404); a change the rules refuse is 403; one the
initiative's rules refuse (the last backbone staff member, a role held already) is 422,
like a body that does not validate.

An invitation is sent as from the people page (`members.invite`): the answer is the
invitation, never its link, which goes by e-mail only; what the service refuses (too many
invitations in an hour) is 422.
"""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone import permissions
from backbone.api.auth import caller, initiative_of, signed_in_only, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.api.pagination import Page
from backbone.permissions import can, require

from . import members, services
from .models import Initiative, Invitation, Membership, Partner
from .roles import Role
from .selectors import initiative_of_token, partner_organisation, visible_initiatives

router = Router(tags=["initiatives"], auth=token_or_session)


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
    """Initiatives the caller belongs to, and the public ones; for a token, its own."""
    found = caller(request)
    if found.is_token:
        visible = initiative_of_token(found.initiative_id)
    else:
        visible = visible_initiatives(found.who)
    return visible.select_related("framework").order_by("name")


@router.get("/initiatives/{slug}", response=InitiativeOut)
def get_initiative(request: HttpRequest, slug: str):
    return initiative_of(request, slug)


@router.get("/initiatives/{slug}/partners", response=list[PartnerOut])
@paginate(Page)
def list_partners(
    request: HttpRequest, slug: str, status: str | None = None, sector: str | None = None
):
    initiative = initiative_of(request, slug, "partners.view")
    partners = Partner.objects.of(initiative).select_related("organisation")
    if status:
        partners = partners.filter(status=status)
    if sector:
        partners = partners.filter(organisation__sector=sector)
    return partners.order_by("organisation__name")


# --- people: members and invitations ---------------------------------------------------------

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class MemberOut(Schema):
    person: UUID = Field(
        description="The person's id; with `role` and `organisation` it "
        "names this role in the address of PATCH and DELETE."
    )
    name: str
    email: str
    role: Role
    organisation: str | None = Field(description="The organisation's slug, or null.")
    since: datetime

    @staticmethod
    def resolve_person(obj: Membership) -> UUID:
        return obj.person.uuid

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.person.name

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.person.email

    @staticmethod
    def resolve_organisation(obj: Membership) -> str | None:
        return obj.organisation.slug if obj.organisation_id else None

    @staticmethod
    def resolve_since(obj: Membership) -> datetime:
        return obj.created_at


class MemberChangeIn(Schema):
    """What to change; what is left out stays as it is."""

    role: Role | None = None
    organisation: Slug | None = Field(
        None,
        description="A partner organisation's slug; null for none (roles that need one refuse it).",
    )


class InvitationIn(Schema):
    """An invitation, as the people page's form takes it."""

    email: Annotated[str, StringConstraints(max_length=254)] = Field(
        description="Where the link is sent."
    )
    name: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=150)] = ""
    role: Role
    organisation: Slug | None = Field(
        None,
        description="A partner organisation's slug: needed for partner stewards and members; "
        "for a funder, the organisation whose grants it may see; ignored for other roles.",
    )


class InvitationOut(Schema):
    uuid: UUID
    email: str
    role: Role
    organisation: str | None
    status: str = Field(description="open, expired or declined.")
    expires_at: datetime

    @staticmethod
    def resolve_organisation(obj: Invitation) -> str | None:
        return obj.organisation.slug if obj.organisation_id else None

    @staticmethod
    def resolve_status(obj: Invitation) -> str:
        if obj.declined_at:
            return "declined"
        return "open" if obj.is_open else "expired"


def _people_initiative(request: HttpRequest, slug: str) -> Initiative:
    return initiative_of(request, slug, "members.view")


def _visible(request: HttpRequest, initiative: Initiative, found: QuerySet) -> QuerySet:
    """A steward's view of the people page: their own organisations only."""
    return permissions.members_visible(who(request), initiative, found)


def _refused(exc: Refused) -> ValidationError:
    """A service's refusal as the 422 body: each message where it applies."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    return ValidationError(
        [
            {"type": "refused", "loc": ["body", name] if name else ["body"], "msg": message}
            for name, messages in fields.items()
            for message in messages
        ]
    )


def _managed(request: HttpRequest, slug: str, person: UUID, role: str, organisation: str):
    initiative = _people_initiative(request, slug)
    membership = members.membership_find(
        initiative=initiative, person_uuid=person, role=role, organisation=organisation
    )
    if membership is None or not can(who(request), "members.manage", initiative, membership):
        raise Http404("No such role here.")
    return initiative, membership


@router.get("/initiatives/{slug}/members", response=list[MemberOut], auth=signed_in_only)
@paginate(Page)
def list_members(request: HttpRequest, slug: Slug, role: Role | None = None):
    """The roles people hold here, by name: everyone's for backbone staff and evaluators, a
    partner steward's own organisations' (403 for other members)."""
    initiative = _people_initiative(request, slug)
    found = Membership.objects.of(initiative).select_related("person", "organisation")
    if role:
        found = found.filter(role=role)
    return _visible(request, initiative, found).order_by("person__name", "role", "pk")


MEMBER = "/initiatives/{slug}/members/{person}/{role}/{organisation}"


@router.patch(MEMBER, response={200: MemberOut, **REFUSALS}, auth=signed_in_only)
def change_member(
    request: HttpRequest,
    slug: Slug,
    person: UUID,
    role: Role,
    organisation: Slug,
    payload: MemberChangeIn,
):
    """Change one role a person holds (`organisation` in the address: its slug, or `-` for
    a role held for no organisation). A partner steward changes their own organisation's
    people, to partner roles, in that organisation."""
    initiative, membership = _managed(request, slug, person, role, organisation)
    given = payload.model_fields_set
    new_role = payload.role if "role" in given and payload.role else membership.role
    new_organisation = membership.organisation
    if "organisation" in given:
        new_organisation = None
        if payload.organisation:
            new_organisation = partner_organisation(initiative, payload.organisation)
            if new_organisation is None:
                raise ValidationError(
                    [
                        {
                            "type": "refused",
                            "loc": ["body", "organisation"],
                            "msg": f"No partner organisation {payload.organisation!r} here.",
                        }
                    ]
                )
    require(who(request), "members.change", initiative, (membership, new_role, new_organisation))
    try:
        return members.membership_change(
            membership=membership,
            by=caller(request).by,
            role=new_role,
            organisation=new_organisation,
        )
    except Refused as exc:
        raise _refused(exc) from exc


@router.delete(MEMBER, response={204: None, **REFUSALS}, auth=signed_in_only)
def remove_member(request: HttpRequest, slug: Slug, person: UUID, role: Role, organisation: Slug):
    """Remove one role a person holds, at once: what it let them see and do stops (their
    API tokens and calendar links too); what they contributed stays theirs."""
    _, membership = _managed(request, slug, person, role, organisation)
    try:
        members.membership_remove(membership=membership, by=caller(request).by)
    except Refused as exc:
        raise _refused(exc) from exc
    return Status(204, None)


def _invitations(request: HttpRequest, initiative: Initiative) -> QuerySet[Invitation]:
    found = (
        Invitation.objects.of(initiative)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("organisation")
    )
    return _visible(request, initiative, found)


@router.get("/initiatives/{slug}/invitations", response=list[InvitationOut], auth=signed_in_only)
@paginate(Page)
def list_invitations(request: HttpRequest, slug: Slug):
    """Invitations neither accepted nor withdrawn, newest first: open, expired or declined."""
    initiative = _people_initiative(request, slug)
    return _invitations(request, initiative).order_by("-created_at", "-pk")


@router.delete(
    "/initiatives/{slug}/invitations/{uuid}",
    response={204: None, **REFUSALS},
    auth=signed_in_only,
)
def withdraw_invitation(request: HttpRequest, slug: Slug, uuid: UUID):
    """Withdraw an invitation: its link stops working."""
    initiative = _people_initiative(request, slug)
    invitation = _invitations(request, initiative).filter(uuid=uuid).first()
    if invitation is None:
        raise Http404("No such invitation.")
    if not can(
        who(request), "members.invite", initiative, (invitation.role, invitation.organisation)
    ):
        raise PermissionDenied
    services.invitation_revoke(invitation=invitation, by=caller(request).by)
    return Status(204, None)


def _invitation_problem(name: str, message: str) -> ValidationError:
    return ValidationError([{"type": "refused", "loc": ["body", name], "msg": message}])


@router.post(
    "/initiatives/{slug}/invitations",
    response={201: InvitationOut, **REFUSALS},
    auth=signed_in_only,
)
def create_invitation(request: HttpRequest, slug: Slug, payload: InvitationIn):
    """Invite a person by e-mail to a role, as the people page does: backbone staff to any
    role, a partner steward to their own organisation's partner roles (403 otherwise). The
    link goes by e-mail only: it is never in the answer."""
    initiative = _people_initiative(request, slug)
    person = who(request)
    if not can(person, "members.invite", initiative):
        raise PermissionDenied
    try:
        validate_email(payload.email.strip())
    except Refused as exc:
        raise _invitation_problem("email", "Enter a valid e-mail address.") from exc
    organisation = None
    if payload.organisation and services.invitation_names_organisation(payload.role):
        organisation = partner_organisation(initiative, payload.organisation)
        if organisation is None:
            raise _invitation_problem(
                "organisation", f"No partner organisation {payload.organisation!r} here."
            )
    missing = services.invitation_organisation_problem(role=payload.role, organisation=organisation)
    if missing:
        raise _invitation_problem("organisation", missing)
    require(person, "members.invite", initiative, (payload.role, organisation))
    try:
        invitation, _ = services.invitation_create(
            initiative=initiative,
            by=caller(request).by,
            email=payload.email,
            role=payload.role,
            organisation=organisation,
            name=payload.name.strip(),
        )
    except Refused as exc:
        raise _refused(exc) from exc
    return Status(201, invitation)
