"""The daily loop in a real browser: a steward is told her report is late, reports it from her
home page, the backbone approves it from theirs, the steward is told (in the app and by
e-mail) and the indicator's page shows the figure. Every page on the way passes axe-core."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from backbone.measurement.completeness.services import reminders_send
from backbone.measurement.models import DataValue, Period
from backbone.notifications.services import notifications_send
from tests.browser import serious_accessibility_violations, sign_in
from tests.e2e.test_measurement_journey import PASSWORD, check, go, reporting, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

__all__ = ["reporting"]  # the fixture, shared with the reporting journey


def _to(person) -> list:
    return [m for m in mail.outbox if person.email in m.to]


def test_a_report_goes_round_the_daily_loop(reporting, page):
    cast = reporting
    slug = cast.initiative.slug
    Period.objects.filter(initiative=cast.initiative, code="2024-01").update(due=date(2024, 2, 15))

    # The steward is told by e-mail that her organisation's report is late.
    reminders_send(initiative=cast.initiative, today=timezone.localdate())
    (reminder,) = _to(cast.steward_a)
    assert "Children Enrolled" in reminder.body and "List-Unsubscribe" in reminder.extra_headers

    # Her home page lists it; one click reaches the reporting page.
    sign_in(page, cast.steward_a.email, PASSWORD)
    late = page.get_by_role("link", name=re.compile(r"Riverton Public Library: .*late"))
    late.click()
    page.wait_for_load_state("networkidle")
    check(page, "loop-steward-reporting")
    page.get_by_role("link", name="Web form: Children Enrolled, Jan 2024").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("textbox", name="Riverton › North district Value").fill("12")
    page.get_by_role("textbox", name="Riverton › South district Value").fill("9")
    page.get_by_role("textbox", name="Total Value").fill("21")
    page.get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Submitted", exact=True).first.is_visible()
    sign_out(page)

    # The backbone's home counts it; one click reaches the queue, another the report.
    sign_in(page, cast.staff.email, PASSWORD)
    page.get_by_role("link", name="1 submission waits for approval").click()
    page.wait_for_load_state("networkidle")
    check(page, "loop-staff-queue")
    waiting = re.compile(r"^Submissions\W*1 waiting for you$")
    assert page.get_by_role("link", name=waiting).is_visible()
    page.locator("table tbody a").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Approved.").is_visible()
    assert page.get_by_role("link", name="Submissions", exact=True).is_visible()  # none waits
    assert not _to(cast.staff)  # the one who approves is not told of it
    sign_out(page)

    # The worker e-mails the steward; her navigation counts it and her list links to it.
    assert notifications_send().sent == 1
    (told,) = [m for m in _to(cast.steward_a) if m is not reminder]
    assert "was approved" in told.subject and told.extra_headers["List-Unsubscribe"]
    sign_in(page, cast.steward_a.email, PASSWORD)
    page.get_by_role("link", name=re.compile(r"^Notifications\W*1 unread$")).click()
    page.wait_for_load_state("networkidle")
    check(page, "loop-steward-notifications")
    page.get_by_role("link", name=re.compile("was approved")).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Approved", exact=True).first.is_visible()
    assert page.get_by_role("link", name="Notifications", exact=True).is_visible()

    # The indicator's page shows the approved figure.
    assert DataValue.objects.filter(status="approved").exists()
    go(page, f"/i/{slug}/scorecard/indicators/children-enrolled/?period=2024-01")
    assert page.get_by_text("21", exact=True).first.is_visible()
    assert serious_accessibility_violations(page) == []
