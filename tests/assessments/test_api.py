"""Assessments over the API: who lists and reads which rounds, and results exactly as the
results page shows them (closed rounds only, nothing below the small-number threshold)."""

from __future__ import annotations

import pytest

from backbone.assessments import services
from backbone.initiatives.roles import Role
from tests.api import callers
from tests.api.callers import EVERYONE

from .conftest import answers_for, open_round

call, tokens = callers.call, callers.tokens  # the API callers' fixtures

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/assessments"
MEMBERS = {"community", "member_a", "steward_a", "steward_b", "funder", "evaluator", "staff"}
MEMBERS |= {"partner_token", "personal_token"}
READERS = {"staff", "evaluator"}  # every round, response rates, unshared results


def status_for(who: str, allowed: set[str]) -> int:
    if who == "revoked_token":
        return 401
    if who not in MEMBERS:
        return 404
    return 200 if who in allowed else 403


@pytest.fixture
def rounds(cast, initiative, questionnaires):
    conditions = questionnaires["conditions"]

    def closed(people, **extra):
        found = open_round(initiative, conditions, **extra)
        for person in people:
            services.response_submit(round=found, person=person, answers=answers_for(found))
        services.round_close(round=found)
        return found

    three = (cast.steward_a, cast.member_a, cast.steward_b)
    return {
        "open": open_round(
            initiative,
            questionnaires["readiness"],
            roles=[Role.PARTNER_STEWARD, Role.PARTNER_MEMBER],
            partners=[cast.partner_a],
        ),
        "shared": closed(three, results_shared=True),
        "private": closed(three),
        "few": closed(three[:2], results_shared=True),  # below the threshold of 3
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_rounds_listed_as_the_rounds_page_lists_them(rounds, call, who):
    response = call(who, "get", f"{BASE}/rounds")
    assert response.status_code == status_for(who, MEMBERS)
    if response.status_code != 200:
        return
    body = response.json()
    titles = {r["uuid"] for r in body["items"]}
    if who in READERS:
        assert titles == {str(r.uuid) for r in rounds.values()}
        assert all(r["response_rate"] is not None for r in body["items"])
        return
    # the closed rounds asked every partner person and resident, the open one partner A's;
    # a partner's token is nobody's invitation, a personal token is its person's (steward A)
    names = {"shared", "few"}
    if who in {"community", "steward_b", "steward_a", "member_a", "personal_token"}:
        names.add("private")
    if who in {"steward_a", "member_a", "personal_token"}:
        names.add("open")
    expected = {str(rounds[name].uuid) for name in names}
    assert titles == expected
    assert all(r["response_rate"] is None and r["results_shared"] is None for r in body["items"])
    assert body["count"] == len(expected)


def test_round_filters_and_reading_one(rounds, call):
    found = call("staff", "get", f"{BASE}/rounds", status="open").json()["items"]
    assert [r["uuid"] for r in found] == [str(rounds["open"].uuid)]
    mine = call("funder", "get", f"{BASE}/rounds", asked="true").json()["items"]
    assert mine == []  # the funder is asked in none
    mine = call("steward_a", "get", f"{BASE}/rounds", asked="true", status="open").json()
    assert [r["uuid"] for r in mine["items"]] == [str(rounds["open"].uuid)]
    assert mine["items"][0]["answered"] is False and mine["items"][0]["results"] is None
    one = call("funder", "get", f"{BASE}/rounds/{rounds['shared'].uuid}").json()
    assert one["results_readable"] and one["results"].endswith("/results")
    # a round the page does not list to this member (not asked, not shared) is not found
    assert call("funder", "get", f"{BASE}/rounds/{rounds['private'].uuid}").status_code == 404
    assert call("staff", "get", f"{BASE}/rounds", status="nope").status_code == 422


@pytest.mark.parametrize("who", EVERYONE)
def test_results_by_role(rounds, call, who):
    shared = call(who, "get", f"{BASE}/rounds/{rounds['shared'].uuid}/results")
    private = call(who, "get", f"{BASE}/rounds/{rounds['private'].uuid}/results")
    assert shared.status_code == status_for(who, MEMBERS)
    assert private.status_code == status_for(who, READERS)
    if shared.status_code == 200:
        body = shared.json()
        assert body["enough"] and body["answered"] == 3 and body["threshold"] == 3
        assert body["elements"] and body["weakest_first"]
        assert body["elements"][0]["mean"] == 4.0


def test_results_hidden_below_the_threshold_and_while_open(rounds, call):
    few = call("staff", "get", f"{BASE}/rounds/{rounds['few'].uuid}/results").json()
    assert few["enough"] is False and few["answered"] == 2
    assert few["elements"] == [] and few["by_sector"] is None and few["community"] is None
    still = call("staff", "get", f"{BASE}/rounds/{rounds['open'].uuid}/results").json()
    assert still["enough"] is False and still["status"] == "open" and still["elements"] == []


def test_small_groups_are_hidden_in_comparisons(rounds, call):
    body = call("staff", "get", f"{BASE}/rounds/{rounds['shared'].uuid}/results").json()
    for table in (body["by_sector"], body["community"]):
        if table is None:
            continue
        assert all(g["respondents"] >= 3 for g in table["groups"])


def test_questionnaires(rounds, call):
    listed = call("community", "get", f"{BASE}/questionnaires").json()
    assert "conditions" in {q["slug"] for q in listed}
    one = call("community", "get", f"{BASE}/questionnaires/conditions").json()
    assert one["items"] and one["items"][0]["key"]
    assert call("community", "get", f"{BASE}/questionnaires/nope").status_code == 404
    assert call("public", "get", f"{BASE}/questionnaires").status_code == 404
    other = call("other_initiative_token", "get", f"{BASE}/questionnaires")
    assert other.status_code == 404
