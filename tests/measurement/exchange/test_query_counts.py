"""Lists answer in the same number of queries for one item as for three."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.measurement import dhis2
from backbone.measurement.tokens import token_create
from tests.measurement.conftest import make_indicator

pytestmark = pytest.mark.integration


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_tokens_page_queries_do_not_grow(cast, as_role):
    client = as_role("steward_a")
    token_create(partner=cast.partner_a, name="one", by=cast.steward_a)
    one = queries(client, "/i/riverton/measurement/tokens/")
    for name in ("two", "three"):
        token_create(partner=cast.partner_a, name=name, by=cast.steward_a)
    assert queries(client, "/i/riverton/measurement/tokens/") == one


def test_mappings_page_queries_do_not_grow(cast, measured, as_role):
    client = as_role("staff")
    i = cast.initiative
    black, latino, white = measured.race.groups.all()
    north, south = measured.place.groups.filter(key__in=["north", "south"])

    def add(n):
        dhis2.mapping_add_element(initiative=i, code=f"E{n}", indicator=measured.enrolled)
        dhis2.mapping_add_coc(initiative=i, code=f"C{n}", groups=[[black, latino, white][n]])
        dhis2.mapping_add_org_unit(initiative=i, code=f"O{n}", place=[north, south, None][n])

    add(0)
    one = queries(client, "/i/riverton/measurement/dhis2/")
    add(1)
    add(2)
    assert queries(client, "/i/riverton/measurement/dhis2/") == one


def test_indicator_list_queries_do_not_grow(cast, measured, as_role):
    client = as_role("staff")
    one = queries(client, "/api/initiatives/riverton/indicators?limit=1")
    for code in ("extra-one", "extra-two"):
        make_indicator(cast.initiative, code, "sum", (measured.place, measured.race))
    assert queries(client, "/api/initiatives/riverton/indicators") == one


def test_submission_list_queries_do_not_grow(cast, measured, as_role):
    from backbone.measurement.intake import Reported

    from .helpers import report

    client = as_role("staff")
    report(cast, cast.partner_a, [Reported("open-cases", "2024-01", {}, value=1)])
    one = queries(client, "/api/initiatives/riverton/submissions")
    report(cast, cast.partner_b, [Reported("open-cases", "2024-01", {}, value=1)])
    report(cast, cast.partner_a, [Reported("open-cases", "2024-02", {}, value=1)])
    assert queries(client, "/api/initiatives/riverton/submissions") == one
