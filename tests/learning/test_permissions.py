"""Who may read and write learning questions, the evaluation plan and the log, role by role."""

from __future__ import annotations

import pytest

from backbone.learning.models import LearningQuestion, LogEntry, PlanItem
from tests.conftest import ROLES, refused

from .conftest import make_entry, make_plan_item

pytestmark = pytest.mark.integration

BASE = "/i/riverton/learning/"
OUTSIDERS = {"anonymous", "public", "other_staff"}
MEMBERS = set(ROLES) - OUTSIDERS
MANAGERS = {"staff", "evaluator"}
LOG_WRITERS = {"staff", "evaluator", "steward_a", "steward_b", "member_a"}
AUTHOR_AND_BACKBONE = {"staff", "member_a"}


def expected(role, allowed, ok=200):
    if role in OUTSIDERS:
        return 404
    return ok if role in allowed else 403


@pytest.fixture
def things(cast, here):
    return {
        "question": here.question,
        "item": make_plan_item(cast.initiative, questions=[here.question]),
        "entry": make_entry(cast.initiative, by=cast.member_a, indicators=[here.indicator]),
    }


def url(page, things):
    return BASE + page.format(
        question=things["question"].uuid, item=things["item"].uuid, entry=things["entry"].uuid
    )


READ_PAGES = ["", "questions/{question}/", "plan/", "log/", "log/{entry}/"]
MANAGE_PAGES = ["questions/new/", "questions/{question}/edit/", "plan/new/", "plan/{item}/edit/"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_learning_pages_read_by_every_member(as_role, things, role, page):
    assert as_role(role).get(url(page, things)).status_code == expected(role, MEMBERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_question_and_plan_forms_for_backbone_and_evaluators(as_role, things, role, page):
    assert as_role(role).get(url(page, things)).status_code == expected(role, MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_log_form_for_partners_backbone_and_evaluators(as_role, things, role):
    assert as_role(role).get(BASE + "log/new/").status_code == expected(role, LOG_WRITERS)


@pytest.mark.parametrize("role", ROLES)
def test_entry_edited_by_its_author_and_the_backbone(as_role, things, role):
    page = url("log/{entry}/edit/", things)
    assert as_role(role).get(page).status_code == expected(role, AUTHOR_AND_BACKBONE)


@pytest.mark.parametrize("role", ROLES)
def test_question_posted_only_by_backbone_and_evaluators(as_role, things, role):
    response = as_role(role).post(BASE + "questions/new/", {"text": "Who comes?", "status": "open"})
    assert response.status_code == expected(role, MANAGERS, ok=302)
    assert LearningQuestion.objects.filter(text="Who comes?").exists() == (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_question_edit_posted_only_by_backbone_and_evaluators(as_role, things, role):
    response = as_role(role).post(
        url("questions/{question}/edit/", things), {"text": "Changed", "status": "open"}
    )
    assert response.status_code == expected(role, MANAGERS, ok=302)
    things["question"].refresh_from_db()
    assert (things["question"].text == "Changed") == (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_plan_item_posted_only_by_backbone_and_evaluators(as_role, things, role):
    data = {"title": "Attendance pilot", "stage": "middle", "evaluation_type": "summative"}
    response = as_role(role).post(BASE + "plan/new/", data)
    assert response.status_code == expected(role, MANAGERS, ok=302)
    assert PlanItem.objects.filter(title="Attendance pilot").exists() == (role in MANAGERS)
    response = as_role(role).post(url("plan/{item}/edit/", things), data)
    assert response.status_code == expected(role, MANAGERS, ok=302)


ENTRY = {
    "happened_on": "2025-02-01",
    "title": "Text reminders to families",
    "tried": "Texts the evening before",
    "data_showed": "Absence fell",
    "changed": "",
}


@pytest.mark.parametrize("role", ROLES)
def test_entry_posted_by_partners_backbone_and_evaluators(as_role, cast, things, role):
    response = as_role(role).post(BASE + "log/new/", ENTRY)
    assert response.status_code == expected(role, LOG_WRITERS, ok=302)
    made = LogEntry.objects.filter(title=ENTRY["title"]).first()
    assert (made is not None) == (role in LOG_WRITERS)
    if made:
        assert made.author == cast.person(role)


@pytest.mark.parametrize("role", ROLES)
def test_entry_edit_posted_only_by_author_and_backbone(as_role, cast, things, role):
    response = as_role(role).post(url("log/{entry}/edit/", things), ENTRY)
    assert response.status_code == expected(role, AUTHOR_AND_BACKBONE, ok=302)
    things["entry"].refresh_from_db()
    assert (things["entry"].title == ENTRY["title"]) == (role in AUTHOR_AND_BACKBONE)
    assert things["entry"].author == cast.member_a


def test_author_who_is_no_longer_a_partner_cannot_edit(as_role, cast, things):
    from backbone.initiatives.models import Membership

    Membership.objects.filter(person=cast.member_a).update(role="community_member")
    assert as_role("member_a").get(url("log/{entry}/edit/", things)).status_code == 403


@pytest.mark.parametrize("role", ["anonymous", "public", "other_staff"])
@pytest.mark.parametrize("page", [*READ_PAGES, "log/new/"])
def test_visitors_of_a_public_initiative_are_refused(as_role, cast, things, role, page):
    cast.initiative.visibility = "public"
    cast.initiative.save()
    assert as_role(role).get(url(page, things)).status_code == refused(role)
