"""Lists and results read a fixed number of queries, however many rounds or answers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.assessments import services

from .conftest import answers_for, crowd, open_round

pytestmark = pytest.mark.integration


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["staff", "steward_a"])
def test_rounds_list_queries_do_not_grow_with_rounds(
    cast, as_role, initiative, questionnaires, role
):
    client = as_role(role)
    open_round(initiative, questionnaires["conditions"])
    client.get("/i/riverton/assessments/")
    one = queries(client, "/i/riverton/assessments/")
    for slug in ("readiness", "principles"):
        found = open_round(initiative, questionnaires[slug], results_shared=True)
        services.round_close(round=found)
    assert queries(client, "/i/riverton/assessments/") == one


def test_results_queries_do_not_grow_with_answers(cast, as_role, initiative, questionnaires):
    def closed_round(extra):
        people = crowd(initiative, sector="health", n=extra)
        found = open_round(initiative, questionnaires["conditions"])
        for person in (cast.steward_a, cast.member_a, cast.steward_b, *people):
            services.response_submit(round=found, person=person, answers=answers_for(found))
        services.round_close(round=found)
        return f"/i/riverton/assessments/rounds/{found.uuid}/results/"

    client = as_role("staff")
    small, large = closed_round(1), closed_round(12)
    client.get(small)
    assert queries(client, large) == queries(client, small)
