"""Reads of the power map: the influence × interest grid and the decision seats with the share
held by community members.

Quadrants (Mendelow's grid, in the field's words), with *high* meaning a score of 4 or 5:

- high influence, high interest: **manage closely**;
- high influence, low interest: **keep satisfied**;
- low influence, high interest: **keep informed**;
- low influence, low interest: **monitor**.

Decision seats are counted as seats, not people: someone on two working groups holds two
seats. A working group's seats are its lead and its members (from `backbone.communication`);
a governance body's are its `Seat` rows held today. A seat is a community member's when its
holder holds the community-member role in the initiative (`initiatives.Membership`), or, for a
governance seat, when the backbone marked it so. Lead seats are working-group leads and the
chairs of governance bodies. Private working groups count only for those who may see them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backbone.accounts.models import Person
from backbone.communication.models import WorkingGroup
from backbone.communication.selectors import group_seat
from backbone.initiatives.models import Initiative, Membership, Organisation
from backbone.permissions import COMMUNITY_ROLES, PARTNER_ROLES, can

from .models import HIGH_FROM, SCORE_LABELS, SCORE_MAX, SCORE_MIN, Body, Seat, Stakeholder

MANAGE_CLOSELY = "manage_closely"
KEEP_SATISFIED = "keep_satisfied"
KEEP_INFORMED = "keep_informed"
MONITOR = "monitor"
QUADRANTS = {
    MANAGE_CLOSELY: "Manage closely",
    KEEP_SATISFIED: "Keep satisfied",
    KEEP_INFORMED: "Keep informed",
    MONITOR: "Monitor",
}


def is_high(score: int) -> bool:
    return score >= HIGH_FROM


def quadrant(influence: int, interest: int) -> str:
    if is_high(influence):
        return MANAGE_CLOSELY if is_high(interest) else KEEP_SATISFIED
    return KEEP_INFORMED if is_high(interest) else MONITOR


def stakeholders(*, initiative: Initiative):
    return Stakeholder.objects.filter(initiative=initiative).select_related(
        "organisation", "placed_by"
    )


@dataclass(frozen=True)
class Marker:
    number: int
    stakeholder: Stakeholder

    @property
    def quadrant(self) -> str:
        return quadrant(self.stakeholder.influence, self.stakeholder.interest)

    @property
    def quadrant_label(self) -> str:
        return QUADRANTS[self.quadrant]


@dataclass(frozen=True)
class Cell:
    influence: int
    interest: int
    quadrant: str
    markers: list[Marker]
    label: str = ""  # the quadrant's name, in the cell where the quadrant starts


@dataclass(frozen=True)
class GridRow:
    influence: int
    label: str
    cells: list[Cell]


@dataclass
class PowerMap:
    rows: list[GridRow]  # influence from 5 (top) down to 1
    interests: list[tuple[int, str]]
    markers: list[Marker]  # numbered by name
    counts: dict[str, int]

    @property
    def quadrant_counts(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.counts.get(key, 0)) for key, label in QUADRANTS.items()]


def power_map(*, initiative: Initiative) -> PowerMap:
    """The grid and its numbered markers, in one query. Each stakeholder gets a number (by
    name) that the grid and the table share."""
    markers = [Marker(n, s) for n, s in enumerate(stakeholders(initiative=initiative), start=1)]
    by_cell: dict[tuple[int, int], list[Marker]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for m in markers:
        by_cell[(m.stakeholder.influence, m.stakeholder.interest)].append(m)
        counts[m.quadrant] += 1
    scores = range(SCORE_MIN, SCORE_MAX + 1)
    # Each quadrant is named in its top-left cell: the highest influence, the lowest interest.
    starts = {
        (SCORE_MAX, SCORE_MIN),
        (SCORE_MAX, HIGH_FROM),
        (HIGH_FROM - 1, SCORE_MIN),
        (HIGH_FROM - 1, HIGH_FROM),
    }
    rows = []
    for influence in reversed(scores):
        cells = []
        for interest in scores:
            q = quadrant(influence, interest)
            cells.append(
                Cell(
                    influence=influence,
                    interest=interest,
                    quadrant=q,
                    markers=by_cell.get((influence, interest), []),
                    label=QUADRANTS[q] if (influence, interest) in starts else "",
                )
            )
        rows.append(GridRow(influence=influence, label=SCORE_LABELS[influence], cells=cells))
    return PowerMap(
        rows=rows,
        interests=[(n, SCORE_LABELS[n]) for n in scores],
        markers=markers,
        counts=dict(counts),
    )


# --- decision seats ----------------------------------------------------------------------


@dataclass(frozen=True)
class SeatRow:
    holder: str
    organisations: list[str]
    community_member: bool
    lead: bool
    title: str = ""
    since: date | None = None
    until: date | None = None
    seat: Seat | None = None  # the governance seat, for its edit link


@dataclass
class SeatBody:
    """One decision body: a governance body or a working group."""

    name: str
    kind: str  # the kind's label: "Steering committee", "Working group"
    seats: list[SeatRow]
    body: Body | None = None
    group: WorkingGroup | None = None
    not_held: list[SeatRow] = field(
        default_factory=list
    )  # governance seats not held today: ended or not begun

    @property
    def total(self) -> int:
        return len(self.seats)

    @property
    def community(self) -> int:
        return sum(1 for s in self.seats if s.community_member)

    @property
    def leads(self) -> int:
        return sum(1 for s in self.seats if s.lead)

    @property
    def community_leads(self) -> int:
        return sum(1 for s in self.seats if s.lead and s.community_member)

    @property
    def community_percent(self) -> int | None:
        return round(100 * self.community / self.total) if self.total else None


@dataclass
class Seats:
    bodies: list[SeatBody]

    @property
    def total(self) -> int:
        return sum(b.total for b in self.bodies)

    @property
    def community(self) -> int:
        return sum(b.community for b in self.bodies)

    @property
    def leads(self) -> int:
        return sum(b.leads for b in self.bodies)

    @property
    def community_leads(self) -> int:
        return sum(b.community_leads for b in self.bodies)

    @property
    def community_percent(self) -> int | None:
        return round(100 * self.community / self.total) if self.total else None

    @property
    def community_leads_percent(self) -> int | None:
        return round(100 * self.community_leads / self.leads) if self.leads else None

    @property
    def governance(self) -> list[SeatBody]:
        return [b for b in self.bodies if b.body is not None]

    @property
    def groups(self) -> list[SeatBody]:
        return [b for b in self.bodies if b.group is not None]


def _roles(initiative: Initiative) -> tuple[set[int], dict[int, list[str]]]:
    """The community members' ids, and each person's partner organisations' names."""
    community: set[int] = set()
    orgs: dict[int, list[str]] = defaultdict(list)
    rows = Membership.objects.filter(initiative=initiative).values_list(
        "person_id", "role", "organisation__name"
    )
    for person_id, role, org_name in rows.order_by("organisation__name"):
        if role in COMMUNITY_ROLES:
            community.add(person_id)
        elif role in PARTNER_ROLES and org_name and org_name not in orgs[person_id]:
            orgs[person_id].append(org_name)
    return community, orgs


def _name(person: Person) -> str:
    return person.name or person.email


def decision_seats(*, initiative: Initiative, person, today: date) -> Seats:
    """Every decision body with its seats held `today`, in a fixed number of queries:
    governance bodies first (by name), then the working groups `person` may see."""
    community, orgs = _roles(initiative)
    bodies: list[SeatBody] = []
    labels = dict(Body.Kind.choices)
    seats = Seat.objects.filter(initiative=initiative).select_related("person", "organisation")
    for body in Body.objects.filter(initiative=initiative).prefetch_related(
        Prefetch("seats", queryset=seats)
    ):
        found = SeatBody(name=body.name, kind=str(labels[body.kind]), seats=[], body=body)
        for seat in body.seats.all():
            row = SeatRow(
                holder=_name(seat.person) if seat.person_id else seat.holder,
                organisations=[seat.organisation.name]
                if seat.organisation_id
                else orgs.get(seat.person_id, []),
                community_member=seat.community_member or seat.person_id in community,
                lead=seat.is_chair,
                title=seat.title,
                since=seat.since,
                until=seat.until,
                seat=seat,
            )
            (found.seats if seat.is_held_on(today) else found.not_held).append(row)
        bodies.append(found)
    groups = WorkingGroup.objects.filter(initiative=initiative).select_related("lead")
    for group in groups.prefetch_related(
        Prefetch("members", queryset=Person.objects.order_by("name", "id"))
    ):
        if not can(person, "group.view", initiative, group_seat(group, person)):
            continue
        holders = [group.lead, *(m for m in group.members.all() if m.pk != group.lead_id)]
        bodies.append(
            SeatBody(
                name=group.name,
                kind=_("Working group"),
                group=group,
                seats=[
                    SeatRow(
                        holder=_name(p),
                        organisations=orgs.get(p.pk, []),
                        community_member=p.pk in community,
                        lead=p.pk == group.lead_id,
                        title=pgettext("working group seat", "Lead")
                        if p.pk == group.lead_id
                        else pgettext("working group seat", "Member"),
                    )
                    for p in holders
                ],
            )
        )
    return Seats(bodies=bodies)


# --- for the API ---------------------------------------------------------------------------


def stakeholder_get(*, initiative: Initiative, uuid) -> Stakeholder | None:
    found = stakeholders(initiative=initiative).filter(uuid=uuid).first()
    if found is not None:
        found.initiative = initiative
    return found


def placements_of(stakeholder: Stakeholder) -> list:
    """Where the stakeholder has stood, the latest first (the stakeholder page's history)."""
    return list(stakeholder.placements.select_related("placed_by"))


def bodies(*, initiative: Initiative):
    """The governance bodies, by name, with their seats (held or not) and holders."""
    seats = Seat.objects.filter(initiative=initiative).select_related("person", "organisation")
    return Body.objects.filter(initiative=initiative).prefetch_related(
        Prefetch("seats", queryset=seats)
    )


def body_get(*, initiative: Initiative, uuid) -> Body | None:
    found = bodies(initiative=initiative).filter(uuid=uuid).first()
    if found is not None:
        found.initiative = initiative
    return found


def seat_get(*, initiative: Initiative, uuid) -> Seat | None:
    found = (
        Seat.objects.filter(initiative=initiative, uuid=uuid)
        .select_related("body", "person", "organisation")
        .first()
    )
    if found is not None:
        found.body.initiative = initiative
    return found


def partner_organisation(*, initiative: Initiative, slug: str):
    """One of the initiative's partner organisations by slug (what the forms offer)."""
    return Organisation.objects.filter(partnerships__initiative=initiative, slug=slug).first()


def member_person(*, initiative: Initiative, uuid) -> Person | None:
    """A person of the initiative by uuid (who the seat form offers)."""
    return Person.objects.filter(memberships__initiative=initiative, uuid=uuid).distinct().first()


def stakeholders_matching(
    *, initiative: Initiative, in_quadrant: str | None = None, **fields: str | None
) -> list[Stakeholder]:
    """The stakeholders, by name, in one quadrant and of the `stance`, `kind` or `sector`
    given (None: any)."""
    found = stakeholders(initiative=initiative).filter(
        **{name: value for name, value in fields.items() if value}
    )
    if in_quadrant:
        return [s for s in found if quadrant(s.influence, s.interest) == in_quadrant]
    return list(found)
