# ruff: noqa: F811 (pytest fixtures imported by name)
"""Writing learning over the API: the backbone and evaluators keep the questions and the
evaluation plan, an entry's author and the backbone change it; a stale revision is 409 with
the row as it stands, what the services refuse is 422, hidden links stay linked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backbone.learning.models import LearningQuestion, LogEntry, PlanItem
from tests.api.callers import EVERYONE, MEMBERS, call, tokens  # noqa: F401 (fixtures)
from tests.learning.conftest import here, make_entry, make_plan_item  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/learning"
MANAGERS = {"staff", "evaluator"}


def expected(who: str, allowed: set[str], ok: int = 200) -> int:
    if who == "revoked_token":
        return 401
    if who not in MEMBERS:
        return 404
    return ok if who in allowed else 403


@pytest.fixture
def entry(cast, here):
    return make_entry(
        cast.initiative,
        by=cast.steward_a,
        meetings=[here.meeting, here.private_meeting],
        questions=[here.question],
    )


# --- questions -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_who_asks_a_question(cast, here, call, who):
    response = call(
        who,
        "post",
        f"{BASE}/questions",
        {"text": "Do Saturday clubs keep readers?", "owner": str(cast.evaluator.uuid)},
    )
    assert response.status_code == expected(who, MANAGERS, 201), response.content
    made = LearningQuestion.objects.filter(text="Do Saturday clubs keep readers?")
    assert made.count() == (response.status_code == 201)
    if response.status_code == 201:
        found = response.json()
        assert found["status"] == "open" and found["owner"] == "Eve Evaluator"
        assert found["entries"] == 0 and found["revision"] == 1
        assert found["link"] == f"/i/riverton/learning/questions/{found['uuid']}/"


@pytest.mark.parametrize("who", EVERYONE)
def test_who_changes_a_question(cast, here, call, who):
    question = here.question
    response = call(
        who,
        "patch",
        f"{BASE}/questions/{question.uuid}",
        {
            "revision": question.revision,
            "status": "answered",
            "answer": "Yes, for two terms.",
            "answered_on": "2025-03-01",
        },
    )
    assert response.status_code == expected(who, MANAGERS), response.content
    question.refresh_from_db()
    assert question.is_answered == (response.status_code == 200)
    if response.status_code == 200:
        assert response.json()["answer"] == "Yes, for two terms."
        assert response.json()["revision"] == question.revision


def test_a_stale_question_is_409_with_it_as_it_stands(cast, here, call):
    path = f"{BASE}/questions/{here.question.uuid}"
    read = here.question.revision
    assert call("staff", "patch", path, {"revision": read, "why": "Funding"}).status_code == 200
    stale = call("evaluator", "patch", path, {"revision": read, "why": "Other"})
    assert stale.status_code == 409
    assert stale.json()["current"]["why"] == "Funding"
    assert "Saved meanwhile" in stale.json()["detail"]
    here.question.refresh_from_db()
    assert here.question.why == "Funding"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"status": "answered"}, "answer"),  # answered needs its answer and date
        ({"answer": "Already?"}, "answer"),  # an open one has none
        (
            {"status": "answered", "answer": "Yes", "answered_on": "2999-01-01"},
            "answered_on",
        ),
        ({"owner": "00000000-0000-4000-8000-000000000000"}, "owner"),
    ],
)
def test_what_the_question_rules_refuse_is_422(cast, here, call, change, field):
    path = f"{BASE}/questions/{here.question.uuid}"
    response = call("staff", "patch", path, {"revision": here.question.revision, **change})
    assert response.status_code == 422, response.content
    assert ["body", field] in [d["loc"] for d in response.json()["detail"]]
    here.question.refresh_from_db()
    assert not here.question.is_answered and here.question.answer == ""


def test_the_other_initiatives_owner_is_refused(cast, here, call):
    made = call(
        "staff", "post", f"{BASE}/questions", {"text": "Q?", "owner": str(cast.other_staff.uuid)}
    )
    assert made.status_code == 422
    assert not LearningQuestion.objects.filter(text="Q?").exists()


# --- the log -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_who_changes_a_log_entry(cast, here, entry, call, who):
    """Its author (steward A, in person or by their token) and the backbone; a partner's
    token is no author, even of what its organisation's steward wrote."""
    response = call(
        who,
        "patch",
        f"{BASE}/log/{entry.uuid}",
        {"revision": entry.revision, "changed": "Saturday clubs in every branch"},
    )
    allowed = {"staff", "steward_a", "personal_token"}
    assert response.status_code == expected(who, allowed), response.content
    entry.refresh_from_db()
    assert (entry.changed == "Saturday clubs in every branch") == (response.status_code == 200)
    if response.status_code == 200:
        assert response.json()["changed"] == entry.changed
        assert entry.author == cast.steward_a  # the author stays


def test_changing_links_keeps_what_the_author_may_not_see(cast, here, entry, call):
    path = f"{BASE}/log/{entry.uuid}"
    response = call(
        "steward_a",
        "patch",
        path,
        {"revision": entry.revision, "meetings": [], "activities": [str(here.activity.uuid)]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["meetings"] == []
    assert response.json()["activities"] == [str(here.activity.uuid)]
    assert response.json()["questions"] == [str(here.question.uuid)]  # left out: unchanged
    assert list(LogEntry.objects.get(pk=entry.pk).meetings.all()) == [here.private_meeting]
    hidden = call(
        "steward_a",
        "patch",
        path,
        {"revision": entry.revision + 1, "meetings": [str(here.private_meeting.uuid)]},
    )
    assert hidden.status_code == 422
    assert hidden.json()["detail"][0]["loc"] == ["body", "meetings"]


def test_a_stale_entry_is_409_and_refusals_are_422(cast, here, entry, call):
    path = f"{BASE}/log/{entry.uuid}"
    future = str(date.today() + timedelta(days=3))
    refused = call("staff", "patch", path, {"revision": entry.revision, "happened_on": future})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "happened_on"]
    assert (
        call("staff", "patch", path, {"revision": entry.revision, "title": "New"}).status_code
        == 200
    )
    stale = call("steward_a", "patch", path, {"revision": entry.revision, "title": "Mine"})
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "New"
    assert LogEntry.objects.get(pk=entry.pk).title == "New"


# --- the evaluation plan -------------------------------------------------------------------


@pytest.fixture
def item(cast, here):
    return make_plan_item(cast.initiative, questions=[here.question])


@pytest.mark.parametrize("who", EVERYONE)
def test_members_read_the_plan(cast, item, call, who):
    listed = call(who, "get", f"{BASE}/plan")
    assert listed.status_code == expected(who, MEMBERS), listed.content
    one = call(who, "get", f"{BASE}/plan/{item.uuid}")
    assert one.status_code == expected(who, MEMBERS)
    if listed.status_code == 200:
        assert [i["title"] for i in listed.json()["items"]] == ["Reading pilot review"]
        assert one.json()["stage"] == "early" and one.json()["evaluation_type"] == "formative"


def test_the_plan_filters(cast, here, item, call):
    make_plan_item(
        cast.initiative, title="Outcome study", stage="later", evaluation_type="summative"
    )

    def titles(**query):
        response = call("member_a", "get", f"{BASE}/plan", **query)
        assert response.status_code == 200
        return [i["title"] for i in response.json()["items"]]

    assert titles(stage="later") == ["Outcome study"]
    assert titles(evaluation_type="formative") == ["Reading pilot review"]
    assert titles(question=str(here.question.uuid)) == ["Reading pilot review"]
    assert call("member_a", "get", f"{BASE}/plan/{here.question.uuid}").status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_who_plans_and_changes_the_plan(cast, here, item, call, who):
    made = call(
        who,
        "post",
        f"{BASE}/plan",
        {
            "title": "Family survey",
            "stage": "middle",
            "evaluation_type": "developmental",
            "questions": [str(here.question.uuid)],
            "evaluator": "Eve",
        },
    )
    assert made.status_code == expected(who, MANAGERS, 201), made.content
    assert PlanItem.objects.filter(title="Family survey").count() == (made.status_code == 201)
    if made.status_code == 201:
        assert made.json()["questions"] == [str(here.question.uuid)]
    changed = call(
        who, "patch", f"{BASE}/plan/{item.uuid}", {"revision": item.revision, "timing": "Spring"}
    )
    assert changed.status_code == expected(who, MANAGERS), changed.content
    item.refresh_from_db()
    assert (item.timing == "Spring") == (changed.status_code == 200)


def test_plan_refusals_and_a_stale_revision(cast, here, item, call):
    path = f"{BASE}/plan/{item.uuid}"
    foreign = call(
        "staff", "patch", path, {"revision": item.revision, "questions": [str(item.uuid)]}
    )
    assert foreign.status_code == 422
    assert foreign.json()["detail"][0]["loc"] == ["body", "questions"]
    assert (
        call("staff", "patch", path, {"revision": item.revision, "questions": []}).status_code
        == 200
    )
    stale = call("evaluator", "patch", path, {"revision": item.revision, "title": "Late"})
    assert stale.status_code == 409 and stale.json()["current"]["questions"] == []
    assert PlanItem.objects.get(pk=item.pk).title == "Reading pilot review"
