"""`backbone worker`: run background tasks, and put the periodic ones in the queue.

Design: the library's own database worker (`db_worker` of django-tasks-db) runs in the main
thread, with its signal handling and graceful shutdown untouched. A daemon scheduler thread
enqueues `send_digests`, the closing of due decisions, the webhooks' overdue action items
and their due deliveries (retries, and any whose task was lost) every `--every` minutes (and
the report and survey reminders once a day); it only
enqueues, so any number of workers may run tasks, but run one `backbone worker` with the
scheduler (others with `--no-schedule`) to avoid enqueuing twice as often. Enqueuing too often
is harmless anyway: digests and reminders record what they sent and never send it again.

`--once` enqueues the periodic tasks, runs everything in the queue and exits: for cron, or
for a quick check.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from backbone.assessments.tasks import send_survey_reminders
from backbone.notifications.tasks import sweep_notifications
from backbone.updates.tasks import close_due_decisions, send_digests, send_report_reminders
from backbone.webhooks.tasks import announce_overdue_action_items, send_due_deliveries

logger = logging.getLogger(__name__)


class Scheduler:
    """Enqueues the periodic tasks; `tick` is one round, `run` repeats it until stopped."""

    def __init__(self, *, every_minutes: float, reminders: bool = True) -> None:
        self.every_seconds = every_minutes * 60
        self.reminders = reminders
        self.reminded_on: date | None = None
        self.stopped = threading.Event()

    def tick(self) -> list[str]:
        enqueued = [
            send_digests.enqueue().id,
            close_due_decisions.enqueue().id,
            sweep_notifications.enqueue().id,
            announce_overdue_action_items.enqueue().id,
            send_due_deliveries.enqueue().id,
        ]
        today = timezone.localdate()
        if self.reminders and self.reminded_on != today:
            enqueued.append(send_report_reminders.enqueue().id)
            enqueued.append(send_survey_reminders.enqueue().id)
            self.reminded_on = today
        return enqueued

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                self.tick()
            except Exception:  # a locked or lost database: log it and try at the next tick
                logger.exception("Could not enqueue the periodic tasks")
            finally:
                connection.close()  # this thread's own connection
            self.stopped.wait(self.every_seconds)


class Command(BaseCommand):
    help = "Run background tasks (digests, reminders) and schedule the periodic ones."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=15,
            help="Minutes between two enqueuings of the digest task (default: 15).",
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="Only run tasks; enqueue nothing."
        )
        parser.add_argument(
            "--no-reminders", action="store_true", help="Do not enqueue the report reminders."
        )
        parser.add_argument(
            "--once", action="store_true", help="Enqueue once, run the queue empty, and exit."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1,
            help="Seconds the worker waits when the queue is empty (default: 1).",
        )

    def handle(self, *, every, no_schedule, no_reminders, once, interval, verbosity, **options):
        scheduler = Scheduler(every_minutes=every, reminders=not no_reminders)
        worker_options = {"verbosity": verbosity, "interval": interval, "reload": False}
        if once:
            if not no_schedule:
                scheduler.tick()
            call_command("db_worker", batch=True, startup_delay=False, **worker_options)
            return
        if not no_schedule:
            threading.Thread(target=scheduler.run, name="scheduler", daemon=True).start()
        try:
            call_command("db_worker", **worker_options)
        finally:
            scheduler.stopped.set()
