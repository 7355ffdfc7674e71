"""Engagement alerts at their boundaries: 89 days quiet is not yet quiet, 91 days is; a paused
partner and one that joined last month are never alerted; each signal alone."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from backbone.health import alerts, services, sources
from backbone.health.models import AlertSetting
from backbone.links import keyed
from backbone.measurement.models import Submission
from tests.assignments import assign_every_partner

from .conftest import (
    add_partner,
    ago,
    commitment,
    endorse,
    group,
    indicator,
    meeting,
    monthly_period,
    report,
    version,
)

pytestmark = pytest.mark.integration


def quiet(cast, signal=None):
    """Organisation name → its quiet signals (only `signal`'s when given)."""
    found = {}
    for a in alerts.engagement_alerts(initiative=cast.initiative, today=timezone.localdate()):
        signals = [q.signal for q in a.quiet if signal is None or q.signal == signal]
        if signals:
            found[a.partner.organisation.name] = signals
    return found


A, B = "Riverton Public Library", "Northside Food Bank"


# --- reporting ---------------------------------------------------------------------------


@pytest.fixture
def reporting(cast):
    """Partner A reported the month six months back and owes the one four months back, which
    is past due; partner B reported both."""
    ind = indicator(cast.initiative)
    assign_every_partner(cast.initiative)
    old, new = monthly_period(cast.initiative, 6), monthly_period(cast.initiative, 4)
    report(cast, cast.partner_b, ind, old, on=ago(150))
    report(cast, cast.partner_b, ind, new, on=ago(100))
    return ind, old, new


@pytest.mark.parametrize("days, is_quiet", [(89, False), (90, False), (91, True)])
def test_reporting_goes_quiet_after_90_days_without_values(cast, reporting, days, is_quiet):
    ind, old, _ = reporting
    report(cast, cast.partner_a, ind, old, on=ago(days))
    assert quiet(cast, "reporting") == ({A: ["reporting"]} if is_quiet else {})


def test_reporting_is_not_quiet_when_nothing_newer_is_owed(cast, reporting):
    """B sent its last report 100 days ago, but it was for the latest period that came due."""
    ind, old, _ = reporting
    report(cast, cast.partner_a, ind, old, on=ago(10))
    assert quiet(cast, "reporting") == {}


def test_drafts_and_backbone_corrections_are_not_reporting(cast, reporting):
    ind, old, new = reporting
    report(cast, cast.partner_a, ind, old, on=ago(120))
    report(cast, cast.partner_a, ind, new, on=ago(5), status="draft")
    fix = report(cast, cast.partner_a, ind, old, on=ago(3))
    Submission.objects.filter(pk=fix.pk).update(channel=Submission.Channel.CORRECTION)
    found = alerts.engagement_alerts(initiative=cast.initiative)
    (alert,) = found
    (q,) = alert.quiet
    assert (alert.partner, q.signal, q.since) == (cast.partner_a, "reporting", ago(120))
    assert "past due" in q.detail


def test_a_partner_that_never_reported_but_owes_is_quiet_since_never(cast, reporting):
    (q,) = alerts.engagement_alerts(initiative=cast.initiative)[0].quiet
    assert (q.signal, q.since, q.detail.startswith("Has never sent values")) == (
        "reporting",
        None,
        True,
    )


def test_a_report_not_yet_due_is_not_owed(cast):
    ind = indicator(cast.initiative)
    old = monthly_period(cast.initiative, 6)
    monthly_period(cast.initiative, 0, due_days=15)  # this month: not due yet
    report(cast, cast.partner_a, ind, old, on=ago(150))
    report(cast, cast.partner_b, ind, old, on=ago(150))
    assert quiet(cast, "reporting") == {}


# --- attending ---------------------------------------------------------------------------


@pytest.fixture
def meetings(cast):
    """Two all-partners meetings in the last 90 days; partner B came to both."""
    meeting(cast, ago(30), came=[cast.steward_b])
    meeting(cast, ago(60), came=[cast.steward_b])


@pytest.mark.parametrize("days, is_quiet", [(89, False), (91, True)])
def test_attending_goes_quiet_after_90_days_away(cast, meetings, days, is_quiet):
    meeting(cast, ago(days), came=[cast.member_a])  # someone of partner A
    assert quiet(cast, "attending") == ({A: ["attending"]} if is_quiet else {})


def test_one_missed_meeting_is_not_a_pattern(cast):
    meeting(cast, ago(30), came=[cast.steward_b])
    meeting(cast, ago(120), came=[cast.steward_a, cast.steward_b])
    assert quiet(cast, "attending") == {}


def test_a_partner_is_expected_only_at_its_groups_meetings(cast):
    reading = group(cast, "Reading team", cast.steward_b, [cast.steward_b])
    meeting(cast, ago(20), group=reading, came=[cast.steward_b])
    meeting(cast, ago(40), group=reading, came=[cast.steward_b])
    assert quiet(cast, "attending") == {}  # A sits in no group: not expected
    reading.members.add(cast.member_a, through_defaults=keyed(reading))
    assert quiet(cast, "attending") == {A: ["attending"]}


def test_future_meetings_expect_nothing(cast):
    meeting(cast, ago(-5))
    meeting(cast, ago(-35))
    assert quiet(cast, "attending") == {}


# --- voting and surveys: readers of other apps, replaced here ------------------------------


def _at(days):
    return timezone.now() - timedelta(days=days)


@pytest.mark.parametrize(
    "reader, signal", [("last_votes", "voting"), ("last_survey_answers", "surveys")]
)
@pytest.mark.parametrize("days, is_quiet", [(89, False), (91, True)])
def test_taking_part_goes_quiet_while_others_still_do(
    cast, monkeypatch, reader, signal, days, is_quiet
):
    found = {cast.org_a.pk: _at(days), cast.org_b.pk: _at(10)}
    monkeypatch.setattr(sources, reader, lambda initiative: found)
    assert quiet(cast, signal) == ({A: [signal]} if is_quiet else {})


@pytest.mark.parametrize(
    "reader, signal", [("last_votes", "voting"), ("last_survey_answers", "surveys")]
)
def test_nobody_taking_part_lately_alerts_nobody(cast, monkeypatch, reader, signal):
    monkeypatch.setattr(
        sources, reader, lambda initiative: {cast.org_a.pk: _at(300), cast.org_b.pk: _at(200)}
    )
    assert quiet(cast, signal) == {}


def test_a_partner_that_never_voted_has_not_stopped(cast, monkeypatch):
    monkeypatch.setattr(sources, "last_votes", lambda initiative: {cast.org_b.pk: _at(1)})
    assert quiet(cast, "voting") == {}


def test_without_the_readers_there_is_no_vote_or_survey_signal(cast, monkeypatch):
    for module in (
        "backbone.decisions.selectors",
        "backbone.assessments.selectors",
        "backbone.network.selectors",
    ):
        monkeypatch.setitem(sys.modules, module, None)  # importing it now fails
    assert sources.last_votes(cast.initiative) is None
    assert sources.last_survey_answers(cast.initiative) is None
    assert sources.assessment_scores(cast.initiative) is None
    assert sources.network_figures(cast.initiative) is None
    assert alerts.engagement_alerts(initiative=cast.initiative) == []


def test_surveys_take_the_later_of_the_two_readers(cast, monkeypatch):
    import backbone.assessments.selectors as assessed
    import backbone.network.selectors as surveyed

    monkeypatch.setattr(
        assessed, "last_answer_by_organisation", lambda i: {cast.org_a.pk: _at(200)}
    )
    monkeypatch.setattr(
        surveyed,
        "last_answer_by_organisation",
        lambda i: {cast.org_a.pk: _at(50), cast.org_b.pk: _at(5)},
    )
    assert sources.last_survey_answers(cast.initiative) == {
        cast.org_a.pk: pytest.approx(_at(50), abs=timedelta(seconds=5)),
        cast.org_b.pk: pytest.approx(_at(5), abs=timedelta(seconds=5)),
    }


# --- commitments and endorsing -----------------------------------------------------------


@pytest.mark.parametrize("days, is_quiet", [(89, False), (91, True)])
def test_commitments_go_quiet_after_90_days_without_progress(cast, days, is_quiet):
    commitment(cast.partner_a, starts_on=ago(300), updates=[ago(200), ago(days)])
    assert quiet(cast, "commitments") == ({A: ["commitments"]} if is_quiet else {})


def test_done_commitments_and_new_ones_ask_for_no_progress(cast):
    commitment(cast.partner_a, starts_on=ago(400), status="done", updates=[ago(300)])
    commitment(cast.partner_b, starts_on=ago(30))
    assert quiet(cast, "commitments") == {}


@pytest.mark.parametrize("days, is_quiet", [(89, False), (91, True)])
def test_not_endorsing_the_current_version_90_days_on(cast, days, is_quiet):
    v1 = version(cast.initiative, 1, ago(400))
    endorse(v1, cast.partner_a, ago(398))
    v2 = version(cast.initiative, 2, ago(days))
    endorse(v2, cast.partner_b, ago(days - 1))
    assert quiet(cast, "endorsing") == ({A: ["endorsing"]} if is_quiet else {})


def test_a_partner_that_never_endorsed_has_not_stopped(cast):
    version(cast.initiative, 1, ago(400))
    assert quiet(cast, "endorsing") == {}


# --- who is alerted ----------------------------------------------------------------------


@pytest.fixture
def everything_quiet(cast, reporting):
    """Partner A and two more partners, quiet on commitments and reporting."""
    for p in (cast.partner_a, cast.partner_b):
        commitment(p, starts_on=ago(300), updates=[ago(120)])
    return cast


def test_paused_and_withdrawn_partners_are_not_alerted(everything_quiet):
    cast = everything_quiet
    assert set(quiet(cast)) == {A, B}
    cast.partner_a.status = "paused"
    cast.partner_a.save()
    cast.partner_b.status = "withdrawn"
    cast.partner_b.save()
    assert quiet(cast) == {}


@pytest.mark.parametrize("days_into_the_period, alerted", [(0, True), (1, False), (10, False)])
def test_a_partner_owes_a_period_only_if_it_was_there_from_its_start(
    cast, reporting, days_into_the_period, alerted
):
    """The rule of completeness (`owes`): the latest period that came due is four months back;
    a partner that joined after it began owes nothing yet, so it is not quiet about it."""
    _, _, latest = reporting
    add_partner(cast, "New Partner", joined_on=latest.start + timedelta(days=days_into_the_period))
    assert ("New Partner" in quiet(cast, "reporting")) == alerted


@pytest.mark.parametrize(
    "joined_days_ago, alerted", [(30, False), (89, False), (90, True), (91, True)]
)
def test_a_partner_that_joined_lately_has_had_no_time_to_go_quiet(cast, joined_days_ago, alerted):
    newcomer = add_partner(cast, "New Partner", joined_on=ago(joined_days_ago))
    commitment(newcomer, starts_on=ago(400), updates=[ago(300)])
    assert ("New Partner" in quiet(cast)) == alerted


def test_flags_name_each_signal_and_since_when_quietest_first(everything_quiet):
    cast = everything_quiet
    found = alerts.engagement_alerts(initiative=cast.initiative)
    assert [a.partner for a in found] == [cast.partner_a, cast.partner_b]
    assert [(q.signal, q.since) for q in found[0].quiet] == [
        ("reporting", None),
        ("commitments", ago(120)),
    ]
    assert [(q.signal, q.since) for q in found[1].quiet] == [("commitments", ago(120))]


def test_the_backbone_sets_the_quiet_days(cast):
    commitment(cast.partner_a, starts_on=ago(300), updates=[ago(45)])
    assert quiet(cast) == {}
    services.alert_setting_save(initiative=cast.initiative, quiet_after_days=30, by=cast.staff)
    assert alerts.quiet_after_days(cast.initiative) == 30
    assert quiet(cast) == {A: ["commitments"]}


@pytest.mark.parametrize("days", [13, 731])
def test_quiet_days_out_of_range_are_refused_and_nothing_saved(cast, days):
    with pytest.raises(ValidationError) as caught:
        services.alert_setting_save(initiative=cast.initiative, quiet_after_days=days)
    assert "quiet_after_days" in caught.value.message_dict
    assert not AlertSetting.objects.exists()
    assert alerts.quiet_after_days(cast.initiative) == 90
