"""The demo's tracker: the first phase done with evidence, the second mostly, the third begun."""

from __future__ import annotations

import pytest
from django.test import Client

from backbone.accounts.models import Person
from backbone.phases import selectors
from backbone.phases.models import PhaseCell, PhaseCellChange

pytestmark = pytest.mark.django_db


def test_demo_tracker_stands_in_the_second_phase(demo):
    initiative = demo
    standing = selectors.phase_standing(initiative=initiative)
    first, second, third = standing.phases
    assert (first.done, first.total) == (4, 4)
    assert (second.done, second.in_progress, second.total) == (3, 1, 4)
    assert third.done == 0 and third.in_progress >= 1
    assert (standing.current.key, standing.from_tracker, standing.differs) == (
        "organise_for_impact",
        True,
        False,
    )
    cells = PhaseCell.objects.filter(initiative=initiative)
    assert all(c.evidence and c.updated_by for c in cells.filter(phase=first.key))
    for cell in cells:
        changes = list(PhaseCellChange.objects.filter(cell=cell).order_by("changed_at"))
        assert changes[0].status_before == "not_started"
        assert changes[-1].status_after == cell.status

    client = Client()
    client.force_login(Person.objects.get(email="samuel.adeyemi@riverton.example"))
    page = client.get(f"/i/{initiative.slug}/phases/").text
    assert "signed the founding charter" in page
    assert "Current phase: <strong>Organise for impact</strong>" in page
    overview = client.get(f"/i/{initiative.slug}/").text
    assert "Where the initiative stands" in overview and "3 of 4 (75%); 1 in progress" in overview
