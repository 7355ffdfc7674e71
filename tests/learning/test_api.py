# ruff: noqa: F811 (pytest fixtures imported by name)
"""Learning questions and the learning log over the API: members read, links show only what
the reader may see, partners/backbone/evaluators add entries through the service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backbone.learning.models import LogEntry
from tests.api.callers import EVERYONE, MEMBERS, call, tokens  # noqa: F401 (fixtures)
from tests.learning.conftest import here, make_entry, there  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration

BASE = "/api/initiatives/riverton/learning"
WRITERS = MEMBERS - {"community", "funder"}


def expected_read(who: str) -> int:
    if who == "revoked_token":
        return 401
    return 200 if who in MEMBERS else 404


@pytest.fixture
def entry(cast, here):
    return make_entry(
        cast.initiative,
        by=cast.steward_a,
        indicators=[here.indicator, here.hidden_indicator],
        activities=[here.activity],
        meetings=[here.meeting, here.private_meeting],
        proposals=[here.proposal],
        questions=[here.question],
    )


def body(**extra) -> dict:
    return {
        "happened_on": "2025-02-01",
        "title": "Moved the reading club to Saturdays",
        "tried": "Saturday mornings",
        "data_showed": "Attendance doubled",
        **extra,
    }


def test_members_read_the_questions_and_the_log(cast, here, entry, call):
    for who in EVERYONE:
        for path in (
            f"{BASE}/questions",
            f"{BASE}/questions/{here.question.uuid}",
            f"{BASE}/log",
            f"{BASE}/log/{entry.uuid}",
        ):
            assert call(who, "get", path).status_code == expected_read(who), (who, path)
    questions = call("community", "get", f"{BASE}/questions").json()["items"]
    assert [(q["text"], q["entries"]) for q in questions] == [(here.question.text, 1)]
    one = call("funder", "get", f"{BASE}/questions/{here.question.uuid}").json()
    assert [e["uuid"] for e in one["log"]] == [str(entry.uuid)]


def test_links_show_only_what_the_reader_may_see(cast, here, entry, call):
    path = f"{BASE}/log/{entry.uuid}"
    funder = call("funder", "get", path).json()
    assert funder["indicators"] == ["readiness"]  # the members' indicator is kept from funders
    assert funder["meetings"] == [str(here.meeting.uuid)]  # not the private group's
    steward_b = call("steward_b", "get", path).json()  # leads the private group
    assert set(steward_b["indicators"]) == {"readiness", "caseload"}
    assert set(steward_b["meetings"]) == {str(here.meeting.uuid), str(here.private_meeting.uuid)}
    assert steward_b["author"] == "Ada Steward"
    assert steward_b["decisions"] == [str(here.proposal.uuid)]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"indicator": "readiness"}, 1),
        ({"question": "q"}, 1),
        ({"activity": "a"}, 1),
        ({"indicator": "nothing"}, 0),
        ({"question": "00000000-0000-4000-8000-000000000000"}, 0),
    ],
)
def test_the_log_filters_as_its_page(cast, here, entry, call, query, found):
    query = {
        k: {"q": str(here.question.uuid), "a": str(here.activity.uuid)}.get(v, v)
        for k, v in query.items()
    }
    assert call("evaluator", "get", f"{BASE}/log", **query).json()["count"] == found


def test_a_hidden_indicator_filters_nothing_for_who_may_not_see_it(cast, entry, call):
    assert call("funder", "get", f"{BASE}/log", indicator="caseload").json()["count"] == 0
    assert call("staff", "get", f"{BASE}/log", indicator="caseload").json()["count"] == 1


def test_partners_backbone_and_evaluators_add_entries(cast, here, call):
    for who in EVERYONE:
        response = call(who, "post", f"{BASE}/log", body(title=f"By {who}"))
        wanted = 201 if who in WRITERS else 403 if who in MEMBERS else expected_read(who)
        assert response.status_code == wanted, (who, response.content)
    made = LogEntry.objects.get(title="By partner_token")
    assert made.author == cast.steward_a  # the token's maker
    assert LogEntry.objects.filter(initiative=cast.initiative).count() == len(WRITERS)


def test_a_new_entry_links_what_its_author_may_see(cast, here, call):
    response = call(
        "steward_a",
        "post",
        f"{BASE}/log",
        body(
            indicators=["readiness"],
            activities=[str(here.activity.uuid)],
            questions=[str(here.question.uuid)],
            decisions=[str(here.proposal.uuid)],
        ),
    )
    assert response.status_code == 201
    made = response.json()
    assert made["indicators"] == ["readiness"] and made["questions"] == [str(here.question.uuid)]
    assert made["link"] == f"/i/riverton/learning/log/{made['uuid']}/"


def test_what_the_service_refuses_is_422(cast, here, there, call):
    future = (date.today() + timedelta(days=3)).isoformat()
    refused = call("staff", "post", f"{BASE}/log", body(happened_on=future))
    assert refused.status_code == 422
    assert "future" in refused.json()["detail"][0]["msg"]
    elsewhere = call("staff", "post", f"{BASE}/log", body(questions=[str(there.question.uuid)]))
    assert elsewhere.status_code == 422
    assert elsewhere.json()["detail"][0]["loc"] == ["body", "questions"]
    private = call(
        "steward_a", "post", f"{BASE}/log", body(meetings=[str(here.private_meeting.uuid)])
    )
    assert private.status_code == 422  # a meeting they may not see links nothing
    hidden = call("funder", "post", f"{BASE}/log", body())
    assert hidden.status_code == 403
    assert not LogEntry.objects.filter(initiative=cast.initiative).exists()


def test_on_a_public_initiative_visitors_are_refused_as_the_pages_refuse_them(cast, here, call):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert call("anonymous", "get", f"{BASE}/log").status_code == 401
    assert call("public", "get", f"{BASE}/questions").status_code == 403
    assert call("anonymous", "post", f"{BASE}/log", body()).status_code == 401
    assert call("community", "get", f"{BASE}/log").status_code == 200
