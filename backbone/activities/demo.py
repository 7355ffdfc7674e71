"""The demo's plan of action: about forty activities of the Riverton partners.

Chosen so the alignment page has something to say: nobody works on "Align training with the
region's growing jobs" (a strategy gap) or in Westfield (a place gap: its two neighbourhoods
and the district), and two pairs of partners overlap: Head Start and Little Steps both run
pre-K places in Millbrook, and Riverton Reads and the Library both run summer reading for
Latino children in Southside.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from backbone.agenda.models import Strategy
from backbone.initiatives.models import Initiative, Partner
from backbone.links import keyed
from backbone.measurement.models import Group

from .models import Activity

PREK = "Expand access to high-quality early learning"
SCREEN = "Screen early and connect families to support"
ABSENCE = "Reduce chronic absence in the early grades"
SUMMER = "Keep children reading through the summer"
NINTH = "Catch students who fall off track in ninth grade"
WORK = "Connect students to work experience"
COLLEGE = "Support first-generation students to complete college"

#: A planned activity starts on the next such day after today.
NEXT = None

# One row per activity: (partner, what, strategies, places, population groups, start, end, status).
# Days are (years after the initiative's launch year, month, day), so the plan moves with the
# launch, which moves with today; a planned one starts on the next such day (NEXT).
ACTIVITIES = [
    (
        "Head Start of Riverton County",
        "Full-day pre-K classrooms",
        [PREK],
        ["millbrook"],
        ["low"],
        (0, 9, 1),
        None,
        "active",
    ),
    (
        "Little Steps Early Learning Network",
        "Pre-K places in family child care",
        [PREK],
        ["millbrook"],
        ["low"],
        (1, 1, 8),
        None,
        "active",
    ),
    (
        "Little Steps Early Learning Network",
        "Coaching for home-based providers",
        [PREK],
        ["eastgate"],
        [],
        (0, 5, 1),
        None,
        "active",
    ),
    (
        "Head Start of Riverton County",
        "Pre-K enrolment drive",
        [PREK],
        ["foundry-row"],
        ["latino"],
        (1, 3, 1),
        (1, 5, 31),
        "done",
    ),
    (
        "Riverton Public Schools",
        "Transitional kindergarten pilot",
        [PREK],
        ["kingsley"],
        [],
        (NEXT, 8, 25),
        None,
        "planned",
    ),
    (
        "Riverton Community Foundation",
        "Pre-K teacher scholarships",
        [PREK],
        [],
        [],
        (0, 9, 1),
        None,
        "active",
    ),
    (
        "Riverton County Health Department",
        "Developmental screening at well-child visits",
        [SCREEN],
        ["northside"],
        [],
        (0, 4, 1),
        None,
        "active",
    ),
    (
        "Northside Family Resource Center",
        "Home visiting for new parents",
        [SCREEN],
        ["cedar-heights"],
        ["low"],
        (0, 2, 1),
        None,
        "active",
    ),
    (
        "Riverside Community Health Center",
        "Screening and referral clinic",
        [SCREEN],
        ["southgate"],
        [],
        (0, 6, 1),
        None,
        "active",
    ),
    (
        "Latino Family Alliance",
        "Bilingual family navigators",
        [SCREEN],
        ["elm-park"],
        ["latino"],
        (1, 1, 15),
        None,
        "active",
    ),
    (
        "Eastgate Tenants' Union",
        "Door-to-door screening days",
        [SCREEN],
        ["eastgate-estates"],
        [],
        (1, 4, 1),
        (1, 10, 31),
        "done",
    ),
    (
        "Greater Hope Baptist Church",
        "Parent cafés",
        [SCREEN],
        ["harbor-view"],
        ["black"],
        (1, 2, 1),
        None,
        "paused",
    ),
    (
        "Riverton Public Schools",
        "Attendance teams in every elementary school",
        [ABSENCE],
        ["northside", "eastgate", "southside"],
        ["low"],
        (0, 8, 28),
        None,
        "active",
    ),
    (
        "Boys & Girls Club of Riverton",
        "Walking school bus",
        [ABSENCE],
        ["foundry-row"],
        [],
        (0, 9, 5),
        None,
        "active",
    ),
    (
        "Riverton County Health Department",
        "School nurses for asthma care",
        [ABSENCE],
        ["eastgate-estates"],
        [],
        (1, 1, 8),
        None,
        "active",
    ),
    (
        "Riverton Housing Authority",
        "Attendance incentives for families in public housing",
        [ABSENCE],
        ["harbor-view"],
        ["low"],
        (NEXT, 9, 1),
        None,
        "planned",
    ),
    (
        "St. Anne's Parish",
        "Morning breakfast club",
        [ABSENCE],
        ["kingsley"],
        [],
        (0, 9, 5),
        None,
        "active",
    ),
    (
        "Riverton Reads",
        "Summer reading camps",
        [SUMMER],
        ["southside"],
        ["latino"],
        (1, 6, 17),
        None,
        "active",
    ),
    (
        "Riverton Public Library",
        "Summer reading challenge in Spanish",
        [SUMMER],
        ["elm-park"],
        ["latino"],
        (1, 6, 1),
        None,
        "active",
    ),
    (
        "Riverton Public Library",
        "Books on the bookmobile",
        [SUMMER],
        ["millbrook", "cedar-heights"],
        [],
        (0, 6, 1),
        None,
        "active",
    ),
    (
        "Boys & Girls Club of Riverton",
        "Reading hour at summer camp",
        [SUMMER],
        ["eastgate"],
        ["black"],
        (1, 6, 10),
        None,
        "active",
    ),
    (
        "Southside Neighbors Association",
        "Little free libraries",
        [SUMMER],
        ["southgate"],
        [],
        (0, 5, 1),
        (0, 9, 30),
        "done",
    ),
    (
        "Riverton Reads",
        "Volunteer reading buddies",
        [SUMMER, ABSENCE],
        ["harbor-view"],
        [],
        (1, 1, 10),
        None,
        "paused",
    ),
    (
        "Riverton Public Schools",
        "Ninth-grade on-track dashboards",
        [NINTH],
        ["northside", "eastgate", "southside"],
        [],
        (0, 8, 28),
        None,
        "active",
    ),
    (
        "YouthWorks Riverton",
        "Ninth-grade mentors",
        [NINTH],
        ["southgate"],
        ["black"],
        (1, 8, 26),
        None,
        "active",
    ),
    (
        "Boys & Girls Club of Riverton",
        "After-school homework help",
        [NINTH],
        ["millbrook"],
        ["latino"],
        (0, 9, 5),
        None,
        "active",
    ),
    (
        "Latino Family Alliance",
        "Family nights on high-school credits",
        [NINTH],
        ["eastgate"],
        ["latino"],
        (NEXT, 10, 1),
        None,
        "planned",
    ),
    (
        "Greater Hope Baptist Church",
        "Saturday tutoring",
        [NINTH],
        ["harbor-view"],
        ["black"],
        (0, 10, 7),
        None,
        "active",
    ),
    (
        "Riverton Chamber of Commerce",
        "Summer internships with local employers",
        [WORK],
        ["northside", "eastgate", "southside"],
        [],
        (1, 6, 1),
        None,
        "active",
    ),
    (
        "YouthWorks Riverton",
        "Paid youth apprenticeships",
        [WORK],
        ["eastgate-estates"],
        ["low"],
        (0, 6, 1),
        None,
        "active",
    ),
    (
        "Meridian Manufacturing",
        "Factory job shadowing",
        [WORK],
        ["southside"],
        [],
        (0, 10, 1),
        None,
        "paused",
    ),
    (
        "City of Riverton, Office of the Mayor",
        "Mayor's summer jobs programme",
        [WORK],
        ["cedar-heights"],
        [],
        (1, 6, 1),
        (1, 8, 31),
        "done",
    ),
    (
        "Riverton Public Schools",
        "Career pathways in high school",
        [WORK, NINTH],
        ["kingsley"],
        [],
        (NEXT, 1, 6),
        None,
        "planned",
    ),
    (
        "Riverton Community College",
        "First-generation student success coaches",
        [COLLEGE],
        ["northside", "eastgate", "southside"],
        [],
        (0, 8, 21),
        None,
        "active",
    ),
    (
        "Eastbank State University",
        "Transfer bridge from the community college",
        [COLLEGE],
        [],
        [],
        (1, 1, 15),
        None,
        "active",
    ),
    (
        "United Way of Riverton County",
        "Emergency grants for students",
        [COLLEGE],
        ["northside", "eastgate", "southside"],
        ["low"],
        (0, 9, 1),
        None,
        "active",
    ),
    (
        "First Riverton Credit Union",
        "College savings accounts",
        [COLLEGE],
        ["northside", "eastgate", "southside"],
        [],
        (0, 3, 1),
        (0, 12, 31),
        "done",
    ),
    (
        "Latino Family Alliance",
        "FAFSA nights in Spanish",
        [COLLEGE],
        ["southgate"],
        ["latino"],
        (1, 1, 10),
        None,
        "active",
    ),
    (
        "Riverton Public Library",
        "College application help desk",
        [COLLEGE],
        ["foundry-row"],
        [],
        (NEXT, 9, 1),
        None,
        "planned",
    ),
    (
        "Riverton Workforce Board",
        "Labour market briefings for counsellors",
        [WORK],
        ["northside", "eastgate", "southside"],
        ["low"],
        (NEXT, 3, 1),
        None,
        "planned",
    ),
]


def _day(when: tuple, *, launch: date, today: date) -> date:
    years, month, day = when
    if years is NEXT:
        upcoming = date(today.year, month, day)
        return upcoming if upcoming > today else date(today.year + 1, month, day)
    return date(launch.year + years, month, day)


def activities_demo(*, initiative: Initiative) -> list[Activity]:
    """Add the demo's activities to `initiative`; partners or places it lacks are skipped."""
    partners = {
        p.organisation.name: p
        for p in Partner.objects.filter(initiative=initiative).select_related("organisation")
    }
    strategies = {s.title: s for s in Strategy.objects.filter(initiative=initiative)}
    groups = Group.objects.filter(initiative=initiative).select_related("dimension")
    places = {g.key: g for g in groups if g.dimension.is_geography}
    people = {g.key: g for g in groups if not g.dimension.is_geography}
    today = timezone.localdate()
    launch = initiative.start_date or date(today.year - 3, 1, 15)
    made = []
    for partner, name, served, where, whom, start, end, status in ACTIVITIES:
        if partner not in partners:
            continue
        activity = Activity.objects.create(
            initiative=initiative,
            partner=partners[partner],
            name=name,
            starts_on=_day(start, launch=launch, today=today),
            ends_on=_day(end, launch=launch, today=today) if end else None,
            status=status,
            place_text="" if where else "Across the county",
        )
        keys = keyed(activity)
        activity.strategies.set(
            [strategies[t] for t in served if t in strategies], through_defaults=keys
        )
        activity.places.set([places[k] for k in where if k in places], through_defaults=keys)
        activity.groups.set([people[k] for k in whom if k in people], through_defaults=keys)
        made.append(activity)
    return made
