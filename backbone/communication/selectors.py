"""Reads of working groups, meetings and action items, always scoped to an initiative.

Privacy is decided by the rules in backbone.permissions; the `Seat` below gives them the facts
about one person and one group (do they sit in it, do they lead it), computed from rows that
were fetched once, so that a page of many groups costs no query per group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative, Membership
from backbone.initiatives.roles import Role
from backbone.permissions import can, standing

from .models import ActionItem, Meeting, WorkingGroup


@dataclass(frozen=True)
class Seat:
    """One person's place in a group (or at an all-partners meeting, `group` None)."""

    restricted: bool = False  # seen only by the group's own people and the backbone
    inside: bool = False  # member or lead of the group
    leads: bool = False
    owns: bool = False  # owner of the action item in question


def _member_ids(group: WorkingGroup) -> set[int]:
    return {m.pk for m in group.members.all()} | {group.lead_id}


def group_seat(group: WorkingGroup, person) -> Seat:
    pk = getattr(person, "pk", None)
    return Seat(
        restricted=group.is_private,
        inside=pk is not None and pk in _member_ids(group),
        leads=pk is not None and pk == group.lead_id,
    )


def meeting_seat(meeting: Meeting, person) -> Seat:
    group = meeting.group
    if group is None:
        return Seat(restricted=meeting.is_private)
    seat = group_seat(group, person)
    return Seat(
        restricted=meeting.is_private or group.is_private, inside=seat.inside, leads=seat.leads
    )


def action_seat(action: ActionItem, person) -> Seat:
    seat = meeting_seat(action.meeting, person)
    return Seat(
        restricted=seat.restricted,
        inside=seat.inside,
        leads=seat.leads,
        owns=action.owner_id == getattr(person, "pk", None),
    )


def people_of(initiative: Initiative) -> QuerySet[Person]:
    """Everyone who holds a role in the initiative."""
    return Person.objects.filter(memberships__initiative=initiative).distinct().order_by("name")


def group_candidates(initiative: Initiative) -> QuerySet[Person]:
    """Who may sit in a working group: the backbone, partner people and community members."""
    return (
        Person.objects.filter(
            memberships__initiative=initiative,
            memberships__role__in=[
                Role.BACKBONE_STAFF,
                Role.PARTNER_STEWARD,
                Role.PARTNER_MEMBER,
                Role.COMMUNITY_MEMBER,
            ],
        )
        .distinct()
        .order_by("name")
    )


def _groups(initiative: Initiative) -> QuerySet[WorkingGroup]:
    return (
        WorkingGroup.objects.filter(initiative=initiative)
        .select_related("lead", "strategy")
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("name")))
    )


def groups_visible(*, initiative: Initiative, person) -> list[tuple[WorkingGroup, Seat]]:
    found = []
    for group in _groups(initiative):
        seat = group_seat(group, person)
        if can(person, "group.view", initiative, seat):
            found.append((group, seat))
    return found


def group_get(*, initiative: Initiative, person, group_uuid) -> tuple[WorkingGroup, Seat]:
    """The group and the person's seat in it; 404 for a group they may not see."""
    group = _groups(initiative).filter(uuid=group_uuid).first()
    if group is None:
        raise Http404("No such working group.")
    seat = group_seat(group, person)
    if not can(person, "group.view", initiative, seat):
        raise Http404("No such working group.")
    return group, seat


def _meetings(initiative: Initiative) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(initiative=initiative)
        .select_related("group__lead")
        .prefetch_related(Prefetch("group__members", queryset=Person.objects.only("pk")))
    )


def meetings_visible(*, initiative: Initiative, person, group: WorkingGroup | None = None):
    """Meetings the person may see: of `group`, or all-partners meetings when None."""
    meetings = (
        _meetings(initiative)
        .filter(group=group if group is not None else None)
        .prefetch_related("decisions")
    )
    return [m for m in meetings if can(person, "group.view", initiative, meeting_seat(m, person))]


def meeting_get(*, initiative: Initiative, person, meeting_uuid) -> tuple[Meeting, Seat]:
    meeting = _meetings(initiative).filter(uuid=meeting_uuid).first()
    if meeting is None:
        raise Http404("No such meeting.")
    seat = meeting_seat(meeting, person)
    if not can(person, "group.view", initiative, seat):
        raise Http404("No such meeting.")
    return meeting, seat


def action_get(*, initiative: Initiative, person, action_uuid) -> tuple[ActionItem, Seat]:
    action = (
        ActionItem.objects.filter(initiative=initiative, uuid=action_uuid)
        .select_related("meeting__group__lead", "owner")
        .prefetch_related("meeting__group__members")
        .first()
    )
    if action is None:
        raise Http404("No such action item.")
    seat = action_seat(action, person)
    if not can(person, "group.view", initiative, seat):
        raise Http404("No such action item.")
    return action, seat


@dataclass(frozen=True)
class Attendee:
    person: Person
    organisations: list
    is_community_member: bool


@dataclass(frozen=True)
class Attendance:
    attendees: list[Attendee]
    by_sector: list[tuple[str, int]]
    community_members: int


def attendance(meeting: Meeting) -> Attendance:
    """Who came, with their organisations' sectors and whether they came as residents: the
    equity question of who is in the room."""
    people = list(meeting.attendees.order_by("name"))
    rows = Membership.objects.filter(
        initiative_id=meeting.initiative_id, person__in=people
    ).select_related("organisation")
    orgs: dict[int, dict] = {}
    community: set[int] = set()
    for m in rows:
        if m.organisation_id:
            orgs.setdefault(m.person_id, {})[m.organisation_id] = m.organisation
        if m.role == Role.COMMUNITY_MEMBER:
            community.add(m.person_id)
    attendees = [Attendee(p, list(orgs.get(p.pk, {}).values()), p.pk in community) for p in people]
    sectors = Counter(
        o.get_sector_display()
        for a in attendees
        for o in {x.pk: x for x in a.organisations}.values()
    )
    return Attendance(
        attendees=attendees,
        by_sector=sorted(sectors.items()),
        community_members=len(community),
    )


def open_actions_of(*, meetings) -> list[ActionItem]:
    """Open action items from these meetings, soonest due first."""
    return list(
        ActionItem.objects.filter(meeting__in=meetings, status=ActionItem.Status.OPEN)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )


def my_open_actions(person, initiative=None) -> list[ActionItem]:
    """A person's open action items in the initiatives they still belong to (or in one)."""
    if not person.is_authenticated:
        return []
    found = ActionItem.objects.filter(
        owner=person, status=ActionItem.Status.OPEN, initiative__memberships__person=person
    )
    if initiative is not None:
        found = found.filter(initiative=initiative)
    return list(
        found.distinct().select_related("initiative", "meeting__group").order_by("due_on", "pk")
    )


def feed_meetings(*, person, group: WorkingGroup | None = None) -> list[Meeting]:
    """The meetings a calendar feed shows: one group's, or the person's own — their groups'
    meetings and the all-partners meetings of their initiatives — never one they may not see."""
    initiative_ids = set(
        Membership.objects.filter(person=person).values_list("initiative_id", flat=True)
    )
    meetings = Meeting.objects.filter(initiative_id__in=initiative_ids)
    if group is not None:
        meetings = meetings.filter(group=group)
    else:
        meetings = meetings.filter(
            Q(group__isnull=True) | Q(group__members=person) | Q(group__lead=person)
        )
    meetings = (
        meetings.distinct()
        .select_related("initiative", "group__lead")
        .prefetch_related(Prefetch("group__members", queryset=Person.objects.only("pk")))
        .order_by("starts_at")
    )
    return [
        m
        for m in meetings
        if standing(person, m.initiative).is_member
        and can(person, "group.view", m.initiative, meeting_seat(m, person))
    ]
