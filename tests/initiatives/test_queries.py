"""List pages make the same number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.initiatives import services
from backbone.initiatives.roles import Role
from tests.conftest import make_person

pytestmark = pytest.mark.integration


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_partners(cast, names):
    """Partners, each with a steward and an open invitation."""
    for i in names:
        org = services.organisation_create(name=f"Partner {i}", sector="health")
        services.partner_add(initiative=cast.initiative, organisation=org)
        person = make_person(f"p{i}@example.org")
        services.membership_grant(
            initiative=cast.initiative, person=person, role=Role.PARTNER_STEWARD, organisation=org
        )
        services.invitation_create(
            initiative=cast.initiative,
            by=cast.staff,
            email=f"inv{i}@example.org",
            role=Role.PARTNER_MEMBER,
            organisation=org,
        )


@pytest.mark.parametrize(
    "url",
    [
        "/i/riverton/",
        "/i/riverton/partners/",
        "/i/riverton/people/",
        "/",
        "/i/riverton/partners.csv",
    ],
)
def test_query_count_does_not_grow_with_partners(cast, as_role, url):
    add_partners(cast, [1])
    one = queries(as_role("staff"), url)
    add_partners(cast, [2, 3])
    assert queries(as_role("staff"), url) == one
