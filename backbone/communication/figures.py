"""How continuous the communication is, in figures for the initiative page: meetings per month,
who comes (by sector, and community members), how many partners took part lately, and whether
decisions turn into action items closed on time.

Only open meetings count (neither private nor of a private group), so the figures show nobody
what they could not see; everything is read in a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from backbone.initiatives.models import Initiative, Membership, Organisation, Partner
from backbone.initiatives.roles import PartnerStatus, sector_label
from backbone.permissions import COMMUNITY_ROLES

from .models import ActionItem, Decision, Meeting

MONTHS = 12
RECENT_DAYS = 91  # "the last quarter"


@dataclass
class CommunicationFigures:
    months: list[tuple[date, int]]  # the first day of each of the last 12 months, meetings
    attendances: int = 0
    by_sector: list[tuple[str, int]] = field(default_factory=list)  # sector label, attendances
    community: int = 0  # attendances of community members
    partners_active: int = 0
    partners_attending: int = 0  # active partners with someone at a meeting lately
    decisions: int = 0  # in the last 12 months
    actions_due: int = 0  # action items with a due date that are done or past due
    actions_on_time: int = 0  # of those, done by their due date

    @property
    def meetings(self) -> int:
        return sum(n for _, n in self.months)

    @property
    def partner_share(self) -> float | None:
        return self.partners_attending / self.partners_active if self.partners_active else None

    @property
    def on_time_share(self) -> float | None:
        return self.actions_on_time / self.actions_due if self.actions_due else None


def _month_starts(today: date) -> list[date]:
    first = today.replace(day=1)
    starts = []
    for _ in range(MONTHS):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


def communication_figures(
    *, initiative: Initiative, today: date | None = None
) -> CommunicationFigures:
    today = today or timezone.localdate()
    months = _month_starts(today)
    since = months[0]
    open_meetings = Meeting.objects.filter(
        initiative=initiative, is_private=False, starts_at__date__gte=since
    ).filter(Q(group__isnull=True) | Q(group__is_private=False))
    per_month = Counter(
        timezone.localtime(at).date().replace(day=1)
        for at in open_meetings.filter(starts_at__date__lte=today).values_list(
            "starts_at", flat=True
        )
    )
    found = CommunicationFigures(months=[(m, per_month.get(m, 0)) for m in months])

    attended = list(
        Meeting.attendees.through.objects.filter(
            meeting__in=open_meetings.filter(starts_at__date__lte=today)
        ).values_list("meeting__starts_at", "person_id")
    )
    found.attendances = len(attended)
    people = {person for _, person in attended}
    roles: dict[int, set[str]] = {}
    orgs: dict[int, set[int]] = {}
    for person, role, org in Membership.objects.filter(
        initiative=initiative, person_id__in=people
    ).values_list("person_id", "role", "organisation_id"):
        roles.setdefault(person, set()).add(role)
        if org is not None:
            orgs.setdefault(person, set()).add(org)
    sector_of = dict(
        Organisation.objects.filter(pk__in={o for ids in orgs.values() for o in ids}).values_list(
            "pk", "sector"
        )
    )
    sectors: Counter = Counter()
    recent_orgs: set[int] = set()
    recent = timezone.now() - timedelta(days=RECENT_DAYS)
    for starts_at, person in attended:
        if any(role in COMMUNITY_ROLES for role in roles.get(person, ())):
            found.community += 1
        for org in orgs.get(person, ()):
            sectors[sector_of.get(org)] += 1
            if starts_at >= recent:
                recent_orgs.add(org)
    # Most first, ties by name: rows come back from the database in no set order.
    by_label: Counter = Counter()  # each sector named once, in the reader's language
    for sector, n in sectors.items():
        by_label[sector_label(sector)] += n
    found.by_sector = sorted(by_label.items(), key=lambda item: (-item[1], item[0]))

    active = list(
        Partner.objects.filter(initiative=initiative, status=PartnerStatus.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )
    found.partners_active = len(active)
    found.partners_attending = len(recent_orgs & set(active))

    found.decisions = Decision.objects.filter(
        meeting__in=open_meetings, decided_on__gte=since, decided_on__lte=today
    ).count()
    for due_on, status, done_at, zone in ActionItem.objects.filter(
        meeting__in=open_meetings, due_on__isnull=False, due_on__lte=today
    ).values_list("due_on", "status", "done_at", "meeting__time_zone"):
        found.actions_due += 1
        done = status == ActionItem.Status.DONE and done_at is not None
        # Done on the due day where the meeting is held is on time.
        if done and done_at.astimezone(ZoneInfo(zone)).date() <= due_on:
            found.actions_on_time += 1
    return found
