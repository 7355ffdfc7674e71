"""Every signal recomputed independently from the raw rows, with SQL and pandas, and compared
with what `backbone.health.signals` says."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations

import pandas as pd
import pytest
from django.db import connection
from django.utils import timezone

from backbone.activities.models import Activity
from backbone.agenda.models import Goal, Strategy
from backbone.health import signals
from backbone.initiatives import services as initiatives
from backbone.initiatives.roles import Role
from backbone.links import keyed
from backbone.workplan.models import BackboneTask, BudgetYear, EffortEntry, Funder, Grant
from tests.conftest import make_person

from .conftest import (
    add_partner,
    ago,
    endorse,
    group,
    indicator,
    meeting,
    monthly_period,
    report,
    version,
)

pytestmark = pytest.mark.integration


def frame(sql: str, params=()) -> pd.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        columns = [c[0] for c in cursor.description]
        return pd.DataFrame(cursor.fetchall(), columns=columns)


def today() -> date:
    return timezone.localdate()


# --- common agenda ------------------------------------------------------------------------


def test_endorsement_share_is_active_partners_on_the_latest_version(cast):
    paused = add_partner(cast, "Paused Partner", joined_on=date(2023, 1, 1), status="paused")
    v1 = version(cast.initiative, 1, ago(400))
    v2 = version(cast.initiative, 2, ago(100))
    endorse(v1, cast.partner_b, ago(399))
    endorse(v2, cast.partner_a, ago(90))
    endorse(v2, paused, ago(90))

    found = signals.agenda_endorsement(initiative=cast.initiative, today=today())

    rows = frame(
        """
        SELECT p.id, p.status, e.id IS NOT NULL AS endorsed
        FROM initiatives_partner p
        LEFT JOIN agenda_endorsement e ON e.partner_id = p.id AND e.version_id = (
            SELECT id FROM agenda_agendaversion WHERE initiative_id = %s
            ORDER BY number DESC LIMIT 1)
        WHERE p.initiative_id = %s
        """,
        [cast.initiative.pk, cast.initiative.pk],
    )
    active = rows[rows.status == "active"]
    assert (found.numerator, found.denominator) == (int(active.endorsed.sum()), len(active))
    assert found.share == pytest.approx(active.endorsed.sum() / len(active))
    assert (found.numerator, found.denominator) == (1, 2)
    assert found.url == "/i/riverton/agenda/" and "Version 2" in found.period


def test_no_agenda_version_measures_nothing(cast):
    found = signals.agenda_endorsement(initiative=cast.initiative, today=today())
    assert found.share is None and found.figures == "No partners to count"


# --- shared measurement -------------------------------------------------------------------


@pytest.fixture
def calendar(cast):
    """Fifteen months of monthly reports, due on the 15th of the next month; A reports most
    on time, one late, one returned, one only as a draft; B reports a few; C joined recently;
    a paused partner owes nothing."""
    i = cast.initiative
    ind = indicator(i)
    periods = [monthly_period(i, n) for n in range(15, 0, -1)]
    newcomer = add_partner(cast, "Newcomer", joined_on=periods[-4].start)
    add_partner(cast, "Paused Partner", joined_on=date(2023, 1, 1), status="paused")
    for n, p in enumerate(periods):
        if p.due >= today():
            continue
        if n % 5 == 1:
            report(cast, cast.partner_a, ind, p, on=p.due + timedelta(days=3))  # late
        elif n % 5 == 2:
            report(cast, cast.partner_a, ind, p, on=p.due, status="returned")
        elif n % 5 == 3:
            report(cast, cast.partner_a, ind, p, on=p.due - timedelta(days=2), status="draft")
        else:
            report(cast, cast.partner_a, ind, p, on=p.due - timedelta(days=5), status="approved")
        if n % 3 == 0:
            report(cast, cast.partner_b, ind, p, on=p.due)
        if p.start >= newcomer.joined_on and n % 2:
            report(cast, newcomer, ind, p, on=p.end + timedelta(days=1))
    return ind


def _reporting_by_hand(initiative, day: date) -> tuple[int, int, int, list]:
    periods = frame(
        'SELECT id, start, "end", due FROM measurement_period WHERE initiative_id = %s',
        [initiative.pk],
    )
    for column in ("start", "end", "due"):
        periods[column] = pd.to_datetime(periods[column]).dt.date
    periods["came_due"] = periods.due.where(periods.due.notna(), periods.end)
    periods = periods[periods.came_due < day]
    latest = periods.came_due.max()
    periods = periods[periods.came_due > latest - timedelta(days=365)]
    partners = frame(
        "SELECT id, joined_on FROM initiatives_partner WHERE initiative_id = %s AND status = %s",
        [initiative.pk, "active"],
    )
    partners["joined_on"] = pd.to_datetime(partners.joined_on).dt.date
    values = frame(
        """
        SELECT v.partner_id, v.period_id, v.status, s.submitted_at
        FROM measurement_datavalue v LEFT JOIN measurement_submission s ON s.id = v.submission_id
        WHERE v.initiative_id = %s
        """,
        [initiative.pk],
    )
    expected = received = on_time = 0
    for _, p in periods.iterrows():
        for _, partner in partners.iterrows():
            if partner.joined_on > p.end:
                continue
            expected += 1
            mine = values[(values.partner_id == partner.id) & (values.period_id == p.id)]
            if "returned" in set(mine.status):
                continue
            sent = mine[mine.status.isin(["submitted", "approved"])]
            if sent.empty:
                continue
            received += 1
            first = pd.to_datetime(sent.submitted_at, utc=True).min()
            if first.tz_convert(timezone.get_current_timezone_name()).date() <= p.due:
                on_time += 1
    return expected, received, on_time, sorted(periods.id)


def test_completeness_and_timeliness_over_the_latest_year_of_the_calendar(cast, calendar):
    expected, received, on_time, period_ids = _reporting_by_hand(cast.initiative, today())
    figures, periods = signals.reporting_figures(initiative=cast.initiative, today=today())
    assert sorted(p.pk for p in periods) == period_ids
    complete = signals.reporting_completeness(
        initiative=cast.initiative, today=today(), found=(figures, periods)
    )
    timely = signals.reporting_timeliness(initiative=cast.initiative, today=today())
    assert (complete.numerator, complete.denominator) == (received, expected)
    assert (timely.numerator, timely.denominator) == (on_time, expected)
    assert 0 < on_time < received < expected  # the fixture has every kind of report
    assert complete.share == pytest.approx(received / expected)
    assert complete.url == "/i/riverton/completeness/"


def test_a_calendar_between_rounds_is_judged_on_its_latest_year(cast):
    """Nothing came due in the last months: the latest year that did is measured."""
    ind = indicator(cast.initiative)
    old = [monthly_period(cast.initiative, n) for n in (30, 26, 24)]
    for p in old:
        report(cast, cast.partner_a, ind, p, on=p.due)
    found = signals.reporting_completeness(initiative=cast.initiative, today=today())
    assert (found.numerator, found.denominator) == (3, 6)  # 26 and 24 months back, and 30
    assert _reporting_by_hand(cast.initiative, today())[:2] == (6, 3)


def test_no_report_due_yet_measures_nothing(cast):
    found = signals.reporting_completeness(initiative=cast.initiative, today=today())
    assert found.share is None and found.period == "No report has come due yet"


# --- mutually reinforcing activities ------------------------------------------------------


@pytest.fixture
def plan(cast):
    i = cast.initiative
    goal = Goal.objects.create(initiative=i, title="Ready for school")
    s = [
        Strategy.objects.create(initiative=i, goal=goal, title=f"S{n}", position=n)
        for n in range(4)
    ]
    other = add_partner(cast, "Third Partner", joined_on=date(2023, 1, 1))

    def act(partner, strategies, status="active", starts=date(2024, 1, 1), ends=None):
        a = Activity.objects.create(
            initiative=i, partner=partner, name="A", starts_on=starts, ends_on=ends, status=status
        )
        a.strategies.set(strategies, through_defaults=keyed(a))

    act(cast.partner_a, [s[0]])
    act(cast.partner_b, [s[0], s[1]])  # overlaps A on S0
    act(other, [s[1]], starts=date(2026, 1, 1), ends=date(2026, 3, 1))  # overlaps B on S1
    act(cast.partner_a, [s[2]], ends=date(2024, 6, 30))
    act(other, [s[2]], starts=date(2024, 7, 1))  # the same strategy, after A's ended
    act(cast.partner_b, [s[3]], status="planned")  # S3: only a planned activity — a gap
    act(cast.partner_a, [s[1]])  # A twice on S1 with B: overlaps B again
    return s


def _plan_by_hand(initiative):
    acts = frame(
        "SELECT id, partner_id, status, starts_on, ends_on FROM activities_activity "
        "WHERE initiative_id = %s",
        [initiative.pk],
    )
    links = frame(
        "SELECT activity_id, strategy_id FROM activities_activity_strategies l "
        "JOIN activities_activity a ON a.id = l.activity_id WHERE a.initiative_id = %s",
        [initiative.pk],
    )
    strategies = frame("SELECT id FROM agenda_strategy WHERE initiative_id = %s", [initiative.pk])
    active = acts[acts.status == "active"]
    served = set(links[links.activity_id.isin(active.id)].strategy_id)
    by = {a: set(links[links.activity_id == a].strategy_id) for a in active.id}
    overlapping, pairs = set(), 0
    for (_, a), (_, b) in combinations(active.iterrows(), 2):
        a_end = pd.to_datetime(a.ends_on).date() if a.ends_on else date.max
        b_end = pd.to_datetime(b.ends_on).date() if b.ends_on else date.max
        a_start, b_start = pd.to_datetime(a.starts_on).date(), pd.to_datetime(b.starts_on).date()
        if (
            a.partner_id != b.partner_id
            and by[a.id] & by[b.id]
            and a_start <= b_end
            and b_start <= a_end
        ):
            overlapping |= {a.id, b.id}
            pairs += 1
    return (
        len(served & set(strategies.id)),
        len(strategies),
        len(active) - len(overlapping),
        len(active),
        pairs,
    )


def test_coverage_and_overlaps_match_the_activity_rows(cast, plan):
    served, total, free, active, pairs = _plan_by_hand(cast.initiative)
    coverage = signals.strategy_coverage(initiative=cast.initiative, today=today())
    clean = signals.activity_overlap_free(initiative=cast.initiative, today=today())
    assert (coverage.numerator, coverage.denominator) == (served, total) == (3, 4)
    assert (clean.numerator, clean.denominator) == (free, active)
    assert free < active
    assert coverage.url == "/i/riverton/activities/alignment/"
    assert clean.note == f"{pairs} overlapping pairs" and pairs == 4


# --- continuous communication -------------------------------------------------------------


@pytest.fixture
def talks(cast):
    """Meetings over the year: open and private, all-partners and of groups, with and without
    residents; one partner in health, which never comes."""
    clinic = add_partner(cast, "Clinic", joined_on=date(2023, 1, 1), sector="health")
    doctor = make_person("doctor@example.org", "Dee Doctor")
    initiatives.membership_grant(
        initiative=cast.initiative,
        person=doctor,
        role=Role.PARTNER_STEWARD,
        organisation=clinic.organisation,
    )
    reading = group(cast, "Reading", cast.steward_a, [cast.steward_a, cast.community])
    secret = group(cast, "Secret", cast.steward_b, [cast.steward_b], private=True)
    meeting(cast, ago(5), group=reading, came=[cast.steward_a, cast.community])
    meeting(cast, ago(40), came=[cast.steward_b])
    meeting(cast, ago(130), came=[cast.member_a, cast.community])
    meeting(cast, ago(200), group=secret, came=[cast.steward_b, cast.community])  # not open
    meeting(cast, ago(210), private=True, came=[cast.community])  # not open
    meeting(cast, ago(250))  # nobody recorded
    meeting(cast, ago(420), came=[cast.steward_a])  # more than a year ago
    meeting(cast, ago(-10))  # next week's
    return cast


def _open_meetings(initiative) -> pd.DataFrame:
    m = frame(
        """
        SELECT m.id, m.starts_at FROM communication_meeting m
        LEFT JOIN communication_workinggroup g ON g.id = m.group_id
        WHERE m.initiative_id = %s AND NOT m.is_private AND (g.id IS NULL OR NOT g.is_private)
        """,
        [initiative.pk],
    )
    zone = timezone.get_current_timezone_name()
    m["day"] = pd.to_datetime(m.starts_at, utc=True).dt.tz_convert(zone).dt.date
    first = today().replace(day=1)
    for _ in range(11):
        first = (first - timedelta(days=1)).replace(day=1)
    return m[(m.day >= first) & (m.day <= today())]


def _attendance(initiative) -> pd.DataFrame:
    return frame(
        """
        SELECT a.meeting_id, a.person_id, m.starts_at FROM communication_meeting_attendees a
        JOIN communication_meeting m ON m.id = a.meeting_id WHERE m.initiative_id = %s
        """,
        [initiative.pk],
    )


def test_meeting_months_match_the_meeting_rows(talks):
    meetings = _open_meetings(talks.initiative)
    months = {(d.year, d.month) for d in meetings.day}
    found = signals.meeting_regularity(initiative=talks.initiative, today=today())
    assert (found.numerator, found.denominator) == (len(months), 12)
    assert found.url == "/i/riverton/groups/"


def test_partner_attendance_in_the_last_quarter_matches_the_rows(talks):
    meetings = _open_meetings(talks.initiative)
    came = _attendance(talks.initiative)
    came = came[came.meeting_id.isin(meetings.id)]
    since = timezone.now() - timedelta(days=91)
    recent = came[pd.to_datetime(came.starts_at, utc=True) >= pd.Timestamp(since)]
    orgs = frame(
        "SELECT person_id, organisation_id FROM initiatives_membership "
        "WHERE initiative_id = %s AND organisation_id IS NOT NULL",
        [talks.initiative.pk],
    )
    active = frame(
        "SELECT organisation_id FROM initiatives_partner WHERE initiative_id = %s AND status = %s",
        [talks.initiative.pk, "active"],
    )
    attending = set(orgs[orgs.person_id.isin(recent.person_id)].organisation_id) & set(
        active.organisation_id
    )
    found = signals.partner_attendance(initiative=talks.initiative, today=today())
    assert (found.numerator, found.denominator) == (len(attending), len(active))
    assert (found.numerator, found.denominator) == (2, 3)


def test_sector_reach_matches_the_rows(talks):
    meetings = _open_meetings(talks.initiative)
    came = _attendance(talks.initiative)
    came = came[came.meeting_id.isin(meetings.id)]
    rows = frame(
        """
        SELECT m.person_id, o.sector FROM initiatives_membership m
        JOIN initiatives_organisation o ON o.id = m.organisation_id WHERE m.initiative_id = %s
        """,
        [talks.initiative.pk],
    )
    present = set(rows[rows.person_id.isin(came.person_id)].sector)
    sectors = set(
        frame(
            "SELECT o.sector FROM initiatives_partner p JOIN initiatives_organisation o "
            "ON o.id = p.organisation_id WHERE p.initiative_id = %s AND p.status = %s",
            [talks.initiative.pk, "active"],
        ).sector
    )
    found = signals.sector_reach(initiative=talks.initiative, today=today())
    assert (found.numerator, found.denominator) == (len(present & sectors), len(sectors))
    assert found.note == "Not seen: Health"


def test_community_presence_matches_the_rows(talks):
    meetings = _open_meetings(talks.initiative)
    came = _attendance(talks.initiative)
    came = came[came.meeting_id.isin(meetings.id)]
    residents = set(
        frame(
            "SELECT person_id FROM initiatives_membership WHERE initiative_id = %s AND role = %s",
            [talks.initiative.pk, "community_member"],
        ).person_id
    )
    held = came.meeting_id.unique()
    with_residents = came[came.person_id.isin(residents)].meeting_id.unique()
    found = signals.community_presence(initiative=talks.initiative, today=today())
    assert (found.numerator, found.denominator) == (len(with_residents), len(held)) == (2, 3)


# --- network: another app's figures --------------------------------------------------------


def test_network_signals_take_the_latest_wave_as_it_is(cast, monkeypatch):
    from backbone.health import sources

    wave = {
        "wave": "Spring 2026",
        "closed_on": date(2026, 5, 1),
        "density": 0.42,
        "trust_pct": 68.5,
    }
    monkeypatch.setattr(sources, "network_figures", lambda initiative: wave)
    density = signals.network_density(initiative=cast.initiative, today=today())
    trust = signals.network_trust(initiative=cast.initiative, today=today())
    assert (density.share, trust.share) == (0.42, pytest.approx(0.685))
    assert density.period == "Spring 2026, closed 1 May 2026"
    assert trust.figures == "Average trust 68%" or trust.figures == "Average trust 69%"
    monkeypatch.setattr(sources, "network_figures", lambda initiative: None)
    none = signals.network_density(initiative=cast.initiative, today=today())
    assert (none.share, none.period, none.url) == (None, "No network survey yet", None)


# --- backbone support ---------------------------------------------------------------------


def test_effort_spread_matches_the_effort_rows(framed):
    cast = framed
    hours = {  # role: hours in the last six months
        "guide_vision_and_strategy": 40,
        "support_aligned_activities": 30,
        "establish_shared_measurement_practices": 20,
        "build_public_will": 10,
        "advance_policy": 2,
    }
    for role, h in hours.items():
        task = BackboneTask.objects.create(
            initiative=cast.initiative, title=role, owner=cast.staff, role=role
        )
        EffortEntry.objects.create(task=task, person=cast.staff, worked_on=ago(3), hours=h)
        EffortEntry.objects.create(task=task, person=cast.staff, worked_on=ago(400), hours=500)
    rows = frame(
        """
        SELECT t.role, e.hours, e.worked_on FROM workplan_effortentry e
        JOIN workplan_backbonetask t ON t.id = e.task_id WHERE t.initiative_id = %s
        """,
        [cast.initiative.pk],
    )
    first = today().replace(day=1)
    for _ in range(5):
        first = (first - timedelta(days=1)).replace(day=1)
    rows["worked_on"] = pd.to_datetime(rows.worked_on).dt.date
    recent = rows[(rows.worked_on >= first) & (rows.worked_on <= today())]
    per_role = recent.groupby("role").hours.apply(lambda s: sum(Decimal(str(x)) for x in s))
    total = sum(per_role)
    fair = sum(1 for h in per_role if h >= total / 12)

    found = signals.effort_spread(initiative=cast.initiative, today=today())

    assert (found.numerator, found.denominator) == (fair, 6) == (4, 6)
    assert "Starved: Mobilise funding" in found.note


def test_funding_secured_matches_the_grant_rows(cast):
    year = today().year
    funder = Funder.objects.create(initiative=cast.initiative, name="Foundation")
    grants = [
        (Decimal("120000"), date(year, 1, 1), date(year, 12, 31), "received"),
        (Decimal("100000"), date(year - 1, 7, 1), date(year, 6, 30), "committed"),
        (Decimal("90000"), date(year, 1, 1), date(year, 12, 31), "asked"),
    ]
    for amount, starts, ends, status in grants:
        Grant.objects.create(
            initiative=cast.initiative,
            funder=funder,
            title="Grant",
            amount=amount,
            starts_on=starts,
            ends_on=ends,
            status=status,
        )
    BudgetYear.objects.create(
        initiative=cast.initiative, year=year, amount_needed=Decimal("400000")
    )
    secured = Decimal(0)
    for amount, starts, ends, status in grants:
        if status not in ("committed", "received"):
            continue
        days = (ends - starts).days + 1
        inside = (min(ends, date(year, 12, 31)) - max(starts, date(year, 1, 1))).days + 1
        secured += amount * inside / days

    found = signals.funding_secured(initiative=cast.initiative, today=today())

    assert found.numerator == secured.quantize(Decimal("0.01"))
    assert found.denominator == Decimal("400000")
    assert found.share == pytest.approx(float(secured / 400000), rel=1e-6)
    assert found.figures.startswith("USD ")


def test_no_budget_measures_no_funding(cast):
    assert signals.funding_secured(initiative=cast.initiative, today=today()).share is None
