"""The demo's assignments follow who reported what."""

from __future__ import annotations

import pytest

from backbone.measurement.completeness.demo import completeness_demo
from backbone.measurement.completeness.selectors import reporting_partners

from .conftest import indicator, send

pytestmark = pytest.mark.integration


def test_demo_assigns_the_partners_that_reported_else_the_owner(cast, monthly):
    i = cast.initiative
    owned = indicator(i, "meals-served", "month")
    owned.owner = cast.org_b
    owned.save()
    unowned = indicator(i, "volunteers", "month")
    send(cast, cast.partner_a, monthly.enrolled, monthly.feb)
    send(cast, cast.partner_a, monthly.enrolled, monthly.mar, status="draft")

    chosen = completeness_demo(initiative=i)

    assert chosen == {
        "children-enrolled": ["Riverton Public Library"],
        "meals-served": ["Northside Food Bank"],
        "volunteers": [],
    }
    assigned = reporting_partners(initiative=i)
    assert assigned == {monthly.enrolled.pk: {cast.partner_a.pk}, owned.pk: {cast.partner_b.pk}}
    assert unowned.pk not in assigned
    completeness_demo(initiative=i)  # running it again changes nothing
    assert reporting_partners(initiative=i) == assigned
