"""The demo's working groups build on top of the demo initiative."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backbone.communication.demo import communication_demo
from backbone.communication.models import ActionItem, Meeting, WorkingGroup

pytestmark = pytest.mark.integration


def test_demo_builds_groups_and_a_year_of_meetings(demo):
    initiative = demo
    counts = communication_demo(initiative=initiative)
    assert counts["groups"] == 4 and counts["meetings"] >= 48
    assert WorkingGroup.objects.filter(initiative=initiative, is_private=True).count() == 1
    actions = ActionItem.objects.filter(initiative=initiative)
    today = timezone.localdate()
    assert actions.filter(status="done").exists()
    assert actions.filter(status="open", due_on__gte=today).exists()
    assert actions.filter(status="open", due_on__lt=today).exists()
    priya = actions.filter(owner__email="priya.natarajan@riverton.example", status="open")
    assert priya.exists()
    assert Meeting.objects.filter(initiative=initiative, group__isnull=True).count() == 4
    assert Meeting.objects.filter(initiative=initiative, attendees__isnull=False).exists()
    assert communication_demo(initiative=initiative) == counts  # rebuilding gives the same
