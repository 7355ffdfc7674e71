"""Reads of the work plan and funding: the plan by role, effort by role over time with the
starved role, secured against needed per year, and the pipeline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from backbone.initiatives.models import Initiative, Membership
from backbone.permissions import STAFF_ROLES

from .models import BackboneTask, BudgetYear, EffortEntry, Grant
from .services import backbone_roles

CENT = Decimal("0.01")


def staff_people(initiative: Initiative):
    """The backbone's staff: the people a task may belong to."""
    from backbone.accounts.models import Person

    ids = Membership.objects.filter(initiative=initiative, role__in=STAFF_ROLES).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("name", "id")


@dataclass
class RoleTasks:
    role: dict
    tasks: list = field(default_factory=list)


def plan(
    *, initiative: Initiative, status: str = "", owner=None
) -> tuple[list[RoleTasks], list[BackboneTask]]:
    """Tasks by backbone role in the framework's order, each with its logged hours; tasks of a
    role the framework no longer has come back separately so none goes missing."""
    tasks = (
        BackboneTask.objects.filter(initiative=initiative)
        .select_related("owner")
        .annotate(logged_hours=Sum("effort__hours"))
    )
    if status:
        tasks = tasks.filter(status=status)
    if owner is not None:
        tasks = tasks.filter(owner=owner)
    groups = {r["key"]: RoleTasks(role=r) for r in backbone_roles(initiative)}
    unknown = []
    for task in tasks:
        (groups[task.role].tasks if task.role in groups else unknown).append(task)
    return list(groups.values()), unknown


def month_starts(today: date, count: int) -> list[date]:
    """The first days of the last `count` calendar months, oldest first, this month last."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass
class RoleEffort:
    role: dict
    hours: list[Decimal]  # one per month
    recent_hours: Decimal  # over the last six months
    recent_share: float | None  # of all hours in the last six months, 0–1


@dataclass
class EffortByRole:
    months: list[date]
    rows: list[RoleEffort]
    totals: list[Decimal]
    recent_total: Decimal
    starved: list[dict]  # the roles with the smallest share over the last six months
    without_effort: list[dict]  # roles with no hours at all over the last six months


RECENT_MONTHS = 6


def effort_by_role(*, initiative: Initiative, today: date, months: int = 12) -> EffortByRole:
    """Hours logged per backbone role per calendar month over the last `months` months.

    The starved role is the role with the smallest share of the hours logged over the last
    six calendar months (this month and the five before); ties name every such role. Roles
    with no hours at all in that time are named too.
    """
    starts = month_starts(today, months)
    recent_from = starts[-RECENT_MONTHS]
    sums = (
        EffortEntry.objects.filter(
            task__initiative=initiative, worked_on__gte=starts[0], worked_on__lte=today
        )
        .annotate(month=TruncMonth("worked_on"))
        .values("task__role", "month")
        .annotate(total=Sum("hours"))
    )
    by = {}
    for row in sums:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        by[(row["task__role"], month)] = row["total"]
    roles = backbone_roles(initiative)
    rows = []
    for role in roles:
        hours = [by.get((role["key"], m), Decimal(0)) for m in starts]
        recent = sum(
            (h for m, h in zip(starts, hours, strict=True) if m >= recent_from), Decimal(0)
        )
        rows.append(RoleEffort(role=role, hours=hours, recent_hours=recent, recent_share=None))
    recent_total = sum((r.recent_hours for r in rows), Decimal(0))
    starved: list[dict] = []
    if recent_total:
        for r in rows:
            r.recent_share = float(r.recent_hours / recent_total)
        least = min(r.recent_hours for r in rows)
        starved = [r.role for r in rows if r.recent_hours == least]
    return EffortByRole(
        months=starts,
        rows=rows,
        totals=[sum((r.hours[n] for r in rows), Decimal(0)) for n in range(len(starts))],
        recent_total=recent_total,
        starved=starved,
        without_effort=[r.role for r in rows if not r.recent_hours],
    )


def days_in_year(starts_on: date, ends_on: date, year: int) -> int:
    """Days of the period [starts_on, ends_on] (both included) that fall in `year`."""
    first, last = max(starts_on, date(year, 1, 1)), min(ends_on, date(year, 12, 31))
    return max((last - first).days + 1, 0)


def pro_rata(amount: Decimal, starts_on: date, ends_on: date) -> dict[int, Decimal]:
    """A grant's amount split over the calendar years it spans, by days in each year (both
    ends of the period included). Unrounded, so the years add up to the amount."""
    total_days = (ends_on - starts_on).days + 1
    return {
        year: amount * days_in_year(starts_on, ends_on, year) / total_days
        for year in range(starts_on.year, ends_on.year + 1)
    }


@dataclass
class YearFunding:
    year: int
    currency: str
    needed: Decimal | None
    secured: Decimal

    @property
    def gap(self) -> Decimal | None:
        return None if self.needed is None else self.needed - self.secured

    @property
    def share(self) -> int | None:
        if not self.needed:
            return None
        return round(self.secured / self.needed * 100)


def _of_funders(grants, organisation_ids):
    if organisation_ids is None:
        return grants
    return grants.filter(funder__organisation__in=organisation_ids)


def secured_against_needed(*, initiative: Initiative, organisation_ids=None) -> list[YearFunding]:
    """Per year and currency: committed and received grants, pro rata by days in the year,
    against the budget's amount needed. No currency is converted into another. With
    `organisation_ids` (`permissions.grant_funders`), only those funders' grants count."""
    secured: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    grants = _of_funders(
        Grant.objects.filter(initiative=initiative, status__in=Grant.SECURED), organisation_ids
    ).values_list("amount", "currency", "starts_on", "ends_on")
    for amount, currency, starts_on, ends_on in grants:
        for year, share in pro_rata(amount, starts_on, ends_on).items():
            secured[(year, currency)] += share
    needed = {
        (b.year, b.currency): b.amount_needed
        for b in BudgetYear.objects.filter(initiative=initiative)
    }
    keys = sorted(set(secured) | set(needed))
    return [
        YearFunding(
            year=year,
            currency=currency,
            needed=needed.get((year, currency)),
            secured=secured.get((year, currency), Decimal(0)).quantize(CENT),
        )
        for year, currency in keys
    ]


@dataclass
class PipelineRow:
    status: str
    label: str
    count: int
    sums: list[tuple[str, Decimal]]  # (currency, sum), one per currency


def pipeline(*, initiative: Initiative, organisation_ids=None) -> list[PipelineRow]:
    """Grants by status, in the pipeline's order: how many and how much, per currency; with
    `organisation_ids`, of those funders' grants only."""
    found = (
        _of_funders(Grant.objects.filter(initiative=initiative), organisation_ids)
        .values("status", "currency")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("currency")
    )
    rows = {
        s: PipelineRow(status=s, label=str(label), count=0, sums=[])
        for s, label in Grant.Status.choices
    }
    for row in found:
        rows[row["status"]].count += row["n"]
        rows[row["status"]].sums.append((row["currency"], row["total"]))
    return list(rows.values())


def grants(*, initiative: Initiative, organisation_ids=None):
    """Every grant, or, with `organisation_ids`, those of funders that are these organisations
    (what a funder's own people may see)."""
    found = _of_funders(Grant.objects.filter(initiative=initiative), organisation_ids)
    return found.select_related("funder", "strategy", "activity").order_by(
        "funder__name", "starts_on", "id"
    )


# --- reads of the API ------------------------------------------------------------------


def tasks(*, initiative: Initiative, status: str = "", owner=None, role: str = ""):
    """The plan's tasks as one list, by due date and title, each with its logged hours."""
    found = (
        BackboneTask.objects.filter(initiative=initiative)
        .select_related("owner")
        .annotate(logged_hours=Sum("effort__hours"))
    )
    if status:
        found = found.filter(status=status)
    if owner is not None:
        found = found.filter(owner=owner)
    if role:
        found = found.filter(role=role)
    return found


def task_get(*, initiative: Initiative, uuid) -> BackboneTask | None:
    return tasks(initiative=initiative).filter(uuid=uuid).first()


def effort_of(*, task: BackboneTask):
    """The hours logged on one task, latest first."""
    return task.effort.select_related("person")


def person_named(*, uuid):
    """A person by uuid, whoever they are: the services decide whether they may be named."""
    from backbone.accounts.models import Person

    return Person.objects.filter(uuid=uuid).first()


def grants_listed(
    *, initiative: Initiative, organisation_ids=None, status="", funder=None, funds=""
):
    """The grants page's list (`grants`), filtered by status, funder (uuid) and what they fund."""
    found = grants(initiative=initiative, organisation_ids=organisation_ids)
    if status:
        found = found.filter(status=status)
    if funder:
        found = found.filter(funder__uuid=funder)
    if funds:
        found = found.filter(funds=funds)
    return found


def grant_get(*, initiative: Initiative, uuid, organisation_ids=None) -> Grant | None:
    """One grant, if it is among those the caller may see (`permissions.grant_funders`)."""
    return (
        grants(initiative=initiative, organisation_ids=organisation_ids).filter(uuid=uuid).first()
    )


def funders(*, initiative: Initiative, organisation_ids=None):
    """The initiative's funders, or, with `organisation_ids`, those that are these
    organisations (a funder's own people see their own only)."""
    from .models import Funder

    found = Funder.objects.filter(initiative=initiative).select_related("organisation")
    if organisation_ids is not None:
        found = found.filter(organisation__in=organisation_ids)
    return found


def funder_get(*, initiative: Initiative, uuid):
    return funders(initiative=initiative).filter(uuid=uuid).first()


def partner_organisation(*, initiative: Initiative, slug: str):
    """An organisation partnering the initiative (what a funder may be), by its slug."""
    from backbone.initiatives.models import Organisation

    found = Organisation.objects.filter(partnerships__initiative=initiative, slug=slug)
    return found.first()


def funded_strategy(*, initiative: Initiative, uuid):
    from backbone.agenda.models import Strategy

    return Strategy.objects.filter(initiative=initiative, uuid=uuid).first()


def funded_activity(*, initiative: Initiative, uuid):
    from backbone.activities.models import Activity

    return Activity.objects.filter(initiative=initiative, uuid=uuid).first()
