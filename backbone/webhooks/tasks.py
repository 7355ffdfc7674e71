"""Background tasks of webhooks, run by `backbone worker`."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def send_delivery(delivery_id: int) -> dict:
    """The delivery's next attempt, if it is due (a later retry is enqueued after a failure)."""
    from .sending import deliver

    attempt = deliver(delivery_id, now=timezone.now())
    if attempt is None:
        return {"sent": False}
    return {"sent": True, "status_code": attempt.status_code, "error": attempt.error}


@task()
def send_due_deliveries() -> dict:
    """Every delivery whose next attempt is due: catches the ones whose task was lost; fails
    those cut off at their last attempt, and drops the log older than its keeping time."""
    from .sending import deliver
    from .services import deliveries_due, deliveries_prune, deliveries_settle

    now = timezone.now()
    settled = deliveries_settle(now=now)
    sent = 0
    for pk in deliveries_due(now=now):
        sent += deliver(pk) is not None
    return {"sent": sent, "settled": settled, "pruned": deliveries_prune(now=now)}


@task()
def announce_overdue_action_items() -> dict:
    """Each action item past its due date, announced once (again if its date moves and
    passes), to initiatives subscribed to it."""
    from .overdue import overdue_announce

    return {"announced": overdue_announce(today=timezone.localdate())}
