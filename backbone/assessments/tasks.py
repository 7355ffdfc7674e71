"""Background task for `backbone worker`: survey reminders, safe to run as often as you like
(nobody is e-mailed twice in a day)."""

from __future__ import annotations

from django_tasks import task

from .services import reminders_send_everywhere


@task()
def send_survey_reminders() -> dict:
    """E-mail everyone still to answer an open round whose reminder is due."""
    return reminders_send_everywhere()
