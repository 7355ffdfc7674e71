"""E-mail digests: contents, who is due, never twice, and failures that stop no one else."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from backbone.updates.digests import digests_due, digests_send, window_key
from backbone.updates.models import DigestSchedule, DigestSent, Following
from backbone.updates.tasks import send_digests

from .factories import make_action, make_comment, make_decision, make_meeting, make_update

pytestmark = pytest.mark.integration


def _to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_window_key_daily_and_weekly():
    at = timezone.make_aware(timezone.datetime(2026, 12, 1, 9, 0))
    assert window_key("daily", at) == "daily:2026-12-01"
    assert window_key("weekly", at) == "weekly:2026-W49"


def test_digest_contents_follow_the_persons_choices(cast):
    now = timezone.now()
    Following.objects.create(
        initiative=cast.initiative, person=cast.steward_a, data_releases=False, news=True
    )
    make_update(cast.initiative, title="Library opens on Sundays", author=cast.staff)
    make_update(cast.initiative, title="Third-grade reading, 2026", kind="data_release")
    discussed = make_update(
        cast.initiative, title="New tutoring sites", at=now - timedelta(days=30)
    )
    make_comment(discussed, author=cast.steward_a, at=now - timedelta(days=20))
    make_comment(discussed, author=cast.member_a, body="We can host one at the branch.")
    meeting = make_meeting(cast.initiative)
    make_decision(meeting, text="Adopt the reading target for 2027.")
    make_decision(make_meeting(cast.initiative, is_private=True), text="Hire a coordinator.")
    make_action(meeting, owner=cast.steward_a, text="Send the summer reading list")
    make_action(
        meeting,
        owner=cast.steward_a,
        text="Book the gym",
        due_on=timezone.localdate() - timedelta(days=2),
    )
    make_update(cast.other_initiative, title="Lakeside news")

    summary = digests_send(now=now + timedelta(minutes=1))

    (message,) = _to("steward.a@example.org")
    body = message.body
    assert "Library opens on Sundays" in body
    assert "Third-grade reading" not in body  # data releases not followed
    assert "Adopt the reading target for 2027." in body
    assert "Hire a coordinator." not in body  # a private meeting's
    assert "We can host one at the branch." in body
    assert "Send the summer reading list" in body
    assert "Book the gym (was due" in body
    assert "New tutoring sites" in body  # the comment's update
    assert "Lakeside news" not in body  # not one of their initiatives
    assert "/i/riverton/updates/following/" in body
    assert "weekly" in message.subject
    assert "steward.a@example.org" in summary.sent
    assert _to("other.staff@example.org")[0].body.count("Lakeside news") == 1
    assert DigestSent.objects.filter(person=cast.steward_a).count() == 1


def test_digest_nothing_new_emails_nobody(cast):
    summary = digests_send(now=timezone.now())
    assert mail.outbox == []
    assert not DigestSent.objects.exists()
    assert summary.sent == [] and summary.empty > 0


def test_digest_none_frequency_emails_nobody(cast):
    DigestSchedule.objects.create(person=cast.community, frequency="none")
    make_update(cast.initiative)
    digests_send(now=timezone.now() + timedelta(minutes=1))
    assert not _to("resident@example.org")
    assert _to("funder@example.org")


@pytest.mark.parametrize(
    ("frequency", "hours_ago", "due"),
    [
        ("daily", 23, False),
        ("daily", 24, True),
        ("weekly", 24 * 6, False),
        ("weekly", 24 * 7 + 1, True),
    ],
)
def test_digests_due_daily_and_weekly(cast, frequency, hours_ago, due):
    now = timezone.now()
    DigestSchedule.objects.create(person=cast.funder, frequency=frequency)
    DigestSent.objects.create(
        person=cast.funder, window="earlier", sent_at=now - timedelta(hours=hours_ago)
    )
    due_people = {d.person for d in digests_due(now=now)}
    assert (cast.funder in due_people) is due


def test_digest_never_sent_is_due_at_once(cast):
    assert cast.funder in {d.person for d in digests_due(now=timezone.now())}
    assert cast.public not in {d.person for d in digests_due(now=timezone.now())}


def test_digest_sending_twice_emails_once(cast):
    make_update(cast.initiative, author=cast.staff)
    now = timezone.now() + timedelta(minutes=1)
    first = digests_send(now=now)
    second = digests_send(now=now)
    third = digests_send(now=now + timedelta(hours=1))
    assert len(_to("funder@example.org")) == 1
    assert len(first.sent) == len(mail.outbox) == 6  # every member but the author
    assert second.sent == [] and third.sent == []


def test_digest_window_already_recorded_is_not_sent_again(cast):
    make_update(cast.initiative)
    now = timezone.now() + timedelta(minutes=1)
    DigestSent.objects.create(
        person=cast.funder, window=window_key("weekly", now), sent_at=now - timedelta(days=8)
    )
    summary = digests_send(now=now)
    assert not _to("funder@example.org")
    assert summary.already_sent == 1


def test_digest_failure_for_one_person_stops_no_one(cast):
    make_update(cast.initiative, author=cast.staff)
    now = timezone.now() + timedelta(minutes=1)
    send = EmailMessage.send

    def failing_for_the_funder(message, *args, **kwargs):
        if "funder@example.org" in message.to:
            raise OSError("mail server refused")
        return send(message, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", autospec=True, side_effect=failing_for_the_funder):
        summary = digests_send(now=now)

    assert summary.failed == ["funder@example.org"]
    assert len(mail.outbox) == 5
    assert not DigestSent.objects.filter(person=cast.funder).exists()

    retry = digests_send(now=now + timedelta(minutes=15))
    assert retry.sent == ["funder@example.org"]
    assert len(_to("funder@example.org")) == 1
    assert len(mail.outbox) == 6


@pytest.mark.django_db(transaction=True)  # the worker closes old connections
def test_digest_task_runs_through_the_database_worker(cast):
    make_update(cast.initiative, title="Library opens on Sundays", author=cast.staff)
    result = send_digests.enqueue()
    assert mail.outbox == []  # only queued

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["sent"] == 6
    assert "Library opens on Sundays" in _to("funder@example.org")[0].body


def test_a_worker_killed_while_the_mail_server_accepts_never_sends_twice(cast):
    """The worker dies after the server took the e-mail and before the run went on: the
    e-mail went, and the next run must not send it again."""
    make_update(cast.initiative, author=cast.staff)
    now = timezone.now() + timedelta(minutes=1)
    send = EmailMessage.send

    def killed_after_the_funders(message, *args, **kwargs):
        sent = send(message, *args, **kwargs)
        if "funder@example.org" in message.to:
            raise SystemExit("worker killed")
        return sent

    with (
        mock.patch.object(
            EmailMessage, "send", autospec=True, side_effect=killed_after_the_funders
        ),
        pytest.raises(SystemExit),
    ):
        digests_send(now=now)
    resumed = digests_send(now=now + timedelta(minutes=15))
    assert len(_to("funder@example.org")) == 1
    assert "funder@example.org" not in resumed.sent
    assert len(mail.outbox) == 6  # everyone once: the run resumed for the rest
