"""Completeness set-up: indicators without groups (one value per report), periods with due
dates, and a helper that sends a report through the intake and moves it through approval.

Unless a test says otherwise, every partner reports every indicator: `indicator` assigns the
initiative's partners to a new indicator, and `add_partner` assigns a new partner to the
initiative's indicators (an indicator nobody is assigned to is expected from nobody)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from backbone.initiatives import services as initiatives
from backbone.initiatives.models import Partner
from backbone.measurement.approval import submission_approve, submission_return
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import Indicator, Period, Submission
from tests.assignments import assign, assign_to_every_indicator
from tests.measurement.conftest import make_indicator, make_period

A = "riverton-public-library"
B = "northside-food-bank"
TODAY = date(2024, 7, 20)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of `day` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def dated_period(initiative, kind: str, start: date, *, due_days: int | None = 15) -> Period:
    period = make_period(initiative, kind, start)
    if due_days is not None:
        period.due = period.end + timedelta(days=due_days)
        period.save()
    return period


def indicator(initiative, code: str, frequency: str) -> Indicator:
    found = make_indicator(initiative, code, "sum", frequency=frequency)
    for partner in Partner.objects.filter(initiative=initiative):
        assign(found, partner)
    return found


def send(
    cast,
    partner,
    ind: Indicator,
    period: Period,
    *,
    status: str = "submitted",
    on: datetime | None = None,
    comment: str = "Please check the count.",
) -> Submission:
    """One report of one value; `status` is where it ends (draft, submitted, approved,
    returned) and `on` when it was submitted."""
    submission = Intake(
        initiative=cast.initiative, by=cast.staff, channel="web", partner=partner
    ).submit(
        [Reported(ind.code, period.code, {}, value=1)],
        status="draft" if status == "draft" else "submitted",
    )
    if status == "approved":
        submission_approve(submission=submission, by=cast.staff)
    elif status == "returned":
        submission_return(submission=submission, by=cast.staff, comment=comment)
    if on is not None and status != "draft":
        Submission.objects.filter(pk=submission.pk).update(submitted_at=on)
    return submission


def add_partner(cast, name: str, *, joined_on=date(2023, 6, 1), status="active"):
    org = initiatives.organisation_create(name=name, sector="nonprofit")
    partner = initiatives.partner_add(
        initiative=cast.initiative, organisation=org, joined_on=joined_on, status=status
    )
    assign_to_every_indicator(partner)
    return partner


@dataclass
class Monthly:
    enrolled: Indicator
    jan: Period
    feb: Period
    mar: Period


@pytest.fixture
def monthly(cast) -> Monthly:
    """One monthly indicator; January to March 2024, each due on the 15th of the next month."""
    i = cast.initiative
    return Monthly(
        enrolled=indicator(i, "children-enrolled", "month"),
        jan=dated_period(i, "month", date(2024, 1, 1)),
        feb=dated_period(i, "month", date(2024, 2, 1)),
        mar=dated_period(i, "month", date(2024, 3, 1)),
    )
