"""A report whose value is blank with a reason is the partner's answer: received, on time
when sent on time, and counted in the figures like any other report."""

from __future__ import annotations

from datetime import date

import pytest

from backbone.measurement.completeness.selectors import RECEIVED, completeness
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import Submission
from backbone.measurement.reporting import partner_reports

from .conftest import at

pytestmark = pytest.mark.integration


def send_blank(cast, monthly, *, on):
    submission = Intake(
        initiative=cast.initiative, by=cast.steward_a, channel="web", partner=cast.partner_a
    ).submit([Reported(monthly.enrolled.code, monthly.jan.code, {}, missing="not_collected")])
    Submission.objects.filter(pk=submission.pk).update(submitted_at=on)


def test_a_blank_with_a_reason_is_a_report_received_on_time(cast, monthly):
    send_blank(cast, monthly, on=at(date(2024, 2, 10)))

    found = completeness(initiative=cast.initiative, periods=[monthly.jan], today=date(2024, 3, 1))

    report = next(r for r in found.reports if r.partner == cast.partner_a)
    assert report.state == RECEIVED and report.on_time and not report.is_late
    assert found.by_partner[cast.partner_a.pk].received == 1
    assert found.by_partner[cast.partner_a.pk].missing == 0


def test_a_blank_with_a_reason_sent_late_is_late_not_missing(cast, monthly):
    send_blank(cast, monthly, on=at(date(2024, 2, 20)))

    found = completeness(initiative=cast.initiative, periods=[monthly.jan], today=date(2024, 3, 1))

    report = next(r for r in found.reports if r.partner == cast.partner_a)
    assert report.state == RECEIVED and report.is_late


def test_the_reporting_overview_counts_it_as_sent(cast, monthly):
    send_blank(cast, monthly, on=at(date(2024, 2, 10)))

    reports = dict(partner_reports(initiative=cast.initiative, partner=cast.partner_a))

    (jan,) = [r for r in reports[monthly.jan] if r.indicator == monthly.enrolled]
    assert (jan.status, jan.value_count, jan.is_late) == ("submitted", 1, False)
