"""The demo's policy agenda, public will and partner commitments for Riverton.

Five policies at different stages (one adopted: a win), two campaigns with events and media,
and commitments from most partners; two partners have let theirs go quiet and the last two
have made none, so the commitments page has something to say.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.initiatives.roles import Role

from . import services
from .models import Commitment, Policy, PublicWillItem

# (title, level, body, position, statement, events: (days ago, what, status after))
POLICIES = [
    (
        "Universal pre-K for four-year-olds",
        "regional",
        "County Board of Supervisors",
        "support",
        "Every four-year-old should have a free, full-day pre-K place.",
        [
            (400, "Coalition drafts the proposal", "drafted"),
            (300, "Introduced by Supervisor Alvarez", "introduced"),
            (120, "Adopted in the county budget", "adopted"),
        ],
    ),
    (
        "Chronic absence reporting by school",
        "local",
        "Riverton School Board",
        "support",
        "Publish chronic absence by school each term.",
        [(200, "Draft policy shared with the board", "drafted")],
    ),
    (
        "Youth summer jobs fund",
        "local",
        "Riverton City Council",
        "amend",
        "Reserve half the places for students from Southside and Millbrook.",
        [(150, "Draft ordinance", "drafted"), (60, "Introduced at council", "introduced")],
    ),
    (
        "Cut to state college completion grants",
        "national",
        "State Legislature",
        "oppose",
        "The grants keep first-generation students enrolled.",
        [(90, "Bill introduced", "introduced"), (30, "Committee hearing; testimony given", "")],
    ),
    (
        "Paid family leave for childcare workers",
        "regional",
        "State Labor Agency",
        "monitor",
        "",
        [],
    ),
]

# (kind, title, start days ago, end days ago, audience, reach, basis)
PUBLIC_WILL = [
    ("campaign", "Ready by Five", 330, 240, "Parents of young children", 18000, "estimated"),
    ("campaign", "Every Day Counts", 150, 60, "Families of K–3 pupils", 9500, "measured"),
    ("event", "Community breakfast on early learning", 300, None, "Residents", 140, "measured"),
    ("event", "Town hall on attendance", 100, None, "Parents and teachers", 220, "measured"),
    ("event", "Youth jobs fair", 45, None, "High-school students", 600, "measured"),
    (
        "media",
        "Riverton Courier op-ed on pre-K",
        280,
        None,
        "Newspaper readers",
        25000,
        "estimated",
    ),
    (
        "media",
        "Radio interview on chronic absence",
        90,
        None,
        "Radio listeners",
        12000,
        "estimated",
    ),
]

KINDS = [k for k, _ in Commitment.Kind.choices]
WHAT = {
    "programmes": "Extend our family support programme to evenings",
    "budget": "Move 5% of our budget to the shared strategies",
    "policies": "Adopt a hiring policy that favours local residents",
    "staff_time": "Give one staff member a day a week to the working groups",
    "data": "Report our enrolment data monthly through Backbone",
}


def advocacy_demo(*, initiative: Initiative) -> None:
    # From scratch, so the demo can be built again.
    Policy.objects.filter(initiative=initiative).delete()
    PublicWillItem.objects.filter(initiative=initiative).delete()
    Commitment.objects.filter(initiative=initiative).delete()
    today = timezone.localdate()
    staff = (
        Membership.objects.filter(initiative=initiative, role=Role.BACKBONE_STAFF)
        .select_related("person")
        .first()
    )
    owner = staff.person if staff else None
    for title, level, body, position, statement, events in POLICIES:
        policy = services.policy_save(
            policy=Policy(
                initiative=initiative,
                title=title,
                level=level,
                body=body,
                position=position,
                position_statement=statement,
                next_step="" if events and events[-1][2] == "adopted" else "Meet the sponsors",
                next_step_owner=owner,
                is_public=True,
            )
        )
        for days, what, status_after in events:
            services.policy_event_add(
                policy=policy,
                happened_on=today - timedelta(days=days),
                description=what,
                status_after=status_after,
                by=owner,
            )
    for kind, title, start, end, audience, reach, basis in PUBLIC_WILL:
        services.public_will_save(
            item=PublicWillItem(
                initiative=initiative,
                kind=kind,
                title=title,
                starts_on=today - timedelta(days=start),
                ends_on=today - timedelta(days=end) if end is not None else None,
                audience=audience,
                reach=reach,
                reach_basis=basis,
            )
        )
    partners = list(
        Partner.objects.filter(initiative=initiative, status="active").order_by(
            "organisation__name"
        )
    )
    committing = partners[:-2]  # the last two have made no commitments
    for n, partner in enumerate(committing):
        stale = n in (1, 4)  # two partners whose updates are all older than 90 days
        for k in range(1 + n % 3):
            kind = KINDS[(n + k) % len(KINDS)]
            commitment = services.commitment_save(
                commitment=Commitment(
                    initiative=initiative,
                    partner=partner,
                    kind=kind,
                    description=WHAT[kind],
                    starts_on=date(today.year - 1, 1 + (n + k) % 12, 1),
                    status="in_progress" if (n + k) % 4 else "committed",
                )
            )
            services.commitment_update_add(
                commitment=commitment,
                on=today - timedelta(days=(150 + 10 * k) if stale else (10 + 20 * k)),
                text="Started as planned." if k == 0 else "Halfway there.",
                by=owner,
            )
