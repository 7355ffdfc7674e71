"""Background tasks, run by `backbone worker`."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .events import actions_swept, proposals_swept
from .services import notifications_send


@task()
def send_notifications() -> dict:
    """E-mail the notifications due at once; enqueued after each commit that makes one."""
    return notifications_send().as_dict()


@task()
def sweep_notifications() -> dict:
    """Tell what time makes due (proposals opening and closing, overdue action items), then
    send what is due at once."""
    now = timezone.now()
    told = proposals_swept(now) + actions_swept(timezone.localdate(now))
    return {"told": told, **notifications_send(now=now).as_dict()}
