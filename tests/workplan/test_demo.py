"""The demo's year of backbone work and its funding, built on the demo initiative."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backbone.workplan import selectors
from backbone.workplan.demo import workplan_demo
from backbone.workplan.models import BudgetYear, Funder, Grant

pytestmark = pytest.mark.django_db


def test_demo_starves_advance_policy_and_fills_the_pipeline(demo):
    initiative = demo
    workplan_demo(initiative=initiative)
    today = timezone.localdate()
    found = selectors.effort_by_role(initiative=initiative, today=today)
    assert [r["key"] for r in found.starved] == ["advance_policy"]
    assert len(found.rows) == 6 and all(sum(r.hours) for r in found.rows)
    assert Funder.objects.filter(initiative=initiative).count() == 8
    assert set(Grant.objects.values_list("status", flat=True)) == set(Grant.Status.values)
    assert set(BudgetYear.objects.values_list("year", flat=True)) == {today.year, today.year + 1}
    this_year = next(
        y for y in selectors.secured_against_needed(initiative=initiative) if y.year == today.year
    )
    assert 0 < this_year.secured < this_year.needed
