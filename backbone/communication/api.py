"""Working groups, their meetings with attendance, decisions and action items over the REST
API, under the same rules and through the same services as the pages.

Members read (a signed-in person who is not one gets 403, as the pages answer; no one 401);
a private group, or a private meeting, only its own people and the backbone: others get 404,
as the pages answer. A group's lead and the backbone record its meetings, attendance,
decisions and action items; all-partners meetings only the backbone; anyone else who reads
them gets 403. An action item is marked done by its owner, the group's lead or the backbone.
A change carries the `revision` it was read at (409 with the meeting as it stands when it was
saved meanwhile); what the pages' forms refuse is 422. Meetings are not deleted, as on the
pages. A partner's token sits in no group and owns nothing: it reads what a member of its
organisation reads and writes nothing here.
"""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import AfterValidator, StringConstraints

from backbone.accounts.tokens import PersonalTokenHolder
from backbone.api.auth import caller, members_initiative, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut, problem, refused
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative
from backbone.permissions import can
from backbone.revisions import EditConflict

from . import selectors, services
from .models import ActionItem, Meeting, WorkingGroup

router = Router(tags=["working groups"], auth=token_or_session)

EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _in_range(value: datetime) -> datetime:
    if not EARLIEST.year <= value.year <= LATEST.year:
        raise ValueError(f"a year from {EARLIEST.year} to {LATEST.year}")
    return value


Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
Moment = Annotated[datetime, AfterValidator(_in_range)]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = READ


# --- who acts, and where ---------------------------------------------------------------------


def acting(request: HttpRequest):
    """Whom a seat in a group is about: a personal token's person, else the caller as is (a
    partner's token is no one in any group)."""
    holder = who(request)
    return holder.person if isinstance(holder, PersonalTokenHolder) else holder


def require(request: HttpRequest, rule: str, initiative: Initiative, seat=None) -> None:
    if not can(acting(request), rule, initiative, seat):
        raise PermissionDenied


# --- what is shown ---------------------------------------------------------------------------


class PersonOut(Schema):
    uuid: UUID
    name: str


class WorkingGroupOut(Schema):
    uuid: UUID
    name: str
    purpose: str
    strategy: UUID | None = Field(description="The strategy of the common agenda it works on.")
    strategy_title: str | None
    lead: PersonOut
    members: list[PersonOut]
    is_private: bool = Field(description="Seen only by its members and the backbone.")
    revision: int

    @staticmethod
    def resolve_strategy(obj: WorkingGroup) -> UUID | None:
        return obj.strategy.uuid if obj.strategy_id else None

    @staticmethod
    def resolve_strategy_title(obj: WorkingGroup) -> str | None:
        return obj.strategy.title if obj.strategy_id else None

    @staticmethod
    def resolve_members(obj: WorkingGroup) -> list:
        return list(obj.members.all())


class MeetingOut(Schema):
    uuid: UUID
    title: str
    group: UUID | None = Field(description="The working group's uuid; null: all partners.")
    group_name: str | None
    starts_at: datetime = Field(description="Where it is held: local time with its offset.")
    ends_at: datetime
    time_zone: str = Field(description="The IANA time zone it is held in.")
    place: str
    agenda: str
    minutes: str
    is_private: bool = Field(description="Seen only by the group's members and the backbone.")
    revision: int = Field(description="Send it back with a change (PATCH, attendance).")

    @staticmethod
    def resolve_group(obj: Meeting) -> UUID | None:
        return obj.group.uuid if obj.group_id else None

    @staticmethod
    def resolve_group_name(obj: Meeting) -> str | None:
        return obj.group.name if obj.group_id else None

    @staticmethod
    def resolve_starts_at(obj: Meeting) -> datetime:
        return obj.local_start

    @staticmethod
    def resolve_ends_at(obj: Meeting) -> datetime:
        return obj.local_end


class AttendeeOut(Schema):
    person: PersonOut
    organisations: list[str] = Field(description="Slugs of the organisations they belong to.")
    sectors: list[str]
    community_member: bool = Field(description="Came as a resident (a community member).")


class SectorCountOut(Schema):
    sector: str
    people: int


class AttendanceOut(Schema):
    """Who came: the equity question of who is in the room."""

    attendees: list[AttendeeOut]
    by_sector: list[SectorCountOut]
    community_members: int


class DecisionOut(Schema):
    uuid: UUID
    meeting: UUID
    text: str
    decided_on: date
    decided_by: str
    created_at: datetime

    @staticmethod
    def resolve_meeting(obj) -> UUID:
        return obj.meeting.uuid


class ActionOut(Schema):
    uuid: UUID
    meeting: UUID
    group: UUID | None
    text: str
    owner: PersonOut
    due_on: date | None
    status: Literal["open", "done"]
    overdue: bool = Field(description="Open past its due date.")
    done_at: datetime | None
    done_by: PersonOut | None

    @staticmethod
    def resolve_meeting(obj: ActionItem) -> UUID:
        return obj.meeting.uuid

    @staticmethod
    def resolve_group(obj: ActionItem) -> UUID | None:
        return obj.meeting.group.uuid if obj.meeting.group_id else None

    @staticmethod
    def resolve_overdue(obj: ActionItem) -> bool:
        return obj.is_overdue()


class MeetingDetailOut(MeetingOut):
    attendance: AttendanceOut
    decisions: list[DecisionOut]
    action_items: list[ActionOut]

    @staticmethod
    def resolve_attendance(obj: Meeting) -> dict:
        found = selectors.attendance(obj)
        return {
            "attendees": [
                {
                    "person": a.person,
                    "organisations": [o.slug for o in a.organisations],
                    "sectors": [o.get_sector_display() for o in a.organisations],
                    "community_member": a.is_community_member,
                }
                for a in found.attendees
            ],
            "by_sector": [{"sector": s, "people": n} for s, n in found.by_sector],
            "community_members": found.community_members,
        }

    @staticmethod
    def resolve_decisions(obj: Meeting) -> list:
        return obj.rows[0]

    @staticmethod
    def resolve_action_items(obj: Meeting) -> list:
        return obj.rows[1]


class MeetingConflictOut(Schema):
    detail: str
    current: MeetingDetailOut = Field(description="The meeting as it now stands.")


# --- what is asked ---------------------------------------------------------------------------


class GroupFilters(Schema):
    mine: bool = Field(False, description="Only the groups the caller sits in or leads.")
    strategy: UUID | None = Field(None, description="A strategy's uuid.")


class WorkingGroupIn(Schema):
    name: Text = Field(min_length=1, max_length=200)
    purpose: Text = ""
    strategy: UUID | None = Field(None, description="A strategy of the common agenda's uuid.")
    lead: UUID = Field(description="The lead's uuid: a person of the initiative.")
    members: list[UUID] = Field(default_factory=list, max_length=500)
    is_private: bool = False


class WorkingGroupChangeIn(Schema):
    """What to change; what is left out stays as it is (a null strategy removes it)."""

    revision: int = Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")
    name: Text | None = Field(None, min_length=1, max_length=200)
    purpose: Text | None = None
    strategy: UUID | None = None
    lead: UUID | None = None
    members: list[UUID] | None = Field(None, max_length=500)
    is_private: bool | None = None


class WorkingGroupConflictOut(Schema):
    detail: str
    current: WorkingGroupOut


class MeetingFilters(Schema):
    group: UUID | None = Field(None, description="A working group's uuid.")
    all_partners: bool = Field(False, description="Only all-partners meetings (no group).")
    starts_from: Day | None = Field(None, description="Starting on or after this day.")
    starts_until: Day | None = Field(None, description="Starting on or before this day.")


class DecisionFilters(Schema):
    group: UUID | None = Field(None, description="A working group's uuid.")
    meeting: UUID | None = Field(None, description="A meeting's uuid.")
    decided_from: Day | None = None
    decided_until: Day | None = None


class ActionFilters(Schema):
    status: Literal["open", "done"] | None = None
    owner: UUID | None = Field(None, description="The owner's uuid.")
    mine: bool = Field(False, description="Only the caller's own.")
    overdue: bool | None = Field(None, description="Open past the due date (or not).")
    group: UUID | None = Field(None, description="A working group's uuid.")
    meeting: UUID | None = Field(None, description="A meeting's uuid.")


class MeetingIn(Schema):
    group: UUID | None = Field(None, description="The working group's uuid; null: all partners.")
    title: Text = Field(min_length=1, max_length=200)
    starts_at: Moment = Field(
        description="Wall-clock time where it is held; an offset, if given, is converted."
    )
    ends_at: Moment
    time_zone: Text = Field(max_length=64, description="An IANA name, e.g. America/Chicago.")
    place: Text = Field("", max_length=300)
    agenda: Text = ""
    minutes: Text = ""
    is_private: bool = False
    attendees: list[UUID] = Field(
        default_factory=list, max_length=500, description="Who came: people's uuids."
    )


class MeetingChangeIn(Schema):
    """What to change; what is left out stays as it is. The group does not change."""

    revision: int = Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")
    title: Text | None = Field(None, min_length=1, max_length=200)
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    time_zone: Text | None = Field(None, max_length=64)
    place: Text | None = Field(None, max_length=300)
    agenda: Text | None = None
    minutes: Text | None = None
    is_private: bool | None = None
    attendees: list[UUID] | None = Field(None, max_length=500)


class AttendanceIn(Schema):
    revision: int = Field(ge=0, le=2**31 - 1, description="The meeting's `revision` as read.")
    attendees: list[UUID] = Field(max_length=500, description="Everyone who came: uuids.")


class DecisionIn(Schema):
    text: Text = Field(min_length=1, max_length=10_000)
    decided_on: Day
    decided_by: Text = Field(min_length=1, max_length=200, description="E.g. “by consensus”.")


class ActionIn(Schema):
    text: Text = Field(min_length=1, max_length=10_000)
    owner: UUID = Field(description="The owner's uuid: a person of the initiative.")
    due_on: Day | None = None


class ActionChangeIn(Schema):
    status: Literal["done"] = Field(description="Mark it done; a done item stays done.")


# --- finding what the caller names ----------------------------------------------------------


def _meeting(request: HttpRequest, slug: str, uuid: UUID):
    initiative = members_initiative(request, slug, "groups.view")
    meeting, seat = selectors.meeting_get(
        initiative=initiative, person=acting(request), meeting_uuid=uuid
    )
    return initiative, meeting, seat


def _detail(meeting: Meeting) -> Meeting:
    meeting.rows = selectors.meeting_rows(meeting)
    return meeting


def _reread(request: HttpRequest, initiative: Initiative, uuid: UUID) -> Meeting:
    found, _ = selectors.meeting_get(
        initiative=initiative, person=acting(request), meeting_uuid=uuid
    )
    return _detail(found)


def _wall_clock(value: datetime, zone_name: str) -> datetime:
    """A time as typed on the meeting form: naive, where the meeting is held."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)
    except (KeyError, ValueError, OSError, OverflowError):  # not a zone: ZoneInfoNotFoundError
        return value.replace(tzinfo=None)  # the form says what is wrong with the zone


def _people(initiative: Initiative, uuids: list[UUID], name: str) -> list[int]:
    found = selectors.people_by_uuid(initiative, uuids)
    if missing := [str(u) for u in uuids if str(u) not in found]:
        raise problem(name, f"Not people of this initiative: {', '.join(missing)}.")
    return [found[str(u)].pk for u in uuids]


def _meeting_data(meeting: Meeting) -> dict:
    """The meeting as its form shows it."""
    return {
        "title": meeting.title,
        "start": meeting.local_start.replace(tzinfo=None),
        "end": meeting.local_end.replace(tzinfo=None),
        "time_zone": meeting.time_zone,
        "place": meeting.place,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "is_private": meeting.is_private,
        "attendees": [p.pk for p in meeting.attendees.all()],
    }


def _given(initiative: Initiative, given: dict, data: dict) -> dict:
    """`data` (the form's) with what the body gives."""
    for name in ("title", "time_zone", "place", "agenda", "minutes", "is_private"):
        if given.get(name) is not None:
            data[name] = given[name]
    for name, field in (("starts_at", "start"), ("ends_at", "end")):
        if given.get(name) is not None:
            data[field] = _wall_clock(given[name], data["time_zone"])
    if given.get("attendees") is not None:
        data["attendees"] = _people(initiative, given["attendees"], "attendees")
    return data


FORM_NAMES = {"start": "starts_at", "end": "ends_at"}


def _save_meeting(request, initiative, group, data, meeting=None, revision=None):
    try:
        return services.meeting_write(
            initiative=initiative,
            group=group,
            data=data,
            meeting=meeting,
            by=caller(request).by,
            read_revision=revision,
        )
    except EditConflict as exc:
        current = _reread(request, initiative, meeting.uuid)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise refused(exc, FORM_NAMES) from exc


# --- working groups -------------------------------------------------------------------------

GROUPS = "/initiatives/{slug}/groups"


@router.get(GROUPS, response={200: list[WorkingGroupOut], **READ})
@paginate(Page)
def list_groups(request: HttpRequest, slug: Slug, filters: Query[GroupFilters]):
    """The working groups the caller may see, by name: all open ones, and the private ones
    they sit in (every one for the backbone)."""
    initiative = members_initiative(request, slug, "groups.view")
    found = selectors.groups_visible(initiative=initiative, person=acting(request))
    return [
        g
        for g, seat in found
        if (not filters.mine or seat.inside)
        and (filters.strategy is None or (g.strategy_id and g.strategy.uuid == filters.strategy))
    ]


@router.get(GROUPS + "/{uuid}", response={200: WorkingGroupOut, **READ})
def get_group(request: HttpRequest, slug: Slug, uuid: UUID):
    """A working group with its lead and members."""
    initiative = members_initiative(request, slug, "groups.view")
    return selectors.group_get(initiative=initiative, person=acting(request), group_uuid=uuid)[0]


def _group_data(initiative: Initiative, given: dict, data: dict) -> dict:
    """`data` (the group form's) with what the body gives, people and strategy by uuid."""
    for name in ("name", "purpose", "is_private"):
        if given.get(name) is not None:
            data[name] = given[name]
    if "strategy" in given:
        data["strategy"] = None
        if given["strategy"] is not None:
            strategy = selectors.strategy_of(initiative, given["strategy"])
            if strategy is None:
                raise problem("strategy", "No such strategy in this initiative's agenda.")
            data["strategy"] = strategy.pk
    if given.get("lead") is not None:
        data["lead"] = _people(initiative, [given["lead"]], "lead")[0]
    if given.get("members") is not None:
        data["members"] = _people(initiative, given["members"], "members")
    return data


def _save_group(request, initiative, data, group=None, revision=None):
    try:
        return services.group_write(
            initiative=initiative,
            data=data,
            group=group,
            by=caller(request).by,
            read_revision=revision,
        )
    except EditConflict as exc:
        current = selectors.group_get(
            initiative=initiative, person=acting(request), group_uuid=group.uuid
        )[0]
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise refused(exc) from exc


@router.post(GROUPS, response={201: WorkingGroupOut, **WRITE})
def create_group(request: HttpRequest, slug: Slug, payload: WorkingGroupIn):
    """Make a working group (the backbone), as the working groups page does."""
    initiative = members_initiative(request, slug, "groups.view")
    require(request, "groups.manage", initiative)
    data = _group_data(initiative, payload.model_dump(), {"members": [], "purpose": ""})
    made = _save_group(request, initiative, data)
    return Status(
        201,
        selectors.group_get(initiative=initiative, person=acting(request), group_uuid=made.uuid)[0],
    )


@router.patch(
    GROUPS + "/{uuid}", response={200: WorkingGroupOut, 409: WorkingGroupConflictOut, **WRITE}
)
def change_group(request: HttpRequest, slug: Slug, uuid: UUID, payload: WorkingGroupChangeIn):
    """Change a working group read at `revision` (its lead or the backbone); what is left out
    stays. Saved meanwhile, it is refused with 409 and the group as it now stands."""
    initiative = members_initiative(request, slug, "groups.view")
    group, seat = selectors.group_get(
        initiative=initiative, person=acting(request), group_uuid=uuid
    )
    require(request, "group.lead", initiative, seat)
    data = {
        "name": group.name,
        "purpose": group.purpose,
        "strategy": group.strategy_id,
        "lead": group.lead_id,
        "members": [p.pk for p in group.members.all()],
        "is_private": group.is_private,
    }
    data = _group_data(initiative, payload.model_dump(exclude_unset=True), data)
    saved = _save_group(request, initiative, data, group, payload.revision)
    if isinstance(saved, Status):
        return saved
    return selectors.group_get(initiative=initiative, person=acting(request), group_uuid=uuid)[0]


# --- meetings and attendance -----------------------------------------------------------------

MEETINGS = "/initiatives/{slug}/meetings"
MEETING = MEETINGS + "/{uuid}"


@router.get(MEETINGS, response={200: list[MeetingOut], **READ})
@paginate(Page)
def list_meetings(request: HttpRequest, slug: Slug, filters: Query[MeetingFilters]):
    """The meetings the caller may see, latest first: of one group, or all-partners ones,
    starting within a range of days (where they are held)."""
    initiative = members_initiative(request, slug, "groups.view")
    return selectors.meetings_found(
        initiative=initiative,
        person=acting(request),
        group_uuid=filters.group,
        all_partners=filters.all_partners,
        starts_from=filters.starts_from,
        starts_until=filters.starts_until,
    )


@router.get(MEETING, response={200: MeetingDetailOut, **READ})
def get_meeting(request: HttpRequest, slug: Slug, uuid: UUID):
    """A meeting with who came (their organisations, sectors, residents), its decisions and
    its action items, as its page shows them."""
    return _detail(_meeting(request, slug, uuid)[1])


@router.post(MEETINGS, response={201: MeetingDetailOut, **WRITE})
def create_meeting(request: HttpRequest, slug: Slug, payload: MeetingIn):
    """Record a meeting of a group (its lead or the backbone) or of all partners (the
    backbone), with its attendance."""
    initiative = members_initiative(request, slug, "groups.view")
    group = seat = None
    if payload.group is not None:
        try:
            group, seat = selectors.group_get(
                initiative=initiative, person=acting(request), group_uuid=payload.group
            )
        except Http404:
            raise problem("group", "No such working group here.") from None
    require(request, "group.lead", initiative, seat)
    data = _given(initiative, payload.model_dump(), {"attendees": [], "time_zone": ""})
    made = _save_meeting(request, initiative, group, data)
    return Status(201, _reread(request, initiative, made.uuid))


@router.patch(MEETING, response={200: MeetingDetailOut, 409: MeetingConflictOut, **WRITE})
def change_meeting(request: HttpRequest, slug: Slug, uuid: UUID, payload: MeetingChangeIn):
    """Change a meeting read at `revision`; what is left out stays. Saved meanwhile, it is
    refused with 409 and the meeting as it now stands."""
    initiative, meeting, seat = _meeting(request, slug, uuid)
    require(request, "group.lead", initiative, seat if meeting.group_id else None)
    data = _given(initiative, payload.model_dump(exclude_unset=True), _meeting_data(meeting))
    saved = _save_meeting(request, initiative, meeting.group, data, meeting, payload.revision)
    if isinstance(saved, Status):
        return saved
    return _reread(request, initiative, uuid)


@router.put(
    MEETING + "/attendance", response={200: MeetingDetailOut, 409: MeetingConflictOut, **WRITE}
)
def record_attendance(request: HttpRequest, slug: Slug, uuid: UUID, payload: AttendanceIn):
    """Record who came (everyone, replacing the list), for a meeting read at `revision`."""
    initiative, meeting, seat = _meeting(request, slug, uuid)
    require(request, "group.lead", initiative, seat if meeting.group_id else None)
    data = _meeting_data(meeting)
    data["attendees"] = _people(initiative, payload.attendees, "attendees")
    saved = _save_meeting(request, initiative, meeting.group, data, meeting, payload.revision)
    if isinstance(saved, Status):
        return saved
    return _reread(request, initiative, uuid)


# --- decisions --------------------------------------------------------------------------------


@router.get("/initiatives/{slug}/decisions", response={200: list[DecisionOut], **READ})
@paginate(Page)
def list_decisions(request: HttpRequest, slug: Slug, filters: Query[DecisionFilters]):
    """What the meetings the caller may see decided, latest first: of one group or one
    meeting, within a range of days. (Proposals put to a vote are under /proposals.)"""
    initiative = members_initiative(request, slug, "groups.view")
    meetings = selectors.meetings_found(
        initiative=initiative, person=acting(request), group_uuid=filters.group
    )
    if filters.meeting is not None:
        meetings = [m for m in meetings if m.uuid == filters.meeting]
    return selectors.decisions_found(
        meetings=meetings, decided_from=filters.decided_from, decided_until=filters.decided_until
    )


@router.get("/initiatives/{slug}/decisions/{uuid}", response={200: DecisionOut, **READ})
def get_decision(request: HttpRequest, slug: Slug, uuid: UUID):
    """One decision of a meeting the caller may see; any other answers 404, as a meeting
    they may not see."""
    initiative = members_initiative(request, slug, "groups.view")
    return selectors.decision_get(initiative=initiative, person=acting(request), decision_uuid=uuid)


@router.post(MEETING + "/decisions", response={201: DecisionOut, **WRITE})
def create_decision(request: HttpRequest, slug: Slug, uuid: UUID, payload: DecisionIn):
    """Record what a meeting decided: the group's lead or the backbone."""
    initiative, meeting, seat = _meeting(request, slug, uuid)
    require(request, "group.lead", initiative, seat if meeting.group_id else None)
    try:
        made = services.decision_write(meeting=meeting, data=payload.model_dump())
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, made)


# --- action items -----------------------------------------------------------------------------

ACTIONS = "/initiatives/{slug}/action-items"


def _action(request: HttpRequest, slug: str, uuid: UUID):
    initiative = members_initiative(request, slug, "groups.view")
    found, seat = selectors.action_get(
        initiative=initiative, person=acting(request), action_uuid=uuid
    )
    return initiative, found, seat


@router.get(ACTIONS, response={200: list[ActionOut], **READ})
@paginate(Page)
def list_actions(request: HttpRequest, slug: Slug, filters: Query[ActionFilters]):
    """The action items of the meetings the caller may see, soonest due first: by status,
    owner (or the caller's own), overdue or not, group and meeting."""
    initiative = members_initiative(request, slug, "groups.view")
    person = acting(request)
    owner = filters.owner
    if filters.mine:
        mine = getattr(person, "uuid", None)
        if mine is None or (owner is not None and owner != mine):
            return []
        owner = mine
    meetings = selectors.meetings_found(
        initiative=initiative, person=person, group_uuid=filters.group
    )
    if filters.meeting is not None:
        meetings = [m for m in meetings if m.uuid == filters.meeting]
    return selectors.actions_found(
        meetings=meetings, status=filters.status or "", owner_uuid=owner, overdue=filters.overdue
    )


@router.get(ACTIONS + "/{uuid}", response={200: ActionOut, **READ})
def get_action(request: HttpRequest, slug: Slug, uuid: UUID):
    return _action(request, slug, uuid)[1]


@router.post(MEETING + "/action-items", response={201: ActionOut, **WRITE})
def create_action(request: HttpRequest, slug: Slug, uuid: UUID, payload: ActionIn):
    """Record an action item of a meeting (the group's lead or the backbone); its owner is
    notified, as from the page."""
    initiative, meeting, seat = _meeting(request, slug, uuid)
    require(request, "group.lead", initiative, seat if meeting.group_id else None)
    data = {"text": payload.text, "due_on": payload.due_on}
    data["owner"] = _people(initiative, [payload.owner], "owner")[0]
    try:
        made = services.action_write(
            initiative=initiative, meeting=meeting, data=data, by=caller(request).by
        )
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, _action(request, slug, made.uuid)[1])


@router.patch(ACTIONS + "/{uuid}", response={200: ActionOut, **WRITE})
def change_action(request: HttpRequest, slug: Slug, uuid: UUID, payload: ActionChangeIn):
    """Mark an action item done: its owner, the group's lead or the backbone. Done twice, it
    keeps who did it first."""
    initiative, found, seat = _action(request, slug, uuid)
    require(request, "action.close", initiative, seat)
    services.action_close(action=found, by=caller(request).by)
    return _action(request, slug, uuid)[1]
