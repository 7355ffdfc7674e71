"""Events announced in the transaction of the change, sent by the worker to a real receiver
on loopback, signed, retried with back-off, each attempt claimed before it goes."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from backbone.agenda import services as agenda
from backbone.archive.values import UUID_TEXT
from backbone.decisions import services as decisions
from backbone.measurement.approval import submission_approve, submission_return
from backbone.webhooks import services
from backbone.webhooks.models import MAX_ATTEMPTS, RETRY_AFTER, Attempt, Delivery, Event
from backbone.webhooks.overdue import overdue_announce
from backbone.webhooks.sending import deliver, signature_valid
from backbone.webhooks.tasks import send_delivery
from tests.decisions.conftest import propose
from tests.measurement.reporting.conftest import enrolled_rows, send
from tests.updates.factories import make_action, make_meeting

from .conftest import SEND, queued, run_queued, subscribe

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("loopback_allowed")]

APPROVED = "submission.approved"

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)?")


def approve(cast, django_capture_on_commit_callbacks, *, north=7331, south=4242):
    submission = send(cast, enrolled_rows(north=north, south=south))
    with django_capture_on_commit_callbacks(execute=True):
        submission_approve(submission=submission, by=cast.staff)
    return submission


def test_an_approved_submission_reaches_the_receiver_signed(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(cast, receiver.url, [APPROVED])
    submission = approve(cast, django_capture_on_commit_callbacks)
    assert len(queued()) == 1  # enqueued once the approval committed

    (attempt,) = run_queued()

    assert attempt.status_code == 200
    (got,) = receiver.received
    headers = got.headers
    assert got.path == "/hooks/backbone"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Backbone-Event"] == APPROVED
    delivery = Delivery.objects.get()
    assert headers["X-Backbone-Delivery"] == str(delivery.uuid)
    assert signature_valid(
        subscription.secret,
        headers["X-Backbone-Timestamp"],
        got.body,
        headers["X-Backbone-Signature"],
    )
    assert not signature_valid(
        "whsec_other", headers["X-Backbone-Timestamp"], got.body, headers["X-Backbone-Signature"]
    )
    body = got.json
    assert body["event"] == APPROVED
    assert body["initiative"] == "riverton"
    assert body["id"] == str(delivery.event.uuid)
    assert body["data"]["submission"]["uuid"] == str(submission.uuid)
    assert body["data"]["submission"]["status"] == "approved"
    assert body["data"]["submission"]["api_url"].endswith(
        f"/api/initiatives/riverton/submissions/{submission.uuid}"
    )
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.tries.get().duration_ms is not None


def test_the_payload_holds_no_figures_nor_written_text(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    subscribe(cast, receiver.url, [APPROVED, "submission.returned"])
    approve(cast, django_capture_on_commit_callbacks, north=7331, south=4242)
    returned = send(cast, enrolled_rows(north=9119, south=5115, period="2024-02"))
    with django_capture_on_commit_callbacks(execute=True):
        submission_return(submission=returned, by=cast.staff, comment="Secret remark 8817")
    run_queued()
    assert len(receiver.received) == 2
    for got in receiver.received:
        # Random UUIDs and the time may hold any digits: figures are sought in the rest.
        text = TIMESTAMP.sub("TIME", UUID_TEXT.sub("UUID", got.body.decode()))
        for private in ("7331", "4242", "11573", "9119", "5115", "14234", "Secret remark", "8817"):
            assert private not in text
        assert set(got.json) == {"id", "event", "occurred_at", "initiative", "data"}
    assert [g.json["event"] for g in receiver.received] == [APPROVED, "submission.returned"]


def test_a_500_is_retried_after_a_wait_and_then_delivered(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500]
    subscribe(cast, receiver.url, [APPROVED])
    approve(cast, django_capture_on_commit_callbacks)
    (task,) = queued()
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(task.args_kwargs["args"][0], now=now)
    task.delete()

    assert first.status_code == 500
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    wait = delivery.next_attempt_at - now  # counted from the answer
    assert RETRY_AFTER[0] <= wait < RETRY_AFTER[0] + timedelta(seconds=5)
    (retry,) = queued()  # the retry, enqueued to run after the wait
    assert retry.run_after == delivery.next_attempt_at
    assert deliver(delivery.pk, now=now + timedelta(seconds=30)) is None  # not due yet

    (second,) = run_queued(now=delivery.next_attempt_at)

    assert second.status_code == 200 and second.number == 2
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert [(a.number, a.status_code) for a in delivery.tries.all()] == [(1, 500), (2, 200)]
    assert len(receiver.received) == 2
    assert len({g.headers["X-Backbone-Delivery"] for g in receiver.received}) == 1


def test_the_last_failure_gives_up(cast, reporting, receiver, django_capture_on_commit_callbacks):
    receiver.answers = [503] * MAX_ATTEMPTS
    subscribe(cast, receiver.url, [APPROVED])
    approve(cast, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    now = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        deliver(delivery.pk, now=now)
        delivery.refresh_from_db()
        now = delivery.next_attempt_at or now
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert delivery.last_status_code == 503
    assert deliver(delivery.pk, now=now + timedelta(days=1)) is None


def test_a_claimed_attempt_is_never_made_twice(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    """A worker killed after its claim committed: the attempt stays claimed, unanswered, and
    the next one is due only after the wait."""
    subscribe(cast, receiver.url, [APPROVED])
    approve(cast, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    now = timezone.now()
    claimed = services.attempt_claim(delivery_id=delivery.pk, now=now)  # then the worker dies
    assert claimed.number == 1
    assert services.attempt_claim(delivery_id=delivery.pk, now=now) is None
    assert deliver(delivery.pk, now=now) is None
    assert receiver.received == []
    later = deliver(delivery.pk, now=now + RETRY_AFTER[0])
    assert later.number == 2 and later.status_code == 200
    assert Attempt.objects.filter(delivery=delivery, finished_at__isnull=True).count() == 1


def test_a_subscription_to_other_events_gets_nothing(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    subscribe(cast, receiver.url, ["submission.returned", "agenda.published"])
    approve(cast, django_capture_on_commit_callbacks)
    assert Delivery.objects.count() == 0
    assert Event.objects.count() == 0
    assert queued() == []


def test_a_paused_subscription_gets_nothing(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(cast, receiver.url, [APPROVED])
    services.subscription_set_active(subscription=subscription, active=False)
    approve(cast, django_capture_on_commit_callbacks)
    assert Delivery.objects.count() == 0


def test_another_initiatives_subscription_gets_nothing(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    subscribe(cast, receiver.url, [APPROVED], initiative=cast.other_initiative, by=cast.other_staff)
    approve(cast, django_capture_on_commit_callbacks)
    assert Delivery.objects.count() == 0


def test_a_rolled_back_change_announces_nothing(cast, reporting, receiver):
    subscribe(cast, receiver.url, [APPROVED])
    submission = send(cast, enrolled_rows())
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        submission_approve(submission=submission, by=cast.staff)
        raise RuntimeError
    assert Delivery.objects.count() == 0


def test_a_decision_taken_is_announced_without_its_text(
    cast, receiver, django_capture_on_commit_callbacks
):
    subscribe(cast, receiver.url, ["decision.taken"])
    proposal = propose(cast)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.proposal_close(
            proposal=proposal,
            by=cast.staff,
            summary="Adopted quietly 5521",
            owner=cast.staff,
            review_on=timezone.localdate() + timedelta(days=30),
        )
    run_queued()
    (got,) = receiver.received
    data = got.json["data"]["proposal"]
    assert data["uuid"] == str(proposal.uuid)
    assert data["status"] == "closed"
    assert "5521" not in got.body.decode() and "referral" not in got.body.decode()


def test_a_published_agenda_version_is_announced(
    cast, receiver, django_capture_on_commit_callbacks
):
    subscribe(cast, receiver.url, ["agenda.published"])
    agenda.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="Too few children read by third grade.",
        vision="Every child reads.",
        community_aspirations="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = agenda.version_publish(initiative=cast.initiative, by=cast.staff)
    run_queued()
    (got,) = receiver.received
    assert got.json["data"]["agenda_version"]["number"] == version.number
    assert got.json["data"]["agenda_version"]["api_url"].endswith(
        f"/api/initiatives/riverton/agenda/versions/{version.number}"
    )
    assert "third grade" not in got.body.decode()


def test_an_overdue_action_item_is_announced_once(
    cast, receiver, django_capture_on_commit_callbacks
):
    subscribe(cast, receiver.url, ["action_item.overdue"])
    meeting = make_meeting(cast.initiative)
    item = make_action(meeting, owner=cast.staff, due_on=date(2025, 3, 1))
    make_action(meeting, owner=cast.staff, due_on=date(2025, 3, 20))  # not yet overdue
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_announce(today=date(2025, 3, 10)) == 1
        assert overdue_announce(today=date(2025, 3, 11)) == 0
    run_queued()
    (got,) = receiver.received
    assert got.json["data"]["action_item"]["uuid"] == str(item.uuid)
    assert "reading list" not in got.body.decode()
    item.due_on = date(2025, 3, 12)  # moved, and passed again
    item.save()
    assert overdue_announce(today=date(2025, 3, 15)) == 1
    assert overdue_announce(today=date(2025, 3, 21)) == 1  # the other one, now past its date
    assert overdue_announce(today=date(2025, 3, 22)) == 0


def test_the_send_task_runs_a_due_delivery(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    subscribe(cast, receiver.url, [APPROVED])
    approve(cast, django_capture_on_commit_callbacks)
    (task,) = queued()
    assert task.task_path == SEND
    result = send_delivery.call(*task.args_kwargs["args"])
    assert result == {"sent": True, "status_code": 200, "error": ""}
    assert json.loads(receiver.received[0].body)["event"] == APPROVED


def test_a_resent_delivery_is_a_new_delivery_of_the_same_event(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    subscribe(cast, receiver.url, [APPROVED])
    approve(cast, django_capture_on_commit_callbacks)
    run_queued()
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(delivery=Delivery.objects.get())
    run_queued()
    first, again = receiver.received
    assert first.headers["X-Backbone-Delivery"] != again.headers["X-Backbone-Delivery"]
    assert first.json["id"] == again.json["id"]


def test_a_last_attempt_cut_off_fails_rather_than_waits_forever(
    cast, reporting, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [503] * MAX_ATTEMPTS
    subscribe(cast, receiver.url, [APPROVED])
    approve(cast, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    now = timezone.now()
    for _ in range(MAX_ATTEMPTS - 1):
        deliver(delivery.pk, now=now)
        delivery.refresh_from_db()
        now = delivery.next_attempt_at
    services.attempt_claim(delivery_id=delivery.pk, now=now)  # the last: then the worker dies
    assert services.deliveries_settle(now=now + timedelta(minutes=1)) == 0  # may still answer
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert services.deliveries_settle(now=now + timedelta(minutes=11)) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "stopped" in delivery.last_error
    assert len(receiver.received) == MAX_ATTEMPTS - 1


def test_the_log_is_kept_for_its_time_and_an_overdue_item_never_announced_twice(
    cast, reporting, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_KEEP_DAYS = 30
    subscribe(cast, receiver.url, [APPROVED, "action_item.overdue"])
    approve(cast, django_capture_on_commit_callbacks)
    meeting = make_meeting(cast.initiative)
    make_action(meeting, owner=cast.staff, due_on=date(2025, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_announce(today=date(2025, 3, 10)) == 1
    run_queued()
    waiting = approve(cast, django_capture_on_commit_callbacks, north=11, south=12)
    assert Delivery.objects.filter(status=Delivery.Status.DELIVERED).count() == 2
    now = timezone.now()
    assert services.deliveries_prune(now=now + timedelta(days=29)) == 0
    Delivery.objects.filter(event__payload__data__submission__uuid=str(waiting.uuid)).update(
        status=Delivery.Status.PENDING
    )  # one still on its way: kept
    pruned = services.deliveries_prune(now=now + timedelta(days=31))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert Attempt.objects.filter(delivery__status="delivered").count() == 0
    assert Event.objects.filter(name="action_item.overdue").count() == 1  # kept, bodiless
    assert Event.objects.filter(name=APPROVED).count() == 1  # the one still on its way
    assert pruned >= 3  # two deliveries and the first approval's event
    assert overdue_announce(today=date(2025, 6, 10)) == 0
