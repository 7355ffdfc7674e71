"""The demo's structured decisions for Riverton.

Three proposals, built through the services with their own dates so that every rule holds:
the kindergarten readiness team adopted a shared enrolment calendar by consent at its
meeting; a proposal to all partners to share student-level attendance records, one vote per
organisation, was blocked by the Latino Family Alliance (its review, owned by the backbone,
comes within two weeks); and the third-grade reading team is rating a summer reading goal on
the gradient of agreement, open for ten more days, its lead's vote still to come.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.agenda.models import Strategy
from backbone.communication.models import Meeting, WorkingGroup
from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.initiatives.roles import Role
from backbone.measurement.models import Indicator

from . import services
from .models import Choice, DecisionRules, Method, Outcome, Proposal, Unit, Vote

STAFF_EMAIL = "maya.okafor@riverton.example"

# The all-partners consensus: (organisation, answer, reason), in the order they voted.
ATTENDANCE_VOTES = [
    (
        "Riverton Public Schools",
        Choice.AGREE,
        "We already hold the records; sharing them saves everyone a request.",
    ),
    ("Riverton Reads", Choice.AGREE, ""),
    ("Boys & Girls Club of Riverton", Choice.AGREE, "Mentors need to know who is missing school."),
    ("Head Start of Riverton County", Choice.AGREE, ""),
    ("Riverton County Health Department", Choice.ABSTAIN, "Outside our remit."),
    (
        "Northside Family Resource Center",
        Choice.DISAGREE,
        "Monthly is too often for us to check the data.",
    ),
    ("Riverton Public Library", Choice.ABSTAIN, ""),
    (
        "Latino Family Alliance",
        Choice.BLOCK,
        "Families were never asked. Without consent in Spanish and a way to opt out, parents "
        "without papers will keep their children away from the programmes that need them.",
    ),
    ("United Way of Riverton County", Choice.AGREE, ""),
    ("Southside Neighbors Association", Choice.AGREE, ""),
    ("City of Riverton, Office of the Mayor", Choice.AGREE, ""),
]

GRADIENT_LEVELS = [5, 4, 4, 3]


def _people(initiative: Initiative, role: str, organisation_name: str) -> list[Person]:
    return list(
        Person.objects.filter(
            memberships__initiative=initiative,
            memberships__role=role,
            memberships__organisation__name=organisation_name,
        ).order_by("name")
    )


def _group(initiative: Initiative, name: str) -> WorkingGroup | None:
    return (
        WorkingGroup.objects.filter(initiative=initiative, name=name)
        .select_related("lead")
        .prefetch_related("members")
        .first()
    )


def _members(group: WorkingGroup) -> list[Person]:
    return sorted({group.lead, *group.members.all()}, key=lambda p: (p.name, p.pk))


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), timezone.get_current_timezone())


def _enrolment_calendar(initiative, today) -> Proposal | None:
    group = _group(initiative, "Kindergarten readiness action team")
    if group is None:
        return None
    meeting = (
        Meeting.objects.filter(
            initiative=initiative, group=group, ends_at__lt=_at(today - timedelta(days=30), 0)
        )
        .order_by("-starts_at")
        .first()
    )
    opened = (meeting.starts_at if meeting else _at(today - timedelta(days=45), 9)) + timedelta(
        hours=2
    )
    proposal = services.proposal_create(
        initiative=initiative,
        proposer=group.lead,
        title="One pre-K enrolment calendar for every partner",
        text=(
            "Every pre-K provider in the partnership opens enrolment on the same day, the first "
            "Monday of March, and closes it on the same day, so families apply once and hear "
            "back from everyone at the same time.\n\nThe calendar is printed in English, Spanish "
            "and Vietnamese and handed out at clinics, libraries and churches."
        ),
        group=group,
        method=Method.CONSENT,
        unit=Unit.PERSON,
        opens_at=opened,
        closes_at=opened + timedelta(days=10),
        meeting=meeting,
        now=opened,
    )
    for n, person in enumerate(_members(group)):
        services.vote_cast(
            proposal=proposal,
            person=person,
            choice=Choice.NO_OBJECTION,
            reason="Good for families who shop around." if n == 1 else "",
            now=opened + timedelta(days=1 + n % 5, hours=n),
        )
    services.proposal_close(
        proposal=proposal,
        by=group.lead,
        summary=(
            "Adopted: every provider opens pre-K enrolment on the first Monday of March. "
            "The lead sends the calendar to each provider."
        ),
        owner=group.lead,
        review_on=today + timedelta(days=60),
        now=opened + timedelta(days=10, hours=-1),
    )
    return proposal


def _attendance_sharing(initiative, today, staff: Person) -> Proposal | None:
    strategy = Strategy.objects.filter(
        initiative=initiative, title="Reduce chronic absence in the early grades"
    ).first()
    opened = _at(today - timedelta(days=34), 9)
    proposal = services.proposal_create(
        initiative=initiative,
        proposer=staff,
        title="Share student-level attendance records with every partner monthly",
        text=(
            "The school district shares, each month, which K–3 students missed 10% or more of "
            "school days, with their school and neighbourhood, so that mentors, clinics and "
            "family centres can reach the same families.\n\nOne vote per partner organisation."
        ),
        group=None,
        method=Method.CONSENSUS,
        unit=Unit.ORGANISATION,
        opens_at=opened,
        closes_at=opened + timedelta(days=14),
        strategy=strategy,
        now=opened,
    )
    active = set(
        Partner.objects.filter(initiative=initiative, status="active").values_list(
            "organisation__name", flat=True
        )
    )
    for n, (name, choice, reason) in enumerate(ATTENDANCE_VOTES):
        if name not in active:
            continue
        people = _people(initiative, Role.PARTNER_STEWARD, name)
        if not people:
            continue
        when = opened + timedelta(days=1 + n, hours=n % 6)
        if name == "Riverton Public Library":
            # a member casts the library's vote, its steward later changes it: still one vote
            member = _people(initiative, Role.PARTNER_MEMBER, name)
            if member:
                services.vote_cast(
                    proposal=proposal,
                    person=member[0],
                    choice=Choice.AGREE,
                    now=when - timedelta(days=1),
                )
        services.vote_cast(
            proposal=proposal, person=people[0], choice=choice, reason=reason, now=when
        )
    services.proposal_close(
        proposal=proposal,
        by=staff,
        summary=(
            "Blocked by the Latino Family Alliance: families were not asked. The data sharing "
            "working group brings back a proposal with consent in Spanish and English, an "
            "opt-out, and records shared only with the partner serving the family."
        ),
        owner=staff,
        review_on=today + timedelta(days=9),
        now=opened + timedelta(days=14, hours=-2),
    )
    return proposal


def _summer_reading_goal(initiative, today) -> Proposal | None:
    group = _group(initiative, "Third-grade reading action team")
    if group is None:
        return None
    indicator = Indicator.objects.filter(initiative=initiative, code="third-grade-reading").first()
    opened = _at(today - timedelta(days=4), 9)
    proposal = services.proposal_create(
        initiative=initiative,
        proposer=group.lead,
        title="A summer reading goal of 20 books per child in Eastgate and Southside",
        text=(
            "The summer reading programme sets a goal of 20 books per child for the two "
            "neighbourhoods where the third-grade reading gap is widest, with book boxes at "
            "the clinics and the tenants' union, and a reading party at the end of August."
        ),
        group=group,
        method=Method.GRADIENT,
        unit=Unit.PERSON,
        opens_at=opened,
        closes_at=_at(today + timedelta(days=10), 17),
        indicator=indicator,
        now=opened,
    )
    voters = [p for p in _members(group) if p.pk != group.lead_id]
    voters = [
        p
        for p in voters
        if not Membership.objects.filter(
            initiative=initiative, person=p, role=Role.PARTNER_MEMBER
        ).exists()
    ]
    for n, (person, level) in enumerate(zip(voters, GRADIENT_LEVELS, strict=False)):
        services.vote_cast(
            proposal=proposal,
            person=person,
            level=level,
            reason="Twenty is a lot for the youngest readers." if level == 3 else "",
            now=_at(today - timedelta(days=3 - n // 2), 10 + 4 * (n % 2)),
        )
    return proposal


@transaction.atomic
def decisions_demo(*, initiative: Initiative) -> dict[str, int]:
    """Build the demo's decisions; returns how many proposals, votes and outcomes there are."""
    Proposal.objects.filter(initiative=initiative).delete()
    DecisionRules.objects.filter(initiative=initiative).delete()
    today = timezone.localdate()
    staff = Person.objects.filter(email=STAFF_EMAIL).first() or (
        Person.objects.filter(
            memberships__initiative=initiative, memberships__role=Role.BACKBONE_STAFF
        )
        .order_by("name")
        .first()
    )
    data_group = _group(initiative, "Data sharing working group")
    if data_group is not None:
        services.rules_save(
            initiative=initiative,
            group=data_group,
            allowed=[Method.CONSENT, Method.CONSENSUS],
            default_unit=Unit.ORGANISATION,
        )
    _enrolment_calendar(initiative, today)
    if staff is not None:
        _attendance_sharing(initiative, today, staff)
    _summer_reading_goal(initiative, today)
    return {
        "proposals": Proposal.objects.filter(initiative=initiative).count(),
        "votes": Vote.objects.filter(initiative=initiative).count(),
        "outcomes": Outcome.objects.filter(initiative=initiative).count(),
    }
