"""The policy agenda, public will and partners' commitments over the REST API, under the same
rules and through the same services as the pages.

Policies: members read all of them, visitors of a public initiative its public ones (any
other is 404); the backbone writes them and their timeline. Public will: members read, the
backbone writes. Commitments: members read every partner's; the backbone and a partner's own
people (and its token) write that partner's, with their progress updates; anyone else 403.
A change carries the `revision` it was read at: a save meanwhile answers 409 with the row as
it now stands. What the services refuse is 422 with their message.
"""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, initiative_of, members_initiative, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut, problem, refused
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative
from backbone.permissions import can
from backbone.revisions import EditConflict

from . import selectors, services
from .models import Commitment, CommitmentUpdate, Policy, PolicyEvent, PublicWillItem

router = Router(tags=["advocacy"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Level = Literal["local", "regional", "national"]
Position = Literal["support", "oppose", "amend", "monitor"]
PolicyStatus = Literal["idea", "drafted", "introduced", "adopted", "implemented", "failed"]
ItemKind = Literal["campaign", "event", "media"]
ReachBasis = Literal["estimated", "measured"]
CommitmentKind = Literal["programmes", "budget", "policies", "staff_time", "data"]
CommitmentStatus = Literal["committed", "in_progress", "done", "dropped"]
Revision = Annotated[int, Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _name(person) -> str | None:
    return (person.name or person.email) if person is not None else None


# --- schemas ------------------------------------------------------------------------------


class PolicyOut(Schema):
    uuid: UUID
    title: str
    level: Level
    body: str = Field(description="Who decides: the council, legislature or agency.")
    position: Position
    position_statement: str
    status: PolicyStatus
    is_win: bool = Field(description="Adopted or implemented.")
    next_step: str
    next_step_owner: UUID | None = Field(description="A person of the initiative.")
    next_step_owner_name: str | None
    is_public: bool = Field(description="Shown to visitors when the initiative is public.")
    url: str = Field(description="The policy's page.")
    revision: int = Field(description="Send it back with a change (PATCH).")
    updated_at: datetime

    @staticmethod
    def resolve_next_step_owner(obj: Policy) -> UUID | None:
        return obj.next_step_owner.uuid if obj.next_step_owner else None

    @staticmethod
    def resolve_next_step_owner_name(obj: Policy) -> str | None:
        return _name(obj.next_step_owner)

    @staticmethod
    def resolve_url(obj: Policy) -> str:
        return reverse("advocacy:policy", args=[obj.initiative.slug, obj.uuid])


class PolicyConflictOut(Schema):
    detail: str
    current: PolicyOut = Field(description="The policy as it now stands.")


class PolicyIn(Schema):
    title: Text = Field(min_length=1, max_length=200)
    level: Level
    body: Text = Field(min_length=1, max_length=200)
    position: Position
    position_statement: Text = Field("", max_length=300)
    status: PolicyStatus = "idea"
    next_step: Text = Field("", max_length=300)
    next_step_owner: UUID | None = Field(None, description="A person of the initiative.")
    is_public: bool = False


class PolicyChangeIn(Schema):
    """What to change; what is left out stays as it is."""

    revision: Revision
    title: Text | None = Field(None, min_length=1, max_length=200)
    level: Level | None = None
    body: Text | None = Field(None, min_length=1, max_length=200)
    position: Position | None = None
    position_statement: Text | None = Field(None, max_length=300)
    status: PolicyStatus | None = None
    next_step: Text | None = Field(None, max_length=300)
    next_step_owner: UUID | None = None
    is_public: bool | None = None


class PolicyFilters(Schema):
    status: PolicyStatus | None = None
    level: Level | None = None
    position: Position | None = None


class PolicyEventOut(Schema):
    happened_on: date
    description: str
    status_before: PolicyStatus
    status_after: PolicyStatus | None = Field(description="None: the status did not change.")
    recorded_by: str | None

    @staticmethod
    def resolve_status_after(obj: PolicyEvent) -> str | None:
        return obj.status_after or None

    @staticmethod
    def resolve_recorded_by(obj: PolicyEvent) -> str | None:
        return _name(obj.recorded_by)


class PolicyEventIn(Schema):
    happened_on: date
    description: Text = Field(min_length=1, max_length=300)
    status_after: PolicyStatus | None = Field(None, description="Where it moves the policy.")


class PublicWillItemOut(Schema):
    uuid: UUID
    kind: ItemKind
    title: str
    starts_on: date = Field(description="The date; for a campaign, the day it starts.")
    ends_on: date | None = Field(description="Campaigns only.")
    audience: str
    reach: int | None = Field(description="People reached.")
    reach_basis: ReachBasis
    link: str
    notes: str
    revision: int


class PublicWillConflictOut(Schema):
    detail: str
    current: PublicWillItemOut


class PublicWillItemIn(Schema):
    kind: ItemKind
    title: Text = Field(min_length=1, max_length=200)
    starts_on: date
    ends_on: date | None = None
    audience: Text = Field("", max_length=200)
    reach: int | None = Field(None, ge=0, le=2**31 - 1)
    reach_basis: ReachBasis = "estimated"
    link: Text = Field("", max_length=200)
    notes: Text = ""


class PublicWillItemChangeIn(Schema):
    revision: Revision
    kind: ItemKind | None = None
    title: Text | None = Field(None, min_length=1, max_length=200)
    starts_on: date | None = None
    ends_on: date | None = None
    audience: Text | None = Field(None, max_length=200)
    reach: int | None = Field(None, ge=0, le=2**31 - 1)
    reach_basis: ReachBasis | None = None
    link: Text | None = Field(None, max_length=200)
    notes: Text | None = None


class CommitmentOut(Schema):
    uuid: UUID
    partner: str = Field(description="The partner organisation's slug.")
    partner_name: str
    kind: CommitmentKind
    description: str
    starts_on: date
    status: CommitmentStatus
    last_update: date | None = Field(description="The day of its latest progress update.")
    url: str = Field(description="The partner's commitments page.")
    revision: int

    @staticmethod
    def resolve_partner(obj: Commitment) -> str:
        return obj.partner.organisation.slug

    @staticmethod
    def resolve_partner_name(obj: Commitment) -> str:
        return obj.partner.organisation.name

    @staticmethod
    def resolve_last_update(obj: Commitment) -> date | None:
        return getattr(obj, "last_update", None)

    @staticmethod
    def resolve_url(obj: Commitment) -> str:
        return reverse(
            "advocacy:partner", args=[obj.initiative.slug, obj.partner.organisation.slug]
        )


class CommitmentConflictOut(Schema):
    detail: str
    current: CommitmentOut


class CommitmentIn(Schema):
    partner: Slug = Field(description="The partner organisation's slug.")
    kind: CommitmentKind
    description: Text = Field(min_length=1, max_length=5000)
    starts_on: date
    status: CommitmentStatus = "committed"


class CommitmentChangeIn(Schema):
    revision: Revision
    kind: CommitmentKind | None = None
    description: Text | None = Field(None, min_length=1, max_length=5000)
    starts_on: date | None = None
    status: CommitmentStatus | None = None


class CommitmentFilters(Schema):
    partner: Slug | None = Field(None, description="A partner organisation's slug.")
    kind: CommitmentKind | None = None
    status: CommitmentStatus | None = None


class CommitmentProgressOut(Schema):
    on: date
    text: str
    by: str | None

    @staticmethod
    def resolve_by(obj: CommitmentUpdate) -> str | None:
        return _name(obj.by)


class CommitmentProgressIn(Schema):
    on: date
    text: Text = Field(min_length=1, max_length=5000)
    status: CommitmentStatus | None = Field(None, description="Moves the commitment there.")


# --- helpers ------------------------------------------------------------------------------


def _require(request: HttpRequest, rule: str, initiative: Initiative, obj=None) -> None:
    """401 for no one (on a public initiative), 403 for who may not write this."""
    if not who(request).is_authenticated:
        raise HttpError(401, "Sign in, or send a token.")
    if not can(who(request), rule, initiative, obj):
        raise PermissionDenied


def _policy(request: HttpRequest, slug: str, uuid: UUID) -> Policy:
    initiative = initiative_of(request, slug, "policies.view")
    found = selectors.policy_get(initiative=initiative, uuid=uuid)
    if found is None or not can(who(request), "policy.view", initiative, found):
        raise Http404("No such policy.")  # a policy not shown publicly is never hinted at
    found.initiative = initiative
    return found


def _owner(initiative: Initiative, given: UUID | None):
    if given is None:
        return None
    found = selectors.person_named(uuid=given)
    if found is None:
        raise problem("next_step_owner", "The owner of the next step must be a person here.")
    return found


def _item(request: HttpRequest, slug: str, uuid: UUID) -> PublicWillItem:
    initiative = members_initiative(request, slug, "public_will.view")
    found = selectors.public_will_item_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such item.")
    found.initiative = initiative
    return found


def _commitment(request: HttpRequest, slug: str, uuid: UUID) -> Commitment:
    initiative = members_initiative(request, slug, "commitments.view")
    found = selectors.commitment_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such commitment.")
    found.initiative = found.partner.initiative = initiative
    return found


def _changed(obj, given: dict, nullable: tuple[str, ...] = ()) -> None:
    """Set what the body gives over the row as it stands."""
    for name, value in given.items():
        if name != "revision" and (value is not None or name in nullable):
            setattr(obj, name, value)


def _reread_policy(initiative: Initiative, policy: Policy) -> Policy:
    found = selectors.policy_get(initiative=initiative, uuid=policy.uuid)
    found.initiative = initiative
    return found


def _reread_commitment(initiative: Initiative, commitment: Commitment) -> Commitment:
    found = selectors.commitment_get(initiative=initiative, uuid=commitment.uuid)
    found.initiative = found.partner.initiative = initiative
    return found


# --- policies -----------------------------------------------------------------------------

POLICIES = "/initiatives/{slug}/policies"
POLICY = "/initiatives/{slug}/policies/{uuid}"


@router.get(POLICIES, response={200: list[PolicyOut], **READ})
@paginate(Page)
def list_policies(request: HttpRequest, slug: Slug, filters: Query[PolicyFilters]):
    """The policy agenda by title: every policy for members, the public ones for visitors of
    a public initiative; filtered by status, level and position."""
    initiative = initiative_of(request, slug, "policies.view")
    members = can(who(request), "policies.view_all", initiative)
    rows = selectors.policies_listed(
        initiative=initiative, public_only=not members, **filters.model_dump()
    )
    return _with_initiative(rows, initiative)


def _with_initiative(rows, initiative: Initiative):
    """Rows that know their initiative without asking the database once each."""
    found = list(rows)
    for row in found:
        row.initiative = initiative
        if hasattr(row, "partner"):
            row.partner.initiative = initiative
    return found


@router.get(POLICY, response={200: PolicyOut, **READ})
def get_policy(request: HttpRequest, slug: Slug, uuid: UUID):
    return _policy(request, slug, uuid)


@router.post(POLICIES, response={201: PolicyOut, **WRITE})
def create_policy(request: HttpRequest, slug: Slug, payload: PolicyIn):
    """Add a policy to the agenda: the backbone only."""
    initiative = initiative_of(request, slug, "policies.view")
    _require(request, "policies.manage", initiative)
    given = payload.model_dump()
    given["next_step_owner"] = _owner(initiative, payload.next_step_owner)
    policy = Policy(initiative=initiative, **given)
    try:
        services.policy_save(policy=policy, by=caller(request).by)
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, _reread_policy(initiative, policy))


@router.patch(POLICY, response={200: PolicyOut, 409: PolicyConflictOut, **WRITE})
def change_policy(request: HttpRequest, slug: Slug, uuid: UUID, payload: PolicyChangeIn):
    """Change a policy read at `revision`; what is left out stays. Saved meanwhile, it is
    refused with 409 and the policy as it now stands."""
    found = _policy(request, slug, uuid)
    initiative = found.initiative
    _require(request, "policies.manage", initiative)
    given = payload.model_dump(exclude_unset=True)
    if "next_step_owner" in given:
        given["next_step_owner"] = _owner(initiative, payload.next_step_owner)
    _changed(found, given, nullable=("next_step_owner",))
    try:
        services.policy_save(policy=found, by=caller(request).by, read_revision=payload.revision)
    except EditConflict as exc:
        current = _reread_policy(initiative, exc.current)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise refused(exc) from exc
    return _reread_policy(initiative, found)


@router.get(f"{POLICY}/events", response={200: list[PolicyEventOut], **READ})
@paginate(Page)
def list_policy_events(request: HttpRequest, slug: Slug, uuid: UUID):
    """The policy's timeline, oldest first, with the status each step left and reached."""
    return selectors.policy_events(policy=_policy(request, slug, uuid))


@router.post(f"{POLICY}/events", response={201: PolicyEventOut, **WRITE})
def add_policy_event(request: HttpRequest, slug: Slug, uuid: UUID, payload: PolicyEventIn):
    """Add a step to the timeline; with `status_after` it moves the policy there (a new
    revision of the policy)."""
    found = _policy(request, slug, uuid)
    _require(request, "policies.manage", found.initiative)
    try:
        event = services.policy_event_add(
            policy=found,
            happened_on=payload.happened_on,
            description=payload.description,
            status_after=payload.status_after or "",
            by=caller(request).by,
        )
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, event)


# --- public will --------------------------------------------------------------------------

ITEMS = "/initiatives/{slug}/public-will"
ITEM = "/initiatives/{slug}/public-will/{uuid}"


@router.get(ITEMS, response={200: list[PublicWillItemOut], **READ})
@paginate(Page)
def list_public_will(
    request: HttpRequest, slug: Slug, kind: Annotated[ItemKind | None, Query()] = None
):
    """Campaigns, events and media items, newest first, with how many each reached."""
    initiative = members_initiative(request, slug, "public_will.view")
    return selectors.public_will_items(initiative=initiative, kind=kind or "")


@router.get(ITEM, response={200: PublicWillItemOut, **READ})
def get_public_will_item(request: HttpRequest, slug: Slug, uuid: UUID):
    return _item(request, slug, uuid)


@router.post(ITEMS, response={201: PublicWillItemOut, **WRITE})
def create_public_will_item(request: HttpRequest, slug: Slug, payload: PublicWillItemIn):
    """Record a campaign, event or media item: the backbone only. Only a campaign has an
    end, never before its start (422)."""
    initiative = members_initiative(request, slug, "public_will.view")
    _require(request, "public_will.manage", initiative)
    item = PublicWillItem(initiative=initiative, **payload.model_dump())
    try:
        services.public_will_save(item=item, by=caller(request).by)
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, item)


@router.patch(ITEM, response={200: PublicWillItemOut, 409: PublicWillConflictOut, **WRITE})
def change_public_will_item(
    request: HttpRequest, slug: Slug, uuid: UUID, payload: PublicWillItemChangeIn
):
    """Change an item read at `revision` (409 with the item as it stands if saved since)."""
    found = _item(request, slug, uuid)
    initiative = found.initiative
    _require(request, "public_will.manage", initiative)
    _changed(found, payload.model_dump(exclude_unset=True), nullable=("ends_on", "reach"))
    try:
        services.public_will_save(item=found, by=caller(request).by, read_revision=payload.revision)
    except EditConflict as exc:
        current = selectors.public_will_item_get(initiative=initiative, uuid=uuid)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise refused(exc) from exc
    return found


# --- partner commitments ------------------------------------------------------------------

COMMITMENTS = "/initiatives/{slug}/commitments"
COMMITMENT = "/initiatives/{slug}/commitments/{uuid}"


@router.get(COMMITMENTS, response={200: list[CommitmentOut], **READ})
@paginate(Page)
def list_commitments(request: HttpRequest, slug: Slug, filters: Query[CommitmentFilters]):
    """Every partner's commitments, by partner, kind and start, each with the day of its
    latest progress update; filtered by partner, kind and status."""
    initiative = members_initiative(request, slug, "commitments.view")
    partner = None
    if filters.partner:
        partner = selectors.partner_named(initiative=initiative, organisation=filters.partner)
        if partner is None:
            return []
    rows = selectors.commitments(
        initiative=initiative,
        partner=partner,
        kind=filters.kind or "",
        status=filters.status or "",
    )
    return _with_initiative(rows, initiative)


@router.get(COMMITMENT, response={200: CommitmentOut, **READ})
def get_commitment(request: HttpRequest, slug: Slug, uuid: UUID):
    return _commitment(request, slug, uuid)


@router.post(COMMITMENTS, response={201: CommitmentOut, **WRITE})
def create_commitment(request: HttpRequest, slug: Slug, payload: CommitmentIn):
    """Add a commitment: the backbone for any partner, a partner's people for their own."""
    initiative = members_initiative(request, slug, "commitments.view")
    _require(request, "commitments.manage", initiative)
    partner = selectors.partner_named(initiative=initiative, organisation=payload.partner)
    if partner is None:
        raise problem("partner", f"No partner {payload.partner!r} here.")
    partner.initiative = initiative
    _require(request, "commitments.manage", initiative, partner)
    given = payload.model_dump(exclude={"partner"})
    commitment = Commitment(initiative=initiative, partner=partner, **given)
    try:
        services.commitment_save(commitment=commitment, by=caller(request).by)
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, _reread_commitment(initiative, commitment))


@router.patch(COMMITMENT, response={200: CommitmentOut, 409: CommitmentConflictOut, **WRITE})
def change_commitment(request: HttpRequest, slug: Slug, uuid: UUID, payload: CommitmentChangeIn):
    """Change a commitment read at `revision` (409 with it as it stands if saved since)."""
    found = _commitment(request, slug, uuid)
    initiative = found.initiative
    _require(request, "commitments.manage", initiative, found.partner)
    _changed(found, payload.model_dump(exclude_unset=True))
    try:
        services.commitment_save(
            commitment=found, by=caller(request).by, read_revision=payload.revision
        )
    except EditConflict as exc:
        current = _reread_commitment(initiative, exc.current)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise refused(exc) from exc
    return _reread_commitment(initiative, found)


@router.get(f"{COMMITMENT}/updates", response={200: list[CommitmentProgressOut], **READ})
@paginate(Page)
def list_commitment_updates(request: HttpRequest, slug: Slug, uuid: UUID):
    """The commitment's progress updates, newest first."""
    return selectors.commitment_updates(commitment=_commitment(request, slug, uuid))


@router.post(f"{COMMITMENT}/updates", response={201: CommitmentProgressOut, **WRITE})
def add_commitment_update(
    request: HttpRequest, slug: Slug, uuid: UUID, payload: CommitmentProgressIn
):
    """Report progress on a commitment, optionally moving its status: the backbone, or the
    partner's own people."""
    found = _commitment(request, slug, uuid)
    _require(request, "commitments.manage", found.initiative, found.partner)
    try:
        update = services.commitment_update_add(
            commitment=found,
            on=payload.on,
            text=payload.text,
            by=caller(request).by,
            status=payload.status or "",
        )
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, update)
