"""Reminder e-mails: one per partner to its stewards, each report reminded once, a failed
send retried on the next run without stopping the others, and a dry run that does nothing."""

from __future__ import annotations

import smtplib
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command

from backbone.initiatives.models import Membership
from backbone.initiatives.roles import Role
from backbone.measurement.completeness.models import ReminderSent
from backbone.measurement.completeness.services import reminders_send
from backbone.measurement.models import Period

from .conftest import A, send

pytestmark = pytest.mark.integration

TODAY = date(2024, 3, 10)  # January is overdue, February due on 15 March, March not yet
REFUSED = "steward.b@example.org"


class RefusingBackend(locmem.EmailBackend):
    """The in-memory outbox, except that one address is refused as an SMTP server would."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"No such mailbox")})
        return super().send_messages(messages)


@pytest.fixture
def owed(cast, monthly):
    """A owes January (returned) and February (missing); B owes February (missing) — it joined
    in February — and sent March early."""
    send(cast, cast.partner_a, monthly.enrolled, monthly.jan, status="returned", comment="Recount")
    send(cast, cast.partner_b, monthly.enrolled, monthly.mar)
    return monthly


def sent_keys():
    return set(ReminderSent.objects.values_list("partner__organisation__slug", "period__code"))


def test_each_partner_gets_one_email_listing_what_it_owes(cast, owed, mailoutbox):
    summary = reminders_send(initiative=cast.initiative, today=TODAY)
    assert summary.reports_reminded == 3
    assert len(mailoutbox) == 2
    by_recipient = {tuple(m.to): m for m in mailoutbox}
    to_a = by_recipient[("steward.a@example.org",)]
    assert ("steward.b@example.org",) in by_recipient
    assert "2 reports" in to_a.subject
    assert "Children Enrolled, Jan 2024: returned to you with the comment “Recount”" in to_a.body
    assert "overdue since 15 February 2024" in to_a.body
    assert "Children Enrolled, Feb 2024: not sent yet; due 15 March 2024" in to_a.body
    assert "Mar 2024" not in to_a.body
    link = django_settings.SITE_URL.rstrip("/") + f"/i/riverton/completeness/{A}/"
    assert link in to_a.body
    assert "&amp;" not in to_a.body
    assert sent_keys() == {
        (A, "2024-01"),
        (A, "2024-02"),
        ("northside-food-bank", "2024-02"),
    }


def test_running_twice_emails_nobody_twice(cast, owed, mailoutbox):
    reminders_send(initiative=cast.initiative, today=TODAY)
    again = reminders_send(initiative=cast.initiative, today=TODAY)
    assert again.sent == [] and again.failed == []
    assert len(mailoutbox) == 2
    assert ReminderSent.objects.count() == 3


def test_a_later_run_reminds_only_reports_newly_due(cast, owed, mailoutbox):
    reminders_send(initiative=cast.initiative, today=TODAY)
    later = reminders_send(initiative=cast.initiative, today=date(2024, 4, 10))
    assert [(r.partner, [x.period.code for x in r.reports]) for r in later.sent] == [
        (cast.partner_a, ["2024-03"])
    ]
    assert len(mailoutbox) == 3


def test_a_failing_recipient_does_not_stop_the_others(cast, owed, mailoutbox, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    summary = reminders_send(initiative=cast.initiative, today=TODAY)
    assert [r.partner for r in summary.failed] == [cast.partner_b]
    assert [r.partner for r in summary.sent] == [cast.partner_a]
    assert [m.to for m in mailoutbox] == [["steward.a@example.org"]]
    assert sent_keys() == {(A, "2024-01"), (A, "2024-02")}
    assert "Could not send the report reminder to Northside Food Bank" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry = reminders_send(initiative=cast.initiative, today=TODAY)
    assert [r.partner for r in retry.sent] == [cast.partner_b]
    assert mailoutbox[-1].to == [REFUSED]


def test_dry_run_sends_and_records_nothing(cast, owed, mailoutbox):
    summary = reminders_send(initiative=cast.initiative, today=TODAY, dry_run=True)
    assert summary.reports_reminded == 3
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_members_are_emailed_when_the_partner_has_no_steward(cast, owed, mailoutbox):
    Membership.objects.filter(person=cast.steward_a).delete()
    summary = reminders_send(initiative=cast.initiative, today=TODAY)
    by_partner = {r.partner: r for r in summary.sent}
    assert by_partner[cast.partner_a].recipients == ["member.a@example.org"]
    assert by_partner[cast.partner_a].role == Role.PARTNER_MEMBER
    assert "as a partner member of Riverton Public Library" in mailoutbox[-1].body


def test_a_partner_with_nobody_to_email_is_reported_and_not_marked(cast, owed, mailoutbox):
    Membership.objects.filter(person=cast.steward_b).delete()
    summary = reminders_send(initiative=cast.initiative, today=TODAY)
    assert summary.no_recipient == [cast.partner_b]
    assert ("northside-food-bank", "2024-02") not in sent_keys()


def test_received_reports_and_closed_periods_are_not_reminded(cast, owed, mailoutbox):
    send(cast, cast.partner_a, owed.enrolled, owed.feb)
    Period.objects.filter(pk=owed.jan.pk).update(status="closed")
    summary = reminders_send(initiative=cast.initiative, today=TODAY)
    assert {r.partner: len(r.reports) for r in summary.sent} == {cast.partner_b: 1}


def test_command_dry_run_lists_and_sends_nothing(cast, owed, mailoutbox, capsys):
    call_command("send_report_reminders", "--initiative", "riverton", "--dry-run")
    out = capsys.readouterr().out
    assert "riverton: Would send Riverton Public Library a reminder" in out
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_command_sends_reminders_of_every_initiative(cast, owed, mailoutbox, capsys):
    call_command("send_report_reminders")
    assert "riverton: Sent Northside Food Bank a reminder" in capsys.readouterr().out
    assert len(mailoutbox) == 2


def test_command_refuses_an_unknown_initiative(cast):
    with pytest.raises(CommandError, match="No initiative"):
        call_command("send_report_reminders", "--initiative", "nowhere")
