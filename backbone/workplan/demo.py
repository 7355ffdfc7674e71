"""A year of the backbone's work and its funding for the demo initiative. Advance policy is
left visibly starved: a little early effort, nothing in the last six months.

Hours are logged only on work begun: each role's first task is under way (and has not used up
its estimate), some roles finished their second task half a year ago (close to its
estimate), and the others' second task is planned, with no hours yet."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from backbone.initiatives.models import Initiative, Organisation

from . import selectors, services
from .models import BackboneTask, BudgetYear, EffortEntry, Funder, Grant

TASKS = {
    "guide_vision_and_strategy": [
        "Facilitate the steering committee",
        "Refresh the theory of change",
    ],
    "support_aligned_activities": ["Run partner coordination calls", "Map overlapping programmes"],
    "establish_shared_measurement_practices": [
        "Publish the quarterly scorecard",
        "Train data leads",
    ],
    "build_public_will": ["Community listening sessions", "Newsletter and media"],
    "advance_policy": ["Brief the school board on attendance policy"],
    "mobilise_funding": ["Renew the anchor grant", "Court new funders"],
}
#: Roles whose second task was done half a year ago; the others' second task is planned.
DONE_SECOND = {"guide_vision_and_strategy", "establish_shared_measurement_practices"}
#: Hours per week each role gets; advance policy only in the first months.
WEEKLY = {
    "guide_vision_and_strategy": 6,
    "support_aligned_activities": 9,
    "establish_shared_measurement_practices": 8,
    "build_public_will": 4,
    "advance_policy": 2,
    "mobilise_funding": 5,
}
FUNDERS = [
    "United Way of Riverton County",
    "Riverton Community Foundation",
    "Hale Family Foundation",
    "State Department of Education",
    "Riverton City Council",
    "First River Bank",
    "Northern Health Trust",
    "Cedar Street Giving Circle",
]
#: (funder index, title, amount, status, years from this year, years long)
GRANTS = [
    (0, "Backbone operating support", 240000, Grant.Status.RECEIVED, -1, 2),
    (1, "Shared measurement system", 90000, Grant.Status.COMMITTED, 0, 1),
    (2, "Early reading strategy", 60000, Grant.Status.COMMITTED, 0, 2),
    (3, "Attendance pilot", 120000, Grant.Status.ASKED, 0, 2),
    (4, "Summer learning", 45000, Grant.Status.ASKED, 1, 1),
    (5, "Community listening", 15000, Grant.Status.PROSPECT, 1, 1),
    (6, "Health and school readiness", 80000, Grant.Status.PROSPECT, 1, 2),
    (7, "Parent ambassadors", 10000, Grant.Status.DECLINED, 0, 1),
    (0, "Backbone operating support, renewal", 260000, Grant.Status.PROSPECT, 1, 2),
]


def _plan(role: str, m: int, count: int, weeks: range, today: date):
    """(status, due, [(weeks ago, hours)]) of a role's `m`th task: the role's weekly hours go to
    the tasks begun, the done one's only in the older half of the year."""
    weekly = Decimal(WEEKLY[role])
    second_done = role in DONE_SECOND and count > 1
    if m == 0:
        worked = [(w, weekly / 2 if second_done and w >= 26 else weekly) for w in weeks]
        return BackboneTask.Status.IN_PROGRESS, today + timedelta(days=30), worked
    if m == 1 and second_done:
        worked = [(w, weekly / 2) for w in weeks if w >= 26]
        return BackboneTask.Status.DONE, today - timedelta(weeks=25), worked
    return BackboneTask.Status.PLANNED, today + timedelta(days=30 * (m + 1)), []


def _estimate(role: str, status: str, logged: Decimal) -> Decimal:
    """Under way, about three quarters of the estimate is used; done, a little under it."""
    if status == BackboneTask.Status.IN_PROGRESS:
        return (logged * Decimal("1.3")).quantize(Decimal("1"))
    if status == BackboneTask.Status.DONE:
        return (logged * Decimal("1.1")).quantize(Decimal("1"))
    return Decimal(WEEKLY[role] * 26)


@transaction.atomic
def workplan_demo(*, initiative: Initiative) -> None:
    # From scratch, so the demo can be built again.
    Grant.objects.filter(funder__initiative=initiative).delete()
    Funder.objects.filter(initiative=initiative).delete()
    BudgetYear.objects.filter(initiative=initiative).delete()
    BackboneTask.objects.filter(initiative=initiative).delete()
    today = timezone.localdate()
    staff = list(selectors.staff_people(initiative))
    roles = {r["key"] for r in services.backbone_roles(initiative)}
    for n, (role, titles) in enumerate(TASKS.items()):
        if role not in roles:
            continue
        weeks = range(40, 52) if role == "advance_policy" else range(0, 52)
        for m, title in enumerate(titles):
            status, due_on, worked = _plan(role, m, len(titles), weeks, today)
            owner = staff[(n + m) % len(staff)]
            hours = [(today - timedelta(weeks=week, days=m), h) for week, h in worked if h]
            logged = sum((h for _, h in hours), Decimal(0))
            task = BackboneTask.objects.create(
                initiative=initiative,
                title=title,
                owner=owner,
                role=role,
                status=status,
                due_on=due_on,
                estimated_hours=_estimate(role, status, logged),
            )
            EffortEntry.objects.bulk_create(
                EffortEntry(
                    initiative=initiative, task=task, person=owner, worked_on=day, hours=h, note=""
                )
                for day, h in hours
            )
    for name in FUNDERS:
        organisation = Organisation.objects.filter(
            name=name, partnerships__initiative=initiative
        ).first()
        Funder.objects.create(initiative=initiative, name=name, organisation=organisation)
    funders = list(Funder.objects.filter(initiative=initiative).order_by("id"))
    strategy = initiative.strategies.first()
    for index, title, amount, status, offset, length in GRANTS:
        year = today.year + offset
        Grant.objects.create(
            initiative=initiative,
            funder=funders[index],
            title=title,
            amount=Decimal(amount),
            currency="USD",
            starts_on=date(year, 7, 1),
            ends_on=date(year + length, 6, 30),
            status=status,
            funds=Grant.Funds.STRATEGY
            if strategy and "strategy" in title
            else Grant.Funds.BACKBONE,
            strategy=strategy if strategy and "strategy" in title else None,
            restrictions="Staff costs only." if "operating" in title else "",
            private_note="Programme officer expects a site visit." if index == 0 else "",
        )
    for year, amount in ((today.year, 420000), (today.year + 1, 450000)):
        BudgetYear.objects.create(
            initiative=initiative, year=year, amount_needed=Decimal(amount), currency="USD"
        )
