"""Writes of the work plan and funding. Each write is checked by the same validator the form
uses, so the web form and any other caller refuse the same things."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from backbone.frameworks.selectors import framework_elements
from backbone.initiatives.models import Initiative, Membership
from backbone.permissions import STAFF_ROLES
from backbone.revisions import revise

from .models import BackboneTask, BudgetYear, EffortEntry, Funder, Grant

Problems = dict[str, list[str]]
CURRENCY = re.compile(r"^[A-Z]{3}$")


def backbone_roles(initiative: Initiative) -> list[dict]:
    """The six backbone roles of the initiative's framework, each `{"key", "name", …}`."""
    return framework_elements(initiative.framework, "backbone_roles")


def is_backbone_staff(initiative: Initiative, person: Any) -> bool:
    return Membership.objects.filter(
        initiative=initiative, person=person, role__in=STAFF_ROLES
    ).exists()


def _raise(problems: Problems) -> None:
    if problems:
        raise ValidationError(problems)


@dataclass
class TaskData:
    title: str
    owner: Any
    role: str
    status: str = BackboneTask.Status.PLANNED
    due_on: date | None = None
    estimated_hours: Decimal | None = None


def task_problems(*, initiative: Initiative, data: TaskData) -> Problems:
    problems: Problems = {}
    add = lambda name, message: problems.setdefault(name, []).append(message)  # noqa: E731
    if not data.title.strip():
        add("title", "Say what the task is.")
    if data.owner is None or not is_backbone_staff(initiative, data.owner):
        add("owner", "The owner must be one of the backbone's staff.")
    if data.role not in {r["key"] for r in backbone_roles(initiative)}:
        add("role", "Choose one of the backbone roles of the initiative's framework.")
    if data.status not in BackboneTask.Status.values:
        add("status", "Choose a status.")
    if data.estimated_hours is not None and data.estimated_hours < 0:
        add("estimated_hours", "The estimate cannot be negative.")
    return problems


def task_create(*, initiative: Initiative, data: TaskData) -> BackboneTask:
    _raise(task_problems(initiative=initiative, data=data))
    return BackboneTask.objects.create(initiative=initiative, **data.__dict__)


@transaction.atomic
def task_update(
    *, task: BackboneTask, data: TaskData, by=None, read_revision: int | None = None
) -> BackboneTask:
    """Refused (EditConflict) when saved since the form was read at `read_revision`."""
    _raise(task_problems(initiative=task.initiative, data=data))
    revise(task, read=read_revision, by=by)
    for name, value in data.__dict__.items():
        setattr(task, name, value)
    task.save()
    return task


def effort_problems(*, worked_on: date | None, hours: Decimal | None, today: date) -> Problems:
    problems: Problems = {}
    if hours is None or hours <= 0:
        problems["hours"] = ["Log more than zero hours."]
    elif hours > 24:
        problems["hours"] = ["A day has at most 24 hours."]
    if worked_on is None:
        problems["worked_on"] = ["Say when the work was done."]
    elif worked_on > today:
        problems["worked_on"] = ["Effort is logged once done, not ahead."]
    return problems


def effort_log(
    *, task: BackboneTask, person: Any, worked_on: date, hours: Decimal, note: str, today: date
) -> EffortEntry:
    _raise(effort_problems(worked_on=worked_on, hours=hours, today=today))
    return EffortEntry.objects.create(
        initiative_id=task.initiative_id,
        task=task,
        person=person,
        worked_on=worked_on,
        hours=hours,
        note=note,
    )


@dataclass
class GrantData:
    funder: Funder
    title: str
    amount: Decimal
    currency: str
    starts_on: date
    ends_on: date
    status: str = Grant.Status.PROSPECT
    restrictions: str = ""
    funds: str = Grant.Funds.BACKBONE
    strategy: Any = None
    activity: Any = None
    private_note: str = ""


def grant_problems(*, initiative: Initiative, data: GrantData) -> Problems:
    problems: Problems = {}
    add = lambda name, message: problems.setdefault(name, []).append(message)  # noqa: E731
    if data.funder is None or data.funder.initiative_id != initiative.pk:
        add("funder", "Choose a funder of this initiative.")
    if not data.title.strip():
        add("title", "Name the grant.")
    if data.amount is None or data.amount < 0:
        add("amount", "The amount cannot be negative.")
    if not CURRENCY.match(data.currency or ""):
        add("currency", "Give a three-letter ISO currency code, such as USD.")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        add("ends_on", "The period cannot end before it starts.")
    if data.status not in Grant.Status.values:
        add("status", "Choose a status.")
    if data.funds == Grant.Funds.STRATEGY:
        if data.strategy is None or data.strategy.initiative_id != initiative.pk:
            add("strategy", "Choose the strategy it funds.")
    elif data.funds == Grant.Funds.ACTIVITY:
        if data.activity is None or data.activity.initiative_id != initiative.pk:
            add("activity", "Choose the activity it funds.")
    elif data.funds != Grant.Funds.BACKBONE:
        add("funds", "Choose what it funds.")
    return problems


def _grant_fields(data: GrantData) -> dict:
    fields = dict(data.__dict__)
    # a grant funds one thing: forget the choice that does not apply
    if data.funds != Grant.Funds.STRATEGY:
        fields["strategy"] = None
    if data.funds != Grant.Funds.ACTIVITY:
        fields["activity"] = None
    return fields


def grant_create(*, initiative: Initiative, data: GrantData) -> Grant:
    _raise(grant_problems(initiative=initiative, data=data))
    return Grant.objects.create(initiative=initiative, **_grant_fields(data))


@transaction.atomic
def grant_update(
    *, grant: Grant, data: GrantData, by=None, read_revision: int | None = None
) -> Grant:
    """Refused (EditConflict) when saved since the form was read at `read_revision`."""
    _raise(grant_problems(initiative=grant.initiative, data=data))
    revise(grant, read=read_revision, by=by)
    for name, value in _grant_fields(data).items():
        setattr(grant, name, value)
    grant.save()
    return grant


def funder_create(*, initiative: Initiative, name: str, organisation=None) -> Funder:
    if not name.strip():
        raise ValidationError({"name": ["Name the funder."]})
    return Funder.objects.create(
        initiative=initiative, name=name.strip(), organisation=organisation
    )


@transaction.atomic
def budget_set(
    *, initiative: Initiative, year: int, currency: str, amount_needed: Decimal
) -> BudgetYear:
    """One budget per year and currency: setting it again replaces the amount."""
    problems: Problems = {}
    if amount_needed is None or amount_needed < 0:
        problems["amount_needed"] = ["The amount cannot be negative."]
    if not CURRENCY.match(currency or ""):
        problems["currency"] = ["Give a three-letter ISO currency code, such as USD."]
    _raise(problems)
    budget, _ = BudgetYear.objects.update_or_create(
        initiative=initiative,
        year=year,
        currency=currency,
        defaults={"amount_needed": amount_needed},
    )
    return budget
