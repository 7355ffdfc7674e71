"""Completeness figures, checked against the same figures recomputed with pandas from the raw
rows of values, submissions, periods, partners and assignments; and the rules one by one."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from django.conf import settings

from backbone.initiatives.models import Partner
from backbone.measurement.completeness import selectors
from backbone.measurement.completeness.models import ReportingAssignment
from backbone.measurement.completeness.selectors import MISSING, RECEIVED, RETURNED, completeness
from backbone.measurement.completeness.services import assignments_set
from backbone.measurement.models import DataValue, Indicator, Period, Submission
from tests.conftest import build_cast
from tests.snapshots import once_per_session

from .conftest import TODAY, add_partner, at, dated_period, indicator, send

pytestmark = pytest.mark.integration

OUTCOMES = ["none", "draft", "on_time", "due_day", "late", "approved", "approved_late", "returned"]


def _generated_alone():
    cast = build_cast()
    return cast, build_generated(cast)


generated_snapshot = once_per_session(_generated_alone)


@pytest.fixture
def cast_and_generated(db, generated_snapshot):
    """The cast and its generated reports, built once a session."""
    return generated_snapshot.restore()


def build_generated(cast):
    """Four active partners (B joined in February 2024), one paused; three monthly and two
    quarterly indicators, one of them reported by two assigned partners only; six months and
    two quarters with due dates, a month without one, a closed month before everything."""
    i = cast.initiative
    rng = random.Random(20240720)
    c = add_partner(cast, "Eastside Clinic")
    d = add_partner(cast, "Harbor Youth Club")
    paused = add_partner(cast, "Paused Partner", status="paused")
    partners = [cast.partner_a, cast.partner_b, c, d, paused]
    monthly = [indicator(i, code, "month") for code in ("enrolled", "visits", "meals")]
    quarterly = [indicator(i, code, "quarter") for code in ("readiness", "attendance")]
    restricted = monthly[2]
    assignments_set(initiative=i, reporters={restricted: [cast.partner_a, c]}, by=cast.staff)
    months = [dated_period(i, "month", date(2024, m, 1)) for m in range(1, 7)]
    quarters = [
        dated_period(i, "quarter", date(2024, 1, 1), due_days=30),
        dated_period(i, "quarter", date(2024, 4, 1), due_days=30),  # due 30 Jul: not yet
    ]
    undated = dated_period(i, "month", date(2024, 7, 1), due_days=None)
    periods = [*months, *quarters, undated]
    for period in periods:
        for ind in monthly if period.kind == "month" else quarterly:
            for partner in partners:
                outcome = rng.choice(OUTCOMES)
                if outcome == "none":
                    continue
                due = period.due or period.end
                day = {
                    "on_time": due - timedelta(days=3),
                    "due_day": due,
                    "late": due + timedelta(days=4),
                    "approved": due - timedelta(days=1),
                    "approved_late": due + timedelta(days=1),
                    "returned": due - timedelta(days=2),
                }.get(outcome)
                status = {"on_time": "submitted", "due_day": "submitted", "late": "submitted"}
                send(
                    cast,
                    partner,
                    ind,
                    period,
                    status=status.get(outcome, outcome.removesuffix("_late")),
                    on=at(day, 23, 30) if day else None,
                )
    # A report returned, then sent again in full after the due date.
    send(cast, c, monthly[0], months[0], status="returned", on=at(date(2024, 2, 10)))
    send(cast, c, monthly[0], months[0], on=at(date(2024, 2, 20)))
    old = make_closed_month(cast)
    return {"partners": partners, "periods": periods, "restricted": restricted, "closed": old}


def make_closed_month(cast) -> Period:
    """A closed month without a due date: not among the default periods."""
    period = dated_period(cast.initiative, "month", date(2023, 12, 1), due_days=None)
    Period.objects.filter(pk=period.pk).update(status="closed")
    return period


# --- the same figures, with pandas ----------------------------------------------------


def frame(qs, *fields) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(qs.values(*fields)), columns=list(fields))


def expected_reports(initiative, today: date) -> pd.DataFrame:
    """Every expected report with its state and lateness, from raw rows."""
    periods = frame(
        Period.objects.filter(initiative=initiative), "id", "kind", "start", "end", "due", "status"
    )
    shown = [
        status == "open" or (due is not None and due < today)
        for status, due in zip(periods.status, periods.due, strict=True)
    ]
    periods = periods[shown].drop(columns="status").rename(columns={"id": "period_id"})
    indicators = frame(Indicator.objects.filter(initiative=initiative), "id", "frequency")
    partners = frame(Partner.objects.filter(initiative=initiative), "id", "status", "joined_on")
    partners = partners.rename(columns={"id": "partner_id", "status": "partner_status"})
    assigned = frame(
        ReportingAssignment.objects.filter(initiative=initiative), "indicator_id", "partner_id"
    )
    grid = periods.merge(
        indicators.rename(columns={"id": "indicator_id"}), left_on="kind", right_on="frequency"
    ).merge(partners, how="cross")
    # A partner owes the periods that start on or after the day it joined.
    grid = grid[(grid.partner_status == "active") & (grid.joined_on <= grid.start)]
    restricted = set(assigned.indicator_id)
    pairs = set(zip(assigned.indicator_id, assigned.partner_id, strict=True))
    keep = [
        ind not in restricted or (ind, par) in pairs
        for ind, par in zip(grid.indicator_id, grid.partner_id, strict=True)
    ]
    keys = ["partner_id", "indicator_id", "period_id"]
    grid = grid[keep][[*keys, "due"]]

    fields = [*keys, "status", "submission_id", "updated_at"]
    values = frame(DataValue.objects.filter(initiative=initiative), *fields)
    subs = frame(Submission.objects.filter(initiative=initiative), "id", "submitted_at")
    values = values.merge(subs, left_on="submission_id", right_on="id", how="left")
    values["when"] = pd.to_datetime(values.submitted_at, utc=True).fillna(
        pd.to_datetime(values.updated_at, utc=True)
    )
    values["is_returned"] = values.status == "returned"
    values["is_received"] = values.status.isin(["submitted", "approved"])
    values["received_when"] = values["when"].where(values.is_received)
    per_report = (
        values.groupby(keys)
        .agg(
            any_returned=("is_returned", "any"),
            any_received=("is_received", "any"),
            received_at=("received_when", "min"),
        )
        .reset_index()
    )
    reports = grid.merge(per_report, on=keys, how="left")
    returned = reports.any_returned.eq(True)
    received = reports.any_received.eq(True) & ~returned
    reports["state"] = [
        RETURNED if ret else RECEIVED if rec else MISSING
        for ret, rec in zip(returned, received, strict=True)
    ]

    def late(row) -> bool:
        if row.due is None or pd.isna(row.due):
            return False
        if row.state == RECEIVED:
            return row.received_at.tz_convert(settings.TIME_ZONE).date() > row.due
        return today > row.due

    reports["late"] = [late(row) for row in reports.itertuples()]
    reports["received"] = reports.state == RECEIVED
    reports["on_time"] = reports.received & ~reports.late
    reports["missing"] = reports.state == MISSING
    reports["returned"] = reports.state == RETURNED
    return reports


FIGURES = ["expected", "received", "on_time", "late", "missing", "returned"]


def figures_of(reports: pd.DataFrame, by: str | None) -> dict:
    counted = reports.assign(expected=1)[[*FIGURES] + ([by] if by else [])]
    counted = counted.astype({f: int for f in FIGURES})
    if by is None:
        return {None: tuple(int(counted[f].sum()) for f in FIGURES)}
    sums = counted.groupby(by)[FIGURES].sum()
    return {key: tuple(int(v) for v in row) for key, row in sums.iterrows()}


def as_tuples(figures: dict) -> dict:
    return {k: tuple(getattr(f, name) for name in FIGURES) for k, f in figures.items()}


def test_figures_match_an_independent_count_with_pandas(cast_and_generated):
    cast, generated = cast_and_generated
    found = completeness(initiative=cast.initiative, today=TODAY)
    reports = expected_reports(cast.initiative, TODAY)
    assert len(found.reports) == len(reports) > 50
    assert {r.key: r.state for r in found.reports} == {
        (row.partner_id, row.indicator_id, row.period_id): row.state for row in reports.itertuples()
    }
    assert {r.key for r in found.reports if r.is_late} == {
        (row.partner_id, row.indicator_id, row.period_id)
        for row in reports.itertuples()
        if row.late
    }
    assert as_tuples({None: found.overall}) == figures_of(reports, None)
    assert as_tuples(found.by_partner) == figures_of(reports, "partner_id")
    assert as_tuples(found.by_indicator) == figures_of(reports, "indicator_id")
    assert as_tuples(found.by_period) == figures_of(reports, "period_id")


def test_figures_cover_every_state_and_both_kinds_of_lateness(cast_and_generated):
    cast, generated = cast_and_generated
    found = completeness(initiative=cast.initiative, today=TODAY)
    states = {r.state for r in found.reports}
    assert states == {MISSING, RECEIVED, RETURNED}
    assert any(r.is_late and r.is_received for r in found.reports)
    assert any(r.is_late and not r.is_received for r in found.reports)
    assert found.overall.expected == (
        found.overall.received + found.overall.missing + found.overall.returned
    )
    assert found.overall.share_received == found.overall.received / found.overall.expected


def test_default_periods_are_open_or_past_due_newest_first(cast_and_generated):
    cast, generated = cast_and_generated
    found = completeness(initiative=cast.initiative, today=TODAY)
    assert generated["closed"] not in found.periods
    assert [p.end for p in found.periods] == sorted((p.end for p in found.periods), reverse=True)
    assert set(found.periods) == set(generated["periods"])


def test_paused_partners_owe_nothing(cast_and_generated):
    cast, generated = cast_and_generated
    paused = generated["partners"][-1]
    found = completeness(initiative=cast.initiative, today=TODAY)
    assert paused.pk not in found.by_partner
    assert paused not in found.partners


def test_an_assigned_indicator_is_expected_only_from_its_partners(cast_and_generated):
    cast, generated = cast_and_generated
    restricted = generated["restricted"]
    found = completeness(initiative=cast.initiative, today=TODAY)
    reporters = {r.partner for r in found.reports if r.indicator == restricted}
    assert reporters == {cast.partner_a, generated["partners"][2]}
    others = {r.partner for r in found.reports if r.indicator.code == "enrolled"}
    assert others == set(generated["partners"][:4])


def test_a_report_resubmitted_after_its_due_date_is_late(cast_and_generated):
    cast, generated = cast_and_generated
    c = generated["partners"][2]
    found = completeness(initiative=cast.initiative, today=TODAY)
    (report,) = [
        r
        for r in found.reports
        if r.partner == c and r.indicator.code == "enrolled" and r.period.code == "2024-01"
    ]
    assert report.state == RECEIVED
    assert report.is_late


# --- the rules one at a time ------------------------------------------------------------


def one(cast, monthly, partner=None, today=TODAY):
    found = completeness(
        initiative=cast.initiative, periods=[monthly.jan], partner=partner, today=today
    )
    return {r.partner: r for r in found.reports}


def test_report_sent_on_the_due_day_is_on_time(cast, monthly):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, on=at(date(2024, 2, 15), 23, 59))
    report = one(cast, monthly)[cast.partner_a]
    assert report.state == RECEIVED
    assert report.on_time
    assert not report.is_late


def test_report_sent_the_day_after_the_due_date_is_late(cast, monthly):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, on=at(date(2024, 2, 16), 0, 1))
    report = one(cast, monthly)[cast.partner_a]
    assert report.state == RECEIVED
    assert report.is_late


def test_due_day_is_read_in_the_site_time_zone(cast, monthly, settings):
    settings.TIME_ZONE = "America/Chicago"
    # 03:00 in UTC on the 16th is still the evening of the 15th in Chicago.
    moment = datetime(2024, 2, 16, 3, 0, tzinfo=UTC)
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, on=moment)
    assert one(cast, monthly)[cast.partner_a].on_time


def test_missing_report_is_late_only_after_its_due_date(cast, monthly):
    on_due_day = one(cast, monthly, today=date(2024, 2, 15))[cast.partner_a]
    day_after = one(cast, monthly, today=date(2024, 2, 16))[cast.partner_a]
    assert on_due_day.state == day_after.state == MISSING
    assert not on_due_day.is_late
    assert day_after.is_late


def test_only_drafts_is_missing(cast, monthly):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, status="draft")
    report = one(cast, monthly)[cast.partner_a]
    assert report.state == MISSING
    assert report.received_at is None


def test_returned_report_carries_the_comment_and_is_not_received(cast, monthly):
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, status="returned", comment="Recount")
    report = one(cast, monthly)[cast.partner_a]
    assert report.state == RETURNED
    assert report.comment == "Recount"
    assert report.is_late  # not received, past its due date


def test_partner_joined_mid_way_owes_nothing_for_earlier_periods(cast, monthly):
    # partner B joined on 1 February 2024
    found = completeness(
        initiative=cast.initiative, periods=[monthly.jan, monthly.feb, monthly.mar], today=TODAY
    )
    owed_by_b = {r.period for r in found.reports if r.partner == cast.partner_b}
    owed_by_a = {r.period for r in found.reports if r.partner == cast.partner_a}
    assert owed_by_b == {monthly.feb, monthly.mar}
    assert owed_by_a == {monthly.jan, monthly.feb, monthly.mar}


def test_values_from_a_partner_not_expected_are_not_counted(cast, monthly):
    send(cast, cast.partner_b, monthly.enrolled, monthly.jan)  # before B joined
    found = completeness(initiative=cast.initiative, periods=[monthly.jan], today=TODAY)
    assert [r.partner for r in found.reports] == [cast.partner_a]
    assert found.overall.received == 0


def test_a_period_without_due_date_is_never_late(cast, monthly):
    Period.objects.filter(pk=monthly.jan.pk).update(due=None)
    monthly.jan.refresh_from_db()
    assert not one(cast, monthly, today=date(2030, 1, 1))[cast.partner_a].is_late


def test_clearing_assignments_expects_the_indicator_from_nobody(cast, monthly):
    """Until staff say who reports what, nobody is late: a new initiative does not open on
    every partner missing every report."""
    i = cast.initiative
    assignments_set(initiative=i, reporters={monthly.enrolled: [cast.partner_a]}, by=cast.staff)
    assert set(one(cast, monthly, today=date(2024, 3, 1))) == {cast.partner_a}
    feb = completeness(initiative=i, periods=[monthly.feb], today=TODAY)
    assert {r.partner for r in feb.reports} == {cast.partner_a}
    assignments_set(initiative=i, reporters={monthly.enrolled: []}, by=cast.staff)
    feb = completeness(initiative=i, periods=[monthly.feb], today=TODAY)
    assert feb.reports == []
    assert selectors.unassigned_indicators(initiative=i) == [monthly.enrolled]


def test_completeness_of_one_partner_lists_only_its_reports(cast, monthly):
    found = completeness(
        initiative=cast.initiative,
        periods=[monthly.jan, monthly.feb],
        partner=cast.partner_b,
        today=TODAY,
    )
    assert {r.partner for r in found.reports} == {cast.partner_b}
    assert found.partners == [cast.partner_b]


def test_shares_of_no_expected_reports_are_none():
    f = selectors.Figures()
    assert f.share_received is None
    assert f.percent_on_time is None


def test_a_partner_owes_only_the_periods_that_start_once_it_has_joined():
    from types import SimpleNamespace

    from backbone.measurement.completeness.selectors import owes

    partner = SimpleNamespace(status="active", joined_on=date(2025, 3, 30), pk=1)

    def period(start, end):
        return SimpleNamespace(start=start, end=end)

    assert not owes(partner, period(date(2025, 3, 1), date(2025, 3, 31)), {1})
    assert not owes(partner, period(date(2025, 1, 1), date(2025, 3, 31)), {1})
    assert owes(partner, period(date(2025, 4, 1), date(2025, 4, 30)), {1})
    assert owes(partner, period(date(2025, 3, 30), date(2025, 3, 30)), {1})
    assert not owes(partner, period(date(2025, 4, 1), date(2025, 4, 30)), {2})
    assert not owes(partner, period(date(2025, 4, 1), date(2025, 4, 30)), None)
