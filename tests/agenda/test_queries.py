"""The agenda's pages read in a fixed number of queries, however long the agenda."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.agenda import services
from tests.budgets import NAVIGATION_QUERIES

pytestmark = pytest.mark.integration

BASE = "/i/riverton/agenda/"


def _grow(cast, goals: int) -> None:
    """`goals` goals, each with two strategies of two actions and comments on both levels,
    published as two versions: the header texts, then the goals."""
    services.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="P",
        vision=f"V {goals}",
        community_aspirations="A",
    )
    services.version_publish(initiative=cast.initiative, by=cast.staff)
    for g in range(goals):
        goal = services.goal_create(initiative=cast.initiative, by=cast.staff, title=f"Goal {g}")
        services.comment_create(initiative=cast.initiative, by=cast.community, body="!", goal=goal)
        for s in range(2):
            strategy = services.strategy_create(goal=goal, by=cast.staff, title=f"S {g}.{s}")
            services.comment_create(
                initiative=cast.initiative, by=cast.member_a, body="?", strategy=strategy
            )
            for a in range(2):
                services.action_create(strategy=strategy, by=cast.staff, title=f"A {g}.{s}.{a}")
    version = services.version_publish(initiative=cast.initiative, by=cast.staff)
    services.endorsement_create(version=version, partner=cast.partner_b, by=cast.steward_b)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def grown(cast, request):
    _grow(cast, request.param)
    return request.param


@pytest.mark.parametrize("grown", [1, 3], indirect=True)
@pytest.mark.parametrize("role", ["steward_a", "staff", "funder"])
def test_agenda_page_queries_do_not_grow_with_goals(
    cast, as_role, grown, role, django_assert_max_num_queries
):
    client = as_role(role)
    client.get(BASE)  # warm the session

    with django_assert_max_num_queries(16 + NAVIGATION_QUERIES):
        response = client.get(BASE)

    assert response.status_code == 200
    assert response.content.decode().count("<article") == grown


def test_agenda_page_same_queries_at_one_and_three_goals(cast, as_role):
    client = as_role("steward_a")
    _grow(cast, 1)
    one = _count(client, BASE)

    _grow(cast, 2)  # three goals now
    three = _count(client, BASE)

    assert one == three


def test_edit_page_same_queries_at_one_and_three_goals(cast, as_role):
    client = as_role("staff")
    _grow(cast, 1)
    one = _count(client, f"{BASE}edit/")

    _grow(cast, 2)
    three = _count(client, f"{BASE}edit/")

    assert one == three


def test_history_same_queries_at_one_and_three_versions(cast, as_role):
    client = as_role("evaluator")
    for title in ("One", "Two", "Three"):
        services.goal_create(initiative=cast.initiative, by=cast.staff, title=title)
        services.version_publish(initiative=cast.initiative, by=cast.staff)
        if title == "One":
            one = _count(client, f"{BASE}versions/")
    three = _count(client, f"{BASE}versions/")

    assert one == three


def test_compare_same_queries_at_one_and_three_goals(cast, as_role):
    client = as_role("evaluator")
    _grow(cast, 1)
    one = _count(client, f"{BASE}versions/compare/")

    _grow(cast, 2)
    three = _count(client, f"{BASE}versions/compare/")

    assert one == three


def test_draft_pages_same_queries_at_one_and_three_goals(cast, as_role):
    client = as_role("staff")
    urls = [BASE, f"{BASE}?view=draft", f"{BASE}versions/compare/?b=draft", f"{BASE}edit/"]
    _grow(cast, 1)
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Draft goal")
    one = [_count(client, url) for url in urls]

    _grow(cast, 2)
    services.goal_create(initiative=cast.initiative, by=cast.staff, title="Another draft goal")
    three = [_count(client, url) for url in urls]

    assert one == three
