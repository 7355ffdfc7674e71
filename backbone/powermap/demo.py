"""The demo's power map: fifteen stakeholders in every quadrant, a few of them moved over the
last year, and a steering committee of twelve seats of which two are held by residents."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative, Membership, Organisation, Partner
from backbone.initiatives.roles import Role

from . import services
from .models import Body, Placement, Seat, Stakeholder

# name, kind, partner organisation (or ""), sector, influence, interest, stance, notes, and
# an earlier placement when it moved: (days since the move, influence, interest and stance
# before it, why it moved)
STAKEHOLDERS = [
    (
        "Riverton City Council",
        "group",
        "",
        "government",
        5,
        3,
        "neutral",
        "Votes the pre-K levy in the spring; two members sit on the education committee.",
        [],
    ),
    (
        "Riverton School Board",
        "group",
        "",
        "education",
        5,
        5,
        "supporter",
        "Adopted the readiness measure district-wide.",
        [(300, 5, 3, "sceptic", "Before the data walk")],
    ),
    (
        "Riverton County Health Department",
        "organisation",
        "Riverton County Health Department",
        "health",
        4,
        4,
        "champion",
        "Runs home visiting; shares data monthly.",
        [],
    ),
    (
        "Riverton Chamber of Commerce",
        "organisation",
        "Riverton Chamber of Commerce",
        "business",
        4,
        2,
        "supporter",
        "The business association; cares most about the workforce pipeline.",
        [],
    ),
    (
        "The Riverton Ledger",
        "organisation",
        "",
        "business",
        4,
        1,
        "neutral",
        "The local newspaper; covers the scorecard when results come out.",
        [],
    ),
    (
        "Southside Neighbors Association",
        "organisation",
        "Southside Neighbors Association",
        "resident_association",
        2,
        5,
        "champion",
        "Residents who ran two of the listening sessions.",
        [(200, 1, 5, "champion", "Before it joined the attendance team")],
    ),
    (
        "State Senator Maria Alvarez",
        "official",
        "",
        "government",
        5,
        2,
        "sceptic",
        "Chairs the state senate's education committee; wary of new spending.",
        [],
    ),
    (
        "Mayor of Riverton",
        "official",
        "City of Riverton, Office of the Mayor",
        "government",
        5,
        4,
        "champion",
        "Opened the partnership's launch; chairs the funders' breakfast.",
        [],
    ),
    (
        "United Way of Riverton County",
        "organisation",
        "United Way of Riverton County",
        "philanthropy",
        4,
        5,
        "champion",
        "The backbone's largest funder.",
        [],
    ),
    (
        "Riverton Teachers' Union",
        "group",
        "",
        "education",
        3,
        4,
        "sceptic",
        "Worried that the attendance measure will be used to rate teachers.",
        [(120, 3, 4, "neutral", "After the chronic-absence pilot was announced")],
    ),
    (
        "Eastgate Tenants' Union",
        "organisation",
        "Eastgate Tenants' Union",
        "resident_association",
        2,
        4,
        "supporter",
        "Tenants in the two neighbourhoods with the highest chronic absence.",
        [],
    ),
    (
        "Meridian Manufacturing",
        "organisation",
        "Meridian Manufacturing",
        "business",
        3,
        1,
        "neutral",
        "The largest employer in Northside; its partnership is paused.",
        [(240, 3, 3, "supporter", "Paused its partnership")],
    ),
    (
        "Riverton County Board of Commissioners",
        "group",
        "",
        "government",
        4,
        2,
        "opponent",
        "Opposed the county's share of the pre-K levy last year.",
        [],
    ),
    (
        "Parent-Teacher Council",
        "group",
        "",
        "community_group",
        2,
        4,
        "supporter",
        "Parents from every elementary school.",
        [],
    ),
    (
        "Greater Hope Baptist Church",
        "organisation",
        "Greater Hope Baptist Church",
        "faith",
        1,
        2,
        "neutral",
        "Hosts the summer reading sign-up; little contact since the spring.",
        [],
    ),
]

# The steering committee: partner organisations and who sits for them, then residents.
COMMITTEE = [
    ("Riverton Public Schools", "Chair"),
    ("United Way of Riverton County", "Vice-chair"),
    ("City of Riverton, Office of the Mayor", ""),
    ("Riverton County Health Department", ""),
    ("Riverton Public Library", ""),
    ("Head Start of Riverton County", ""),
    ("Riverton Community College", ""),
    ("Riverton Chamber of Commerce", ""),
    ("Riverton Community Foundation", ""),
    ("Riverside Community Health Center", ""),
]
RESIDENTS = ["rosa.delgado@riverton.example", "jordan.reyes@riverton.example"]


def _steward(initiative: Initiative, organisation: Organisation) -> Person | None:
    found = (
        Membership.objects.filter(
            initiative=initiative, organisation=organisation, role=Role.PARTNER_STEWARD
        )
        .select_related("person")
        .order_by("person__name")
        .first()
    )
    return found.person if found else None


@transaction.atomic
def powermap_demo(*, initiative: Initiative) -> dict[str, int]:
    """Build the power map from scratch; returns how many stakeholders and seats were made."""
    Stakeholder.objects.filter(initiative=initiative).delete()
    Body.objects.filter(initiative=initiative).delete()
    staff = (
        Membership.objects.filter(initiative=initiative, role=Role.BACKBONE_STAFF)
        .select_related("person")
        .order_by("person__name")
        .first()
    )
    by = staff.person if staff else None
    partners = {
        p.organisation.name: p.organisation
        for p in Partner.objects.filter(initiative=initiative).select_related("organisation")
    }
    now = timezone.now()
    for name, kind, partner, sector, influence, interest, stance, notes, moves in STAKEHOLDERS:
        organisation = partners.get(partner) if partner else None
        first = moves[0] if moves else None
        stakeholder = services.stakeholder_save(
            stakeholder=Stakeholder(
                initiative=initiative,
                name=name,
                kind=kind,
                organisation=organisation,
                sector=sector,
                influence=first[1] if first else influence,
                interest=first[2] if first else interest,
                stance=first[3] if first else stance,
                notes=notes,
            ),
            by=by,
        )
        first_at = now - timedelta(days=400)
        Placement.objects.filter(stakeholder=stakeholder).update(placed_at=first_at)
        Stakeholder.objects.filter(pk=stakeholder.pk).update(placed_at=first_at)
        if first:
            # Placed a year and more ago, moved to where it stands now `first[0]` days ago.
            stakeholder.refresh_from_db()
            stakeholder.influence, stakeholder.interest, stakeholder.stance = (
                influence,
                interest,
                stance,
            )
            services.stakeholder_save(stakeholder=stakeholder, by=by, note=first[4])
            moved_at = now - timedelta(days=first[0])
            Placement.objects.filter(stakeholder=stakeholder, placed_at__gt=first_at).update(
                placed_at=moved_at
            )
            Stakeholder.objects.filter(pk=stakeholder.pk).update(placed_at=moved_at)

    committee = services.body_save(
        body=Body(
            initiative=initiative,
            name="Steering committee",
            kind=Body.Kind.STEERING,
            decides="Sets the partnership's priorities, adopts the agenda and the targets.",
        )
    )
    since = initiative.start_date or timezone.localdate() - timedelta(days=3 * 365)
    seats = 0
    for name, title in COMMITTEE:
        organisation = partners.get(name)
        if organisation is None:
            continue
        services.seat_save(
            seat=Seat(
                body=committee,
                organisation=organisation,
                person=_steward(initiative, organisation),
                title=title,
                is_chair=title == "Chair",
                since=since,
            )
        )
        seats += 1
    for email in RESIDENTS:
        person = Person.objects.filter(email=email).first()
        if person is None:
            continue
        services.seat_save(
            seat=Seat(
                body=committee,
                person=person,
                title="Resident member",
                since=date(since.year + 1, 5, 1),
            )
        )
        seats += 1
    withdrawn = partners.get("First Riverton Credit Union")
    if withdrawn is not None:
        # A seat given up when the credit union withdrew: kept as history, not counted today.
        services.seat_save(
            seat=Seat(
                body=committee,
                organisation=withdrawn,
                person=_steward(initiative, withdrawn),
                since=since,
                until=date(since.year + 1, 3, 31),
            )
        )
    return {"stakeholders": len(STAKEHOLDERS), "seats": seats}
