"""Helpers for the health tests: dates counted back from today, meetings, reports sent on a
chosen day, commitments and agenda versions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from backbone.advocacy.models import Commitment, CommitmentUpdate
from backbone.agenda.models import AgendaVersion, Endorsement
from backbone.communication.models import Meeting, WorkingGroup
from backbone.frameworks.models import Framework
from backbone.initiatives import services as initiatives
from backbone.links import keyed
from backbone.measurement.models import Period, Submission
from tests.assignments import assign_to_every_indicator
from tests.completeness.conftest import indicator as completeness_indicator
from tests.completeness.conftest import send
from tests.measurement.conftest import make_period

CHICAGO = ZoneInfo("America/Chicago")


def ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def moment(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def month_start(months_back: int) -> date:
    first = timezone.localdate().replace(day=1)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def monthly_period(initiative, months_back: int, due_days: int = 15) -> Period:
    period = make_period(initiative, "month", month_start(months_back))
    period.due = period.end + timedelta(days=due_days)
    period.save()
    return period


def indicator(initiative, code="children-enrolled"):
    """A monthly count every partner of the initiative is assigned to report."""
    return completeness_indicator(initiative, code, "month")


def report(cast, partner, ind, period, *, on: date, status="submitted") -> Submission:
    """One value for `period`, sent on the day `on` (noon, site time)."""
    return send(cast, partner, ind, period, status=status, on=moment(on))


def meeting(cast, day: date, *, group=None, came=(), private=False, title="") -> Meeting:
    start = datetime.combine(day, time(17, 0), CHICAGO)
    m = Meeting.objects.create(
        initiative=cast.initiative,
        group=group,
        title=title or f"Meeting {day}",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="America/Chicago",
        is_private=private,
    )
    m.attendees.set(came, through_defaults=keyed(m))
    return m


def group(cast, name, lead, members=(), *, private=False) -> WorkingGroup:
    g = WorkingGroup.objects.create(
        initiative=cast.initiative, name=name, lead=lead, is_private=private
    )
    g.members.set(members, through_defaults=keyed(g))
    return g


def commitment(partner, *, starts_on: date, status="in_progress", updates=()) -> Commitment:
    c = Commitment.objects.create(
        initiative=partner.initiative,
        partner=partner,
        kind="budget",
        description="Move money",
        starts_on=starts_on,
        status=status,
    )
    for day in updates:
        CommitmentUpdate.objects.create(commitment=c, on=day, text="Progress")
    return c


def version(initiative, number: int, on: date) -> AgendaVersion:
    return AgendaVersion.objects.create(
        initiative=initiative, number=number, snapshot={}, created_at=moment(on)
    )


def endorse(v: AgendaVersion, partner, on: date) -> Endorsement:
    return Endorsement.objects.create(
        initiative=v.initiative, version=v, partner=partner, endorsed_at=moment(on)
    )


def add_partner(cast, name: str, *, joined_on: date, status="active", sector="nonprofit"):
    """A partner assigned to report every indicator the initiative has so far."""
    org = initiatives.organisation_create(name=name, sector=sector)
    partner = initiatives.partner_add(
        initiative=cast.initiative, organisation=org, joined_on=joined_on, status=status
    )
    assign_to_every_indicator(partner)
    return partner


@pytest.fixture
def framed(cast):
    """The cast's initiative working by the five-conditions framework."""
    call_command("load_frameworks", verbosity=0)
    cast.initiative.framework = Framework.objects.get(slug="collective-impact")
    cast.initiative.save()
    return cast
