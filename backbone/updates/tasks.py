"""Background tasks, run by the database worker (`backbone worker`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .digests import digests_send


@task()
def send_digests() -> dict:
    """Send the digests that are due; safe to run as often as you like."""
    return digests_send(now=timezone.now()).as_dict()


@task()
def close_due_decisions() -> dict:
    """Close proposals past their closing date, so outcomes and reviews do not wait for
    someone to open the page."""
    from backbone.decisions.services import close_due

    return {"closed": len(close_due(now=timezone.now()))}


@task()
def send_report_reminders() -> dict:
    """The completeness reminders of every initiative; they never e-mail a report twice."""
    from backbone.initiatives.models import Initiative
    from backbone.measurement.completeness.services import reminders_send

    today = timezone.localdate()
    sent = failed = 0
    for initiative in Initiative.objects.order_by("pk"):
        summary = reminders_send(initiative=initiative, today=today)
        sent += len(summary.sent)
        failed += len(summary.failed)
    return {"sent": sent, "failed": failed}
