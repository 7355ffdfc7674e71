"""Reads of working groups, meetings and action items, always scoped to an initiative.

Privacy is decided by the rules in backbone.permissions; the `Seat` below gives them the facts
about one person and one group (do they sit in it, do they lead it), computed from rows that
were fetched once, so that a page of many groups costs no query per group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative, Membership
from backbone.permissions import COMMUNITY_ROLES, PARTICIPANT_ROLES, can, standing

from .models import ActionItem, Decision, Meeting, WorkingGroup


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
            memberships__role__in=PARTICIPANT_ROLES,
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


def decision_get(*, initiative: Initiative, person, decision_uuid) -> Decision:
    """A decision of a meeting the person may see; 404 alike for one that is missing, of
    another initiative, or of a meeting they may not see."""
    decision = (
        Decision.objects.of(initiative)
        .select_related("meeting__group__lead")
        .prefetch_related(Prefetch("meeting__group__members", queryset=Person.objects.only("pk")))
        .one(uuid=decision_uuid)
    )
    if not can(person, "group.view", initiative, meeting_seat(decision.meeting, person)):
        raise Http404("No such decision.")
    return decision


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
        if m.role in COMMUNITY_ROLES:
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


# --- what the API reads: the pages' rows, filtered as an integrator asks -----------------


def people_by_uuid(initiative: Initiative, uuids) -> dict[str, Person]:
    """The initiative's people among `uuids`, by uuid as text (anyone else is left out)."""
    return {str(p.uuid): p for p in people_of(initiative).filter(uuid__in=list(uuids))}


def meetings_found(
    *,
    initiative: Initiative,
    person,
    group_uuid=None,
    all_partners: bool = False,
    starts_from=None,
    starts_until=None,
) -> list[Meeting]:
    """Every meeting the person may see (of any group, or all-partners), latest first: of
    one group, or only all-partners ones, starting on those days (inclusive) where it is
    held (its own time zone)."""
    meetings = _meetings(initiative).order_by("-starts_at", "-pk")
    if group_uuid is not None:
        meetings = meetings.filter(group__uuid=group_uuid)
    elif all_partners:
        meetings = meetings.filter(group__isnull=True)
    day = timedelta(days=2)  # a date where it is held is within two of the server's
    if starts_from is not None:
        meetings = meetings.filter(starts_at__date__gte=starts_from - day)
    if starts_until is not None:
        meetings = meetings.filter(starts_at__date__lte=starts_until + day)
    return [
        m
        for m in meetings
        if (starts_from is None or m.local_start.date() >= starts_from)
        and (starts_until is None or m.local_start.date() <= starts_until)
        and can(person, "group.view", initiative, meeting_seat(m, person))
    ]


def meeting_rows(meeting: Meeting) -> tuple[list, list[ActionItem]]:
    """A meeting's decisions and action items, as its page lists them."""
    actions = list(
        meeting.action_items.select_related("owner", "done_by").order_by("status", "due_on", "pk")
    )
    return list(meeting.decisions.all()), actions


def decisions_found(*, meetings: list[Meeting], decided_from=None, decided_until=None) -> list:
    """The decisions recorded at these meetings, latest first."""
    found = Decision.objects.filter(meeting__in=meetings).select_related("meeting")
    if decided_from is not None:
        found = found.filter(decided_on__gte=decided_from)
    if decided_until is not None:
        found = found.filter(decided_on__lte=decided_until)
    return list(found.order_by("-decided_on", "-pk"))


def actions_found(
    *,
    meetings: list[Meeting],
    status: str = "",
    owner_uuid=None,
    overdue: bool | None = None,
    today=None,
) -> QuerySet[ActionItem]:
    """The action items of these meetings, soonest due first: by status, owner, and whether
    they are overdue (open past their due date)."""
    today = today or timezone.localdate()
    found = ActionItem.objects.filter(meeting__in=meetings).select_related(
        "owner", "done_by", "meeting__group"
    )
    if status:
        found = found.filter(status=status)
    if owner_uuid is not None:
        found = found.filter(owner__uuid=owner_uuid)
    late = Q(status=ActionItem.Status.OPEN, due_on__lt=today)
    if overdue is True:
        found = found.filter(late)
    elif overdue is False:
        found = found.exclude(late)
    return found.order_by(F("due_on").asc(nulls_last=True), "pk")


def strategy_of(initiative: Initiative, uuid):
    """A strategy of the initiative's common agenda by its uuid, or None."""
    from backbone.agenda.models import Strategy

    return Strategy.objects.of(initiative).filter(uuid=uuid).first()
