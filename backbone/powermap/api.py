"""The power map over the REST API: stakeholders and where they have stood, governance bodies
and their seats, under the pages' rules (backbone.permissions `powermap.*`).

A power map is sensitive: every member reads it (the decision seats overview too: the working
groups in it are those the caller may see), and outsiders get 404 even on a public
initiative (signed in there, 403, as on the pages). Backbone staff place stakeholders and
record bodies and seats, through the same services as the forms (so every move is kept as a
placement); anyone else gets 403. A change carries the `revision` it was read at: a save
since refuses it with 409 and the row as it now stands. What the services refuse (a name
used twice, an organisation that is not a partner, a seat without a holder) is 422.
"""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut, problem, refused
from backbone.api.pagination import Page
from backbone.communication.api import acting
from backbone.initiatives.models import Initiative
from backbone.initiatives.roles import Sector
from backbone.permissions import can
from backbone.revisions import EditConflict

from . import selectors, services
from .models import Body, Seat, Stakeholder

router = Router(tags=["power map"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Score = Annotated[int, Field(ge=1, le=5)]
Kind = Literal["organisation", "group", "official"]
StanceName = Literal["champion", "supporter", "neutral", "sceptic", "opponent"]
BodyKind = Literal["steering", "leadership", "advisory", "funders", "other"]
Quadrant = Literal["manage_closely", "keep_satisfied", "keep_informed", "monitor"]
SectorName = Literal[tuple(Sector.values)]  # type: ignore[valid-type]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = READ


# --- stakeholders --------------------------------------------------------------------------


class StakeholderPlacementOut(Schema):
    influence: int
    interest: int
    stance: StanceName
    note: str = Field(description="Why it moved.")
    placed_by: str | None = Field(description="Who placed it, by name.")
    placed_at: datetime


class StakeholderOut(Schema):
    uuid: UUID
    name: str
    kind: Kind
    organisation: str | None = Field(description="The partner organisation's slug, if one.")
    sector: str
    influence: int = Field(description="1 (very low) to 5 (very high).")
    interest: int = Field(description="1 (very low) to 5 (very high).")
    stance: StanceName
    quadrant: Quadrant = Field(description="Where influence × interest puts it.")
    notes: str
    placed_at: datetime
    revision: int = Field(description="Send it back with a change (PATCH).")

    @staticmethod
    def resolve_organisation(obj: Stakeholder) -> str | None:
        return obj.organisation.slug if obj.organisation_id else None

    @staticmethod
    def resolve_quadrant(obj: Stakeholder) -> str:
        return selectors.quadrant(obj.influence, obj.interest)


class StakeholderDetailOut(StakeholderOut):
    placements: list[StakeholderPlacementOut] = Field(
        description="Where it has stood, latest first."
    )

    @staticmethod
    def resolve_placements(obj: Stakeholder) -> list[dict]:
        return _placements(obj)


class StakeholderIn(Schema):
    name: Text = Field("", max_length=200, description="Empty: the partner's name.")
    kind: Kind
    organisation: Slug | None = Field(None, description="A partner organisation's slug.")
    sector: SectorName | Literal[""] = ""
    influence: Score
    interest: Score
    stance: StanceName = "neutral"
    notes: Text = ""
    note: Text = Field("", max_length=300, description="Why it moved, kept with the placement.")


class StakeholderChangeIn(Schema):
    """What to change; what is left out stays as it is."""

    revision: int = Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")
    name: Text | None = Field(None, max_length=200)
    kind: Kind | None = None
    organisation: Slug | None = None
    sector: SectorName | Literal[""] | None = None
    influence: Score | None = None
    interest: Score | None = None
    stance: StanceName | None = None
    notes: Text | None = None
    note: Text = Field("", max_length=300, description="Why it moved, kept with the placement.")


class StakeholderFilters(Schema):
    quadrant: Quadrant | None = None
    stance: StanceName | None = None
    kind: Kind | None = None
    sector: SectorName | None = None


class StakeholderConflictOut(Schema):
    detail: str
    current: StakeholderOut = Field(description="The stakeholder as it now stands.")


# --- bodies and seats ----------------------------------------------------------------------


class GovernanceSeatOut(Schema):
    uuid: UUID
    holder: str = Field(description="The person, the organisation, or both, by name.")
    person: UUID | None
    organisation: str | None = Field(description="The organisation's slug, if one.")
    title: str
    is_chair: bool
    community_member: bool
    since: date
    until: date | None
    held: bool = Field(description="Whether it is held today.")
    revision: int

    @staticmethod
    def resolve_holder(obj: Seat) -> str:
        return obj.holder

    @staticmethod
    def resolve_person(obj: Seat) -> UUID | None:
        return obj.person.uuid if obj.person_id else None

    @staticmethod
    def resolve_organisation(obj: Seat) -> str | None:
        return obj.organisation.slug if obj.organisation_id else None

    @staticmethod
    def resolve_held(obj: Seat) -> bool:
        return obj.is_held_on(timezone.localdate())


class GovernanceBodyOut(Schema):
    uuid: UUID
    name: str
    kind: BodyKind
    decides: str
    seats: list[GovernanceSeatOut]
    revision: int

    @staticmethod
    def resolve_seats(obj: Body) -> list[Seat]:
        return list(obj.seats.all())


class GovernanceBodyIn(Schema):
    name: Text = Field(min_length=1, max_length=200)
    kind: BodyKind = "steering"
    decides: Text = Field("", max_length=300)


class GovernanceBodyChangeIn(Schema):
    revision: int = Field(ge=0, le=2**31 - 1)
    name: Text | None = Field(None, min_length=1, max_length=200)
    kind: BodyKind | None = None
    decides: Text | None = Field(None, max_length=300)


class GovernanceSeatIn(Schema):
    person: UUID | None = Field(None, description="A person of the initiative.")
    organisation: Slug | None = Field(None, description="A partner organisation's slug.")
    title: Text = Field("", max_length=100)
    is_chair: bool = False
    community_member: bool = False
    since: date
    until: date | None = None


class GovernanceSeatChangeIn(Schema):
    revision: int = Field(ge=0, le=2**31 - 1)
    person: UUID | None = None
    organisation: Slug | None = None
    title: Text | None = Field(None, max_length=100)
    is_chair: bool | None = None
    community_member: bool | None = None
    since: date | None = None
    until: date | None = None


class GovernanceBodyConflictOut(Schema):
    detail: str
    current: GovernanceBodyOut


class GovernanceSeatConflictOut(Schema):
    detail: str
    current: GovernanceSeatOut


class DecisionSeatOut(Schema):
    """A seat where decisions are made, as the decision seats page lists it."""

    holder: str = Field(description="Who holds it, by name.")
    organisations: list[str] = Field(description="The holder's partner organisations, by name.")
    title: str = Field(description="The seat: a title, or Lead or Member in a working group.")
    lead: bool = Field(description="A chair, or a working group's lead.")
    community_member: bool = Field(
        description="Held by a community member (by role here, or marked so by the backbone)."
    )
    since: date | None = Field(description="A governance seat's first day.")
    until: date | None = Field(description="A governance seat's last day, if it ends.")
    seat: UUID | None = Field(description="The governance seat's uuid; null in a working group.")


class DecisionBodyOut(Schema):
    """A body where decisions are made, its seats held today and the community members'
    share of them."""

    name: str
    kind: BodyKind | Literal["working_group"]
    kind_label: str
    body: UUID | None = Field(description="The governance body's uuid; null for a group.")
    group: UUID | None = Field(description="The working group's uuid; null for a body.")
    decides: str = Field(description="What a governance body decides, in a sentence.")
    seats: list[DecisionSeatOut] = Field(description="The seats held today.")
    not_held: list[DecisionSeatOut] = Field(
        description="A governance body's seats not held today: ended, or not begun."
    )
    total: int = Field(description="Seats held today.")
    community: int = Field(description="Of them, held by community members.")
    community_percent: int | None = Field(description="Their share; null without seats.")
    leads: int = Field(description="Lead seats: chairs and working-group leads.")
    community_leads: int = Field(description="Lead seats held by community members.")


class DecisionSeatsOut(Schema):
    """The decision seats page: every governance body (by name), then every working group
    the caller may see, and the community members' share over all of them. Counted by
    seat, not by person: someone on two bodies holds two seats."""

    bodies: list[DecisionBodyOut]
    total: int
    community: int
    community_percent: int | None
    leads: int
    community_leads: int
    community_leads_percent: int | None = Field(description="Null without lead seats.")


# --- helpers -------------------------------------------------------------------------------


def _require_edit(request: HttpRequest, initiative: Initiative) -> None:
    """401 for no one, 403 for a member who may not edit the map."""
    person = who(request)
    if not person.is_authenticated:
        raise HttpError(401, "Sign in, or send a token.")
    if not can(person, "powermap.edit", initiative):
        raise PermissionDenied


def _organisation(initiative: Initiative, slug: str | None):
    if slug is None:
        return None
    found = selectors.partner_organisation(initiative=initiative, slug=slug)
    if found is None:
        raise problem("organisation", "That organisation is not a partner of this initiative.")
    return found


def _person(initiative: Initiative, uuid: UUID | None):
    if uuid is None:
        return None
    found = selectors.member_person(initiative=initiative, uuid=uuid)
    if found is None:
        raise problem("person", "The seat holder must be a person of this initiative.")
    return found


def _stakeholder(request: HttpRequest, slug: str, uuid: UUID):
    initiative = initiative_of(request, slug, "powermap.view")
    found = selectors.stakeholder_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such stakeholder.")
    return initiative, found


def _body(request: HttpRequest, slug: str, uuid: UUID):
    initiative = initiative_of(request, slug, "powermap.view")
    found = selectors.body_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such body.")
    return initiative, found


def _placements(found: Stakeholder) -> list[dict]:
    return [
        {
            "influence": p.influence,
            "interest": p.interest,
            "stance": p.stance,
            "note": p.note,
            "placed_by": (p.placed_by.name or p.placed_by.email) if p.placed_by_id else None,
            "placed_at": p.placed_at,
        }
        for p in selectors.placements_of(found)
    ]


def _stakeholder_out(initiative: Initiative, uuid) -> Stakeholder:
    return selectors.stakeholder_get(initiative=initiative, uuid=uuid)


def _decision_seat(row: selectors.SeatRow) -> dict:
    return {
        "holder": row.holder,
        "organisations": row.organisations,
        "title": row.title,
        "lead": row.lead,
        "community_member": row.community_member,
        "since": row.since,
        "until": row.until,
        "seat": row.seat.uuid if row.seat else None,
    }


def _decision_body(found: selectors.SeatBody) -> dict:
    return {
        "name": found.name,
        "kind": found.body.kind if found.body else "working_group",
        "kind_label": found.kind,
        "body": found.body.uuid if found.body else None,
        "group": found.group.uuid if found.group else None,
        "decides": found.body.decides if found.body else "",
        "seats": [_decision_seat(row) for row in found.seats],
        "not_held": [_decision_seat(row) for row in found.not_held],
        "total": found.total,
        "community": found.community,
        "community_percent": found.community_percent,
        "leads": found.leads,
        "community_leads": found.community_leads,
    }


# --- the operations ------------------------------------------------------------------------

BASE = "/initiatives/{slug}/power-map"


@router.get(f"{BASE}/stakeholders", response={200: list[StakeholderOut], **READ})
@paginate(Page)
def list_stakeholders(request: HttpRequest, slug: Slug, filters: Query[StakeholderFilters]):
    """The stakeholders on the map, by name, with the quadrant each stands in."""
    initiative = initiative_of(request, slug, "powermap.view")
    return selectors.stakeholders_matching(
        initiative=initiative,
        in_quadrant=filters.quadrant,
        stance=filters.stance,
        kind=filters.kind,
        sector=filters.sector,
    )


@router.get(f"{BASE}/stakeholders/{{uuid}}", response={200: StakeholderDetailOut, **READ})
def get_stakeholder(request: HttpRequest, slug: Slug, uuid: UUID):
    """One stakeholder and where it has stood before, as its page shows it."""
    initiative, found = _stakeholder(request, slug, uuid)
    return _stakeholder_out(initiative, found.uuid)


@router.post(f"{BASE}/stakeholders", response={201: StakeholderDetailOut, **WRITE})
def create_stakeholder(request: HttpRequest, slug: Slug, payload: StakeholderIn):
    """Place a stakeholder on the map (backbone staff): its first placement is kept."""
    initiative = initiative_of(request, slug, "powermap.view")
    _require_edit(request, initiative)
    data = payload.model_dump()
    note = data.pop("note")
    data["organisation"] = _organisation(initiative, data["organisation"])
    if not data["name"] and data["organisation"] is None:
        raise problem("name", "Name the stakeholder, or choose the partner it is.")
    found = Stakeholder(initiative=initiative, **data)
    try:
        services.stakeholder_save(stakeholder=found, by=caller(request).by, note=note)
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, _stakeholder_out(initiative, found.uuid))


@router.patch(
    f"{BASE}/stakeholders/{{uuid}}",
    response={200: StakeholderDetailOut, 409: StakeholderConflictOut, **WRITE},
)
def change_stakeholder(request: HttpRequest, slug: Slug, uuid: UUID, payload: StakeholderChangeIn):
    """Move or edit a stakeholder read at `revision`: a new influence, interest or stance is
    kept as a new placement, with `note` saying why it moved."""
    initiative, found = _stakeholder(request, slug, uuid)
    _require_edit(request, initiative)
    given = payload.model_dump(exclude_unset=True)
    given.pop("revision")
    note = given.pop("note", "")
    if "organisation" in given:
        given["organisation"] = _organisation(initiative, given["organisation"])
    for name, value in given.items():
        if value is not None or name == "organisation":
            setattr(found, name, value)
    if not found.name and found.organisation_id is None:
        raise problem("name", "Name the stakeholder, or choose the partner it is.")
    try:
        services.stakeholder_save(
            stakeholder=found, by=caller(request).by, note=note, read_revision=payload.revision
        )
    except EditConflict as exc:
        current = selectors.stakeholder_get(initiative=initiative, uuid=uuid)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise refused(exc) from exc
    return _stakeholder_out(initiative, uuid)


@router.delete(f"{BASE}/stakeholders/{{uuid}}", response={204: None, 409: ErrorOut, **WRITE})
def delete_stakeholder(request: HttpRequest, slug: Slug, uuid: UUID, revision: int | None = None):
    """Remove a stakeholder and its history. With `revision`, only if it was not saved
    since (409 otherwise)."""
    initiative, found = _stakeholder(request, slug, uuid)
    _require_edit(request, initiative)
    if revision is not None and revision != found.revision:
        return Status(409, {"detail": "Saved meanwhile: read it again before removing it."})
    services.stakeholder_delete(stakeholder=found)
    return Status(204, None)


@router.get(f"{BASE}/seats", response={200: DecisionSeatsOut, **READ})
def get_decision_seats(request: HttpRequest, slug: Slug):
    """Who holds the seats where decisions are made, as the decision seats page shows them:
    each governance body's seats held today (and those not held today), then the working
    groups the caller may see with their lead and members, and how many seats, and lead
    seats, community members hold."""
    initiative = initiative_of(request, slug, "powermap.view")
    found = selectors.decision_seats(
        initiative=initiative, person=acting(request), today=timezone.localdate()
    )
    return {
        "bodies": [_decision_body(b) for b in found.bodies],
        "total": found.total,
        "community": found.community,
        "community_percent": found.community_percent,
        "leads": found.leads,
        "community_leads": found.community_leads,
        "community_leads_percent": found.community_leads_percent,
    }


@router.get(f"{BASE}/bodies", response={200: list[GovernanceBodyOut], **READ})
@paginate(Page)
def list_bodies(request: HttpRequest, slug: Slug):
    """The governance bodies, by name, with every seat (`held`: held today)."""
    initiative = initiative_of(request, slug, "powermap.view")
    return selectors.bodies(initiative=initiative)


@router.get(f"{BASE}/bodies/{{uuid}}", response={200: GovernanceBodyOut, **READ})
def get_body(request: HttpRequest, slug: Slug, uuid: UUID):
    return _body(request, slug, uuid)[1]


@router.post(f"{BASE}/bodies", response={201: GovernanceBodyOut, **WRITE})
def create_body(request: HttpRequest, slug: Slug, payload: GovernanceBodyIn):
    """Record a governance body (backbone staff)."""
    initiative = initiative_of(request, slug, "powermap.view")
    _require_edit(request, initiative)
    found = Body(initiative=initiative, **payload.model_dump())
    try:
        services.body_save(body=found, by=caller(request).by)
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, selectors.body_get(initiative=initiative, uuid=found.uuid))


@router.patch(
    f"{BASE}/bodies/{{uuid}}",
    response={200: GovernanceBodyOut, 409: GovernanceBodyConflictOut, **WRITE},
)
def change_body(request: HttpRequest, slug: Slug, uuid: UUID, payload: GovernanceBodyChangeIn):
    initiative, found = _body(request, slug, uuid)
    _require_edit(request, initiative)
    for name, value in payload.model_dump(exclude_unset=True).items():
        if name != "revision" and value is not None:
            setattr(found, name, value)
    try:
        services.body_save(body=found, by=caller(request).by, read_revision=payload.revision)
    except EditConflict as exc:
        current = selectors.body_get(initiative=initiative, uuid=uuid)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise refused(exc) from exc
    return selectors.body_get(initiative=initiative, uuid=uuid)


@router.post(f"{BASE}/bodies/{{uuid}}/seats", response={201: GovernanceSeatOut, **WRITE})
def create_seat(request: HttpRequest, slug: Slug, uuid: UUID, payload: GovernanceSeatIn):
    """Record who holds a seat on a body (backbone staff): a person of the initiative, a
    partner organisation, or both; a community member's seat is marked so by the service."""
    initiative, body = _body(request, slug, uuid)
    _require_edit(request, initiative)
    data = payload.model_dump()
    data["person"] = _person(initiative, data["person"])
    data["organisation"] = _organisation(initiative, data["organisation"])
    found = Seat(body=body, initiative=initiative, **data)
    try:
        services.seat_save(seat=found, by=caller(request).by)
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, selectors.seat_get(initiative=initiative, uuid=found.uuid))


@router.patch(
    "/initiatives/{slug}/power-map/seats/{uuid}",
    response={200: GovernanceSeatOut, 409: GovernanceSeatConflictOut, **WRITE},
)
def change_seat(request: HttpRequest, slug: Slug, uuid: UUID, payload: GovernanceSeatChangeIn):
    """Change a seat read at `revision` (an end date when it is given up)."""
    initiative = initiative_of(request, slug, "powermap.view")
    found = selectors.seat_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such seat.")
    _require_edit(request, initiative)
    given = payload.model_dump(exclude_unset=True)
    given.pop("revision")
    if "person" in given:
        given["person"] = _person(initiative, given["person"])
    if "organisation" in given:
        given["organisation"] = _organisation(initiative, given["organisation"])
    for name, value in given.items():
        if value is not None or name in ("person", "organisation", "until"):
            setattr(found, name, value)
    try:
        services.seat_save(seat=found, by=caller(request).by, read_revision=payload.revision)
    except EditConflict as exc:
        current = selectors.seat_get(initiative=initiative, uuid=uuid)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise refused(exc) from exc
    return selectors.seat_get(initiative=initiative, uuid=uuid)
