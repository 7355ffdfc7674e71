"""`backbone worker`: enqueues the periodic tasks and runs them with the database worker."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from backbone.updates.management.commands.worker import Scheduler

from .factories import make_update

pytestmark = pytest.mark.integration


def test_scheduler_tick_enqueues_digests_notifications_webhooks_and_daily_reminders(db):
    scheduler = Scheduler(every_minutes=15)
    scheduler.tick()
    scheduler.tick()
    names = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert names == [
        "backbone.assessments.tasks.send_survey_reminders",
        "backbone.notifications.tasks.sweep_notifications",
        "backbone.notifications.tasks.sweep_notifications",
        "backbone.updates.tasks.close_due_decisions",
        "backbone.updates.tasks.close_due_decisions",
        "backbone.updates.tasks.send_digests",
        "backbone.updates.tasks.send_digests",
        "backbone.updates.tasks.send_report_reminders",
        "backbone.webhooks.tasks.announce_overdue_action_items",
        "backbone.webhooks.tasks.announce_overdue_action_items",
        "backbone.webhooks.tasks.send_due_deliveries",
        "backbone.webhooks.tasks.send_due_deliveries",
    ]


@pytest.mark.django_db(transaction=True)  # the worker closes old connections
def test_worker_once_sends_the_digests(cast):
    make_update(cast.initiative, author=cast.staff)
    call_command("worker", "--once", verbosity=0)
    assert len(mail.outbox) == 6
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
    call_command("worker", "--once", verbosity=0)
    assert len(mail.outbox) == 6


@pytest.mark.django_db(transaction=True)
def test_worker_once_closes_proposals_past_their_closing_date(cast):
    from datetime import timedelta

    from django.utils import timezone

    from backbone.decisions.models import Proposal
    from tests.decisions.conftest import propose

    proposal = propose(cast)
    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(
        opens_at=now - timedelta(days=8), closes_at=now - timedelta(hours=1)
    )
    call_command("worker", "--once", "--no-reminders", verbosity=0)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CLOSED
    assert proposal.outcome.review_on is not None
