"""Home lists what of the shared measurement waits for each person: submissions to approve for
those who approve, their own organisations' late, returned and due reports for those who
report, with links to the pages that do it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from backbone.measurement import approval
from backbone.measurement import reporting as selectors
from backbone.measurement.waiting import waiting_for

from .conftest import enrolled_rows, send

pytestmark = pytest.mark.integration


def _home(as_role, role) -> str:
    return as_role(role).get("/").content.decode()


def _late(cast, partner) -> int:
    today = timezone.localdate()
    reports = selectors.partner_reports(initiative=cast.initiative, partner=partner, today=today)
    return sum(r.is_late for _, rows in reports for r in rows)


def test_staff_home_counts_the_submissions_waiting_for_approval(cast, reporting, as_role):
    assert "wait for approval" not in _home(as_role, "staff")
    first = send(cast, enrolled_rows(period="2024-01"))
    second = send(cast, enrolled_rows(period="2024-02"), partner="b")
    html = _home(as_role, "staff")
    assert "2 submissions wait for approval" in html
    link = re.search(r'href="([^"]*submissions/\?status=submitted)"', html).group(1)
    page = as_role("staff").get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    assert str(first.uuid) in page.content.decode() and str(second.uuid) in page.content.decode()
    approval.submission_approve(submission=first, by=cast.staff)
    assert "1 submission waits for approval" in _home(as_role, "staff")
    approval.submission_approve(submission=second, by=cast.staff)
    assert "for approval" not in _home(as_role, "staff")


def test_a_steward_home_counts_their_late_reports_and_links_to_reporting(cast, reporting, as_role):
    late = _late(cast, cast.partner_a)
    assert late, "the fixture has a report past its due date"
    html = _home(as_role, "steward_a")
    name = cast.partner_a.organisation.name
    assert f"{name}: {late} report{'s' if late > 1 else ''} late" in html
    assert cast.partner_b.organisation.name + ":" not in html  # not their organisation
    link = re.search(r'href="([^"]*/measurement/report/\?partner=[^"]*)"', html).group(1)
    assert as_role("steward_a").get(link).status_code == 200
    send(cast, enrolled_rows(period="2024-01"))
    assert _late(cast, cast.partner_a) == late - 1
    returned = send(cast, enrolled_rows(period="2024-02"))
    approval.submission_return(submission=returned, by=cast.staff, comment="Check south")
    html = _home(as_role, "steward_a")
    assert "report returned" in html or "reports returned" in html


@pytest.mark.parametrize("role", ["community", "funder", "evaluator"])
def test_readers_who_neither_approve_nor_report_are_asked_for_nothing(cast, reporting, role):
    send(cast, enrolled_rows(period="2024-01"))
    assert waiting_for(cast.person(role), [cast.initiative]) == []
