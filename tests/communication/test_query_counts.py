"""The group page and the home page's action items cost the same number of queries for a
small group as for a larger one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backbone.communication.models import Decision
from backbone.links import keyed
from tests.conftest import make_person

from .conftest import action, meeting

pytestmark = pytest.mark.integration


def grow(cast, groups, n: int) -> None:
    for k in range(n):
        person = make_person(f"p{n}{k}@example.org")
        from backbone.initiatives.services import membership_grant

        membership_grant(
            initiative=cast.initiative,
            person=person,
            role="partner_member",
            organisation=cast.org_b,
        )
        groups.open.members.add(person, through_defaults=keyed(groups.open))
        m = meeting(cast, f"Extra {k}", groups.open, private=bool(k % 2))
        m.attendees.add(person, cast.steward_a, through_defaults=keyed(m))
        Decision.objects.create(
            initiative=cast.initiative,
            meeting=m,
            text="x",
            decided_on=m.starts_at.date(),
            decided_by="y",
        )
        action(cast, m, person)
        action(cast, m, cast.steward_a, text=f"Mine {k}")


def count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["group", "home"])
def test_query_count_constant(groups, cast, as_role, path):
    client = as_role("steward_a")
    target = (
        reverse("communication:group", args=["riverton", groups.open.uuid])
        if path == "group"
        else "/"
    )
    grow(cast, groups, 1)
    small = count(client, target)
    grow(cast, groups, 4)
    assert count(client, target) == small
