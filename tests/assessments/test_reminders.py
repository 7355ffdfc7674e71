"""Reminders go to those still to answer an open round: when it opens, weekly, on its last
two days — never twice in a day; an address that fails does not stop the others."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from backbone.assessments import services
from backbone.assessments.models import Respondent
from backbone.assessments.tasks import send_survey_reminders

from .conftest import answers_for, open_round

pytestmark = pytest.mark.integration


@pytest.fixture
def round_(cast, initiative, questionnaires):
    found = open_round(initiative, questionnaires["conditions"], days_ago=0, days_left=20)
    services.response_submit(round=found, person=cast.steward_b, answers=answers_for(found))
    return found


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_reminders_go_to_those_who_have_not_answered(cast, initiative, round_):
    summary = services.reminders_send(initiative=initiative)
    assert recipients() == {"steward.a@example.org", "member.a@example.org", "resident@example.org"}
    assert len(summary.sent) == 3 and not summary.failed
    message = next(m for m in mail.outbox if m.to == ["steward.a@example.org"])
    assert f"/i/riverton/assessments/rounds/{round_.uuid}/answer/" in message.body
    assert "anonymous" in message.body


def test_nobody_is_reminded_twice_in_a_day(cast, initiative, round_, as_role):
    services.reminders_send(initiative=initiative)
    services.reminders_send(initiative=initiative)
    as_role("staff").post(f"/i/riverton/assessments/rounds/{round_.uuid}/remind/")
    send_survey_reminders.call()
    assert len(mail.outbox) == 3


def test_reminders_repeat_weekly_and_on_the_last_two_days(cast, initiative, round_):
    today = timezone.localdate()
    sent_on = {}
    for day in range(0, 21):
        when = today + timedelta(days=day)
        for r in services.reminders_send(initiative=initiative, today=when).sent:
            sent_on.setdefault(r.person.email, []).append(day)
    assert sent_on["steward.a@example.org"] == [0, 7, 14, 19, 20]
    assert "steward.b@example.org" not in sent_on
    assert Respondent.objects.get(round=round_, person=cast.steward_a).reminders == 5


def test_no_reminder_after_answering_or_after_close(cast, initiative, round_):
    services.response_submit(round=round_, person=cast.steward_a, answers=answers_for(round_))
    services.reminders_send(initiative=initiative)
    assert "steward.a@example.org" not in recipients()
    mail.outbox.clear()
    services.round_close(round=round_)
    later = timezone.localdate() + timedelta(days=7)
    assert services.reminders_send(initiative=initiative, today=later).sent == []
    assert mail.outbox == []


def test_failing_address_does_not_stop_the_rest(cast, initiative, round_):
    real_send = EmailBackend.send_messages

    def send(self, messages):
        if any("member.a@example.org" in m.to for m in messages):
            raise OSError("550 mailbox unavailable")
        return real_send(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", send):
        summary = services.reminders_send(initiative=initiative)

    assert [r.person.email for r in summary.failed] == ["member.a@example.org"]
    assert recipients() == {"steward.a@example.org", "resident@example.org"}
    failed = Respondent.objects.get(round=round_, person=cast.member_a)
    assert failed.reminded_on is None  # tried again next run
    services.reminders_send(initiative=initiative)
    assert "member.a@example.org" in recipients()


def test_command_reports_what_it_sent(cast, initiative, round_):
    out = StringIO()
    call_command("send_survey_reminders", "--initiative", "riverton", stdout=out)
    assert out.getvalue().count("reminded ") == 3
