# ruff: noqa: F811 (pytest fixtures imported by name)
"""The review of submissions over the API: who lists and reads which, their values, and who
approves or returns them through the page's approval service."""

from __future__ import annotations

import pytest

from backbone.measurement.models import DataValue, Submission
from backbone.notifications.models import Notification
from tests.api.callers import EVERYONE, call, tokens  # noqa: F401 (fixtures)
from tests.measurement.reporting.conftest import enrolled_rows, reporting, send  # noqa: F401

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/review/submissions"
VALUES = "/api/initiatives/riverton/review/values"

# who reads partners' own values: partner A's people and tokens theirs, steward B B's
READS_A = {"staff", "evaluator", "steward_a", "member_a", "partner_token", "personal_token"}
READS_B = {"staff", "evaluator", "steward_b"}
MEMBERS_WITHOUT = {"community", "funder"}  # members of the initiative who read no values


def expected_list(who: str) -> int:
    if who == "revoked_token":
        return 401
    if who in MEMBERS_WITHOUT:
        return 403
    return 200 if who in READS_A | READS_B else 404


@pytest.fixture
def subs(cast, reporting):
    a = send(cast, enrolled_rows(period="2024-01"))
    b = send(cast, enrolled_rows(period="2024-02"), partner="b")
    draft = send(cast, enrolled_rows(period="2024-03"), status="draft")
    return {"a": a, "b": b, "draft": draft}


def test_each_caller_lists_the_submissions_the_page_shows_them(cast, subs, call):
    for who in EVERYONE:
        response = call(who, "get", BASE)
        assert response.status_code == expected_list(who), who
        if response.status_code != 200:
            continue
        shown = {item["uuid"] for item in response.json()["items"]}
        wanted = {str(s.uuid) for name, s in subs.items() if name != "b" and who in READS_A}
        wanted |= {str(subs["b"].uuid)} if who in READS_B else set()
        assert shown == wanted, who


def test_the_queue_comes_first_for_who_approves(cast, subs, call):
    items = call("staff", "get", BASE).json()["items"]
    assert [i["status"] for i in items][:2] == ["submitted", "submitted"]
    assert items[-1]["uuid"] == str(subs["draft"].uuid)
    assert items[0]["partner"] in {"riverton-public-library", "northside-food-bank"}
    assert items[0]["link"].startswith("/i/riverton/measurement/submissions/")


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"status": "draft"}, {"draft"}),
        ({"partner": "northside-food-bank"}, {"b"}),
        ({"period": "2024-02"}, {"b"}),
        ({"indicator": "children-enrolled"}, {"a", "b", "draft"}),
        ({"indicator": "open-cases"}, set()),
        ({"channel": "web"}, set()),
        ({"partner": "nobody-here"}, set()),
    ],
)
def test_filters_narrow_the_list(cast, subs, call, query, shown):
    items = call("evaluator", "get", BASE, **query).json()["items"]
    assert {i["uuid"] for i in items} == {str(subs[n].uuid) for n in shown}


def test_a_partner_never_reads_another_partners_submission(cast, subs, call):
    path = f"{BASE}/{subs['b'].uuid}"
    for who in ("steward_a", "member_a", "partner_token", "personal_token"):
        assert call(who, "get", path).status_code == 404, who
        found = call(who, "get", VALUES, submission=str(subs["b"].uuid))
        assert found.json()["count"] == 0, who  # another partner's values: none
    assert call("steward_b", "get", path).status_code == 200
    assert call("other_initiative_token", "get", path).status_code == 404
    assert call("revoked_token", "get", path).status_code == 401


def test_one_submission_reads_as_its_page_with_its_values(cast, subs, call):
    one = call("staff", "get", f"{BASE}/{subs['a'].uuid}").json()
    assert one["status"] == "submitted" and one["value_count"] == 3
    assert one["may_review"] is True and one["may_submit"] is False
    assert call("steward_a", "get", f"{BASE}/{subs['a'].uuid}").json()["may_review"] is False
    assert one["values_link"] == f"{VALUES}?submission={subs['a'].uuid}"
    values = call("member_a", "get", VALUES, submission=str(subs["a"].uuid)).json()
    assert values["count"] == 3
    by_groups = {tuple(v["groups"].items()): v for v in values["items"]}
    assert by_groups[(("place", "north"),)]["value"] == "10"
    assert by_groups[()]["groups_label"] == "Total" and by_groups[()]["value"] == "30"
    assert {v["submission"] for v in values["items"]} == {str(subs["a"].uuid)}
    one_page = call("staff", "get", VALUES, submission=str(subs["a"].uuid), limit=1).json()
    assert one_page["count"] == 3 and len(one_page["items"]) == 1


def test_values_under_review_are_the_partners_own(cast, subs, call):
    for who in EVERYONE:
        response = call(who, "get", VALUES)
        assert response.status_code == expected_list(who), who
        if response.status_code != 200:
            continue
        seen = {v["submission"] for v in response.json()["items"]}
        wanted = {str(s.uuid) for name, s in subs.items() if name != "b" and who in READS_A}
        wanted |= {str(subs["b"].uuid)} if who in READS_B else set()
        assert seen == wanted, who
    drafts = call("staff", "get", VALUES, status="draft", period="2024-03").json()
    assert drafts["count"] == 3 and {v["status"] for v in drafts["items"]} == {"draft"}
    assert call("staff", "get", VALUES, partner="northside-food-bank").json()["count"] == 3
    assert call("staff", "get", VALUES, indicator="open-cases").json()["count"] == 0


def test_only_the_backbone_approves_and_the_service_does_the_rest(cast, subs, call):
    path = f"{BASE}/{subs['a'].uuid}/approve"
    for who in EVERYONE:
        if who == "staff":
            continue
        expected = 403 if who in READS_A - {"staff"} or who in MEMBERS_WITHOUT else 404
        expected = 401 if who == "revoked_token" else expected
        assert call(who, "post", path).status_code == expected, who
    assert call("steward_b", "post", path).status_code == 404
    response = call("staff", "post", path)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved" and response.json()["reviewed_by"] == "Sam Staff"
    assert set(DataValue.objects.filter(submission=subs["a"]).values_list("status", flat=True)) == {
        "approved"
    }
    assert Notification.objects.filter(person=cast.steward_a).exists()


def test_a_submission_reviewed_meanwhile_is_a_conflict(cast, subs, call):
    assert call("staff", "post", f"{BASE}/{subs['a'].uuid}/approve").status_code == 200
    again = call("staff", "post", f"{BASE}/{subs['a'].uuid}/approve")
    assert again.status_code == 409
    assert again.json()["current"]["status"] == "approved"
    assert "submitted" in again.json()["detail"]
    draft = call("staff", "post", f"{BASE}/{subs['draft'].uuid}/return", {"comment": "Fix"})
    assert draft.status_code == 409


def test_returning_needs_a_comment_the_partner_reads(cast, subs, call):
    path = f"{BASE}/{subs['b'].uuid}/return"
    assert call("staff", "post", path, {"comment": "   "}).status_code == 422
    assert call("staff", "post", path, {}).status_code == 422
    assert call("steward_b", "post", path, {"comment": "Mine"}).status_code == 403
    response = call("staff", "post", path, {"comment": "  South is off by ten.  "})
    assert response.status_code == 200
    assert response.json()["review_comment"] == "South is off by ten."
    assert Submission.objects.get(pk=subs["b"].pk).status == "returned"
    mine = call("steward_b", "get", f"{BASE}/{subs['b'].uuid}").json()
    assert mine["may_submit"] is True and mine["status"] == "returned"


def test_on_a_public_initiative_no_one_is_asked_to_sign_in(cast, subs, call):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert call("anonymous", "get", BASE).status_code == 401
    assert call("public", "get", BASE).status_code == 403
    assert call("anonymous", "post", f"{BASE}/{subs['a'].uuid}/approve").status_code == 401
    assert call("public", "get", "/api/initiatives/riverton/completeness").status_code == 403
    assert call("anonymous", "get", "/api/initiatives/riverton/reports").status_code == 401
