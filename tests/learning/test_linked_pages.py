"""An indicator's, an activity's and a meeting's own pages show what the learning log and
the structured decisions say about them, to those who may read those."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backbone.communication.models import WorkingGroup
from backbone.decisions.models import Proposal

from .conftest import make_entry, make_proposal

pytestmark = pytest.mark.django_db


def test_an_indicator_page_lists_only_the_entries_linked_to_it(cast, as_role, here):
    make_entry(cast.initiative, title="Buddies lifted readiness", indicators=[here.indicator])
    make_entry(cast.initiative, title="Unrelated entry", activities=[here.activity])
    url = reverse("dashboards:indicator", args=["riverton", here.indicator.code])
    for role in ("staff", "community", "funder"):
        html = as_role(role).get(url).content.decode()
        assert "What the learning log says" in html, role
        assert "Buddies lifted readiness" in html and "Unrelated entry" not in html, role


def test_an_activity_page_lists_its_entries(cast, as_role, here):
    make_entry(cast.initiative, title="Buddies need a quiet room", activities=[here.activity])
    url = reverse("activities:detail", args=["riverton", here.activity.uuid])
    assert "Buddies need a quiet room" in as_role("steward_a").get(url).content.decode()


def test_a_meeting_page_lists_its_proposals_hiding_a_private_groups_from_outsiders(
    cast, as_role, here
):
    open_one = make_proposal(cast.initiative, cast.staff, title="One referral form")
    private = WorkingGroup.objects.create(
        initiative=cast.initiative, name="Data agreement", lead=cast.steward_b, is_private=True
    )
    closed_door = make_proposal(
        cast.initiative, cast.steward_b, title="Share raw records", group=private
    )
    Proposal.objects.filter(pk__in=[open_one.pk, closed_door.pk]).update(meeting=here.meeting)
    url = reverse("communication:meeting", args=["riverton", here.meeting.uuid])

    staff = as_role("staff").get(url).content.decode()
    assert "One referral form" in staff and "Share raw records" in staff
    community = as_role("community").get(url).content.decode()
    assert "One referral form" in community and "Share raw records" not in community
