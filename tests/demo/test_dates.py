"""The demo reads as of the day it is built: its dates follow today, its meetings fall on
weekdays, and the backbone's hours are logged only on work begun. Properties of the built
demo, never its names or counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Max, Min, Sum
from django.utils import timezone

from backbone.activities.models import Activity
from backbone.communication.models import Meeting
from backbone.workplan.models import BackboneTask, EffortEntry

pytestmark = pytest.mark.integration

YEARS_BACK = 7  # five school years of data, the first begun before the launch
YEARS_AHEAD = 3  # grants and budgets planned ahead


def _logged(task: BackboneTask) -> Decimal:
    return task.effort.aggregate(total=Sum("hours"))["total"] or Decimal(0)


def test_every_date_in_the_demo_is_within_a_few_years_of_today(demo):
    today = timezone.localdate()
    earliest = today - timedelta(days=365 * YEARS_BACK)
    latest = today + timedelta(days=365 * YEARS_AHEAD)
    outside = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.DateField) or not field.concrete:
                continue
            found = model._base_manager.aggregate(low=Min(field.name), high=Max(field.name))
            for value in (found["low"], found["high"]):
                day = timezone.localdate(value) if hasattr(value, "hour") else value
                if day is not None and not earliest <= day <= latest:
                    outside.append(f"{model._meta.label}.{field.name}: {day}")
    assert outside == []


def test_demo_meetings_fall_on_weekdays(demo):
    meetings = list(Meeting.objects.filter(initiative=demo))
    assert meetings and any(m.group_id is None for m in meetings)
    weekend = [
        (m.title, m.starts_at.astimezone(ZoneInfo(m.time_zone)).strftime("%A %d %B %Y"))
        for m in meetings
        if m.starts_at.astimezone(ZoneInfo(m.time_zone)).weekday() >= 5
    ]
    assert weekend == []


def test_demo_activity_dates_agree_with_their_status(demo):
    today = timezone.localdate()
    activities = list(Activity.objects.filter(initiative=demo))
    assert {a.status for a in activities} >= {"planned", "active", "done"}
    for a in activities:
        assert abs((a.starts_on - today).days) <= 365 * 5, a.name
        assert a.ends_on is None or a.ends_on >= a.starts_on, a.name
        if a.status == Activity.Status.PLANNED:
            assert a.starts_on > today, a.name
        else:
            assert a.starts_on <= today, a.name
        if a.status == Activity.Status.DONE:
            assert a.ends_on is not None and a.ends_on <= today, a.name
        assert a.starts_on >= demo.start_date - timedelta(days=365), a.name


def test_demo_planned_tasks_have_no_hours_logged(demo):
    planned = BackboneTask.objects.filter(initiative=demo, status=BackboneTask.Status.PLANNED)
    assert planned.exists()
    assert not EffortEntry.objects.filter(task__in=planned).exists()


def test_demo_hours_fit_each_tasks_status(demo):
    today = timezone.localdate()
    tasks = list(BackboneTask.objects.filter(initiative=demo).exclude(status="planned"))
    assert {t.status for t in tasks} >= {"in_progress", "done"}
    for task in tasks:
        logged = _logged(task)
        assert logged > 0, task.title
        if task.estimated_hours is None:
            continue
        if task.status == BackboneTask.Status.IN_PROGRESS:
            assert logged < task.estimated_hours, task.title  # not finished: not all used
        else:
            assert logged <= task.estimated_hours * Decimal("1.25"), task.title
    assert not EffortEntry.objects.filter(task__initiative=demo, worked_on__gt=today).exists()
