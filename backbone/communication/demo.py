"""Working groups for the demo initiative: four action teams and a year of meetings.

Meetings run monthly in America/Chicago, each group on its own weekday of the month (the
all-partners meeting quarterly, on the third Thursday), from ten months ago to two months
ahead, with who
came, what was decided and who does what — older action items done, some recent ones
overdue, the newest open — so the home page of the demo's steward has work waiting.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.agenda.models import Strategy
from backbone.initiatives.models import Initiative
from backbone.initiatives.roles import Role
from backbone.links import keyed

from .models import ActionItem, Decision, Meeting, WorkingGroup

ZONE = "America/Chicago"
TUESDAY, WEDNESDAY, THURSDAY = 1, 2, 3  # as date.weekday() counts them
GROUPS = [
    # name, purpose, strategy index, private
    (
        "Kindergarten readiness action team",
        "Align pre-K enrolment drives and summer bridge programmes across partners.",
        0,
        False,
    ),
    (
        "Attendance action team",
        "Cut chronic absence in the early grades: outreach, transport, family check-ins.",
        1,
        False,
    ),
    (
        "Third-grade reading action team",
        "Summer reading and tutoring where the reading gap is widest.",
        2,
        False,
    ),
    (
        "Data sharing working group",
        "Data agreements between partners; handles records about named families.",
        None,
        True,
    ),
]
DECISIONS = [
    "Adopt a shared referral form across partners",
    "Focus outreach on the Eastgate and Northside neighbourhoods first",
    "Share attendance data monthly instead of quarterly",
    "Hold the next family listening session in Spanish and English",
    "Use the district's readiness assessment as the single measure for all partners",
    "Ask each partner to name one contact for data requests",
    "Pilot attendance mentors in the two schools with the highest chronic absence",
    "Invite two parents from the listening sessions to join the action team",
    "Report tutoring hours by school from next term",
    "Publish the meeting minutes on the updates feed within a week",
    "Move the summer reading sign-up to the library's branches",
    "Pool the partners' book budgets for one bulk order",
    "Translate the referral form into Spanish and Vietnamese",
    "Review the data-sharing agreement with the district's counsel",
    "Meet at the community centre on alternate months",
    "Track home visits by neighbourhood as well as by programme",
    "Set next year's readiness targets with residents at an open meeting",
    "Start a shared waiting list for pre-K places",
    "Add transport vouchers to the attendance pilot",
    "Ask the funders' table for a second year of mentor funding",
]
#: (which, weekday) of the month each group meets on: the reading team on the first Tuesday.
GROUP_DAYS = [(2, TUESDAY), (2, WEDNESDAY), (1, TUESDAY), (3, THURSDAY)]
ALL_PARTNERS_DAY = (3, THURSDAY)
ACTIONS = [
    "Draft the referral form and circulate it",
    "Book the community centre for the listening session",
    "Collect sign-up numbers from every site",
    "Write up what the families told us",
    "Ask the district for last term's attendance by school",
]


def _nth_weekday(month: date, which: tuple[int, int]) -> date:
    """The `n`th `weekday` of the month `month` falls in, as in "the second Tuesday"."""
    n, weekday = which
    first = month.replace(day=1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _people(initiative: Initiative, *roles: str) -> list[Person]:
    return list(
        Person.objects.filter(memberships__initiative=initiative, memberships__role__in=roles)
        .distinct()
        .order_by("name")
    )


@transaction.atomic
def communication_demo(*, initiative: Initiative) -> dict[str, int]:
    """Build the demo's working groups and meetings; returns how many of each were made."""
    WorkingGroup.objects.filter(initiative=initiative).delete()
    Meeting.objects.filter(initiative=initiative).delete()
    staff = _people(initiative, Role.BACKBONE_STAFF)
    stewards = _people(initiative, Role.PARTNER_STEWARD)
    community = _people(initiative, Role.COMMUNITY_MEMBER)
    partner_members = _people(initiative, Role.PARTNER_MEMBER)
    priya = Person.objects.filter(
        memberships__initiative=initiative,
        memberships__role=Role.PARTNER_STEWARD,
        memberships__organisation__name="Riverton Public Library",
    ).first() or (stewards[0] if stewards else staff[0])
    strategies = list(Strategy.objects.filter(initiative=initiative).order_by("goal__position"))
    zone = ZoneInfo(ZONE)
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=300)).replace(day=1)
    counts = {"groups": 0, "meetings": 0, "decisions": 0, "actions": 0}

    groups = []
    for n, (name, purpose, strategy_index, private) in enumerate(GROUPS):
        pool = stewards[n * 4 : n * 4 + 5] or stewards[:5]
        lead = priya if n == 2 else (pool[0] if pool else staff[0])
        group = WorkingGroup.objects.create(
            initiative=initiative,
            name=name,
            purpose=purpose,
            strategy=strategies[strategy_index]
            if strategy_index is not None and strategy_index < len(strategies)
            else None,
            lead=lead,
            is_private=private,
        )
        members = {lead, *pool, *(community[n % len(community) :][:1] if community else [])}
        if n == 2:
            members.update(partner_members[:1])
        if private:
            members.update(staff[:1])
        group.members.set(members, through_defaults=keyed(group))
        groups.append((group, sorted(members, key=lambda p: p.name)))
    counts["groups"] = len(groups)

    for month in range(13):
        day = (first + timedelta(days=31 * month)).replace(day=1)
        for n, (group, members) in enumerate(groups):
            on = _nth_weekday(day, GROUP_DAYS[n % len(GROUP_DAYS)])
            start = datetime.combine(on, time(17, 30), zone)
            meeting = Meeting.objects.create(
                initiative=initiative,
                group=group,
                title=f"{group.name.split(' action')[0].split(' working')[0]} — {start:%B %Y}",
                starts_at=start,
                ends_at=start + timedelta(hours=1, minutes=30),
                time_zone=ZONE,
                place="Riverton Public Library, Room 2" if n % 2 else "https://meet.example/rcc",
                agenda="1. Data since last month\n2. What is working\n3. Next steps",
                minutes="" if start.date() > today else "Reviewed the latest figures.",
                is_private=group.is_private,
                created_by=group.lead,
            )
            counts["meetings"] += 1
            if start.date() > today:
                continue
            meeting.attendees.set(
                members[: max(2, len(members) - (month + n) % 3)], through_defaults=keyed(meeting)
            )
            if (month + n) % 2 == 0:
                Decision.objects.create(
                    initiative=initiative,
                    meeting=meeting,
                    text=DECISIONS[counts["decisions"] % len(DECISIONS)],
                    decided_on=start.date(),
                    decided_by="The group, by consensus",
                )
                counts["decisions"] += 1
            owner = members[(month + n) % len(members)]
            age = (today - start.date()).days
            due = start.date() + timedelta(days=21)
            status = ActionItem.Status.DONE if age > 75 else ActionItem.Status.OPEN
            ActionItem.objects.create(
                initiative=initiative,
                meeting=meeting,
                text=ACTIONS[(month + n) % len(ACTIONS)],
                owner=priya if n == 2 and age <= 75 else owner,
                due_on=due,
                status=status,
                done_at=timezone.now() if status == ActionItem.Status.DONE else None,
                done_by=owner if status == ActionItem.Status.DONE else None,
            )
            counts["actions"] += 1

    everyone = _people(initiative, Role.BACKBONE_STAFF, Role.PARTNER_STEWARD)
    for quarter in range(4):
        day = _nth_weekday(first + timedelta(days=92 * quarter + 20), ALL_PARTNERS_DAY)
        start = datetime.combine(day, time(9, 0), zone)
        meeting = Meeting.objects.create(
            initiative=initiative,
            title=f"All-partners meeting — {start:%B %Y}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            time_zone=ZONE,
            place="Riverton City Hall, Council Chamber",
            agenda="Scorecard review, working group reports, community voices",
            created_by=staff[0] if staff else None,
        )
        counts["meetings"] += 1
        if start.date() <= today:
            meeting.attendees.set(
                everyone[quarter % 3 :: 2] + community, through_defaults=keyed(meeting)
            )
    return counts
