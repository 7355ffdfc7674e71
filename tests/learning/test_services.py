"""Writes refuse what does not fit, by field, with nothing saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from backbone.learning.models import LearningQuestion, LogEntry, PlanItem

from .conftest import make_entry, make_plan_item, make_question

pytestmark = pytest.mark.integration

LINKS = ["indicators", "activities", "meetings", "proposals", "questions"]
ATTR = {
    "indicators": "indicator",
    "activities": "activity",
    "meetings": "meeting",
    "proposals": "proposal",
    "questions": "question",
}


@pytest.mark.parametrize("field", LINKS)
def test_entry_linked_to_another_initiative_is_refused(cast, here, there, field):
    links = {name: [getattr(here, ATTR[name])] for name in LINKS}
    links[field] = [getattr(here, ATTR[field]), getattr(there, ATTR[field])]
    with pytest.raises(ValidationError) as exc:
        make_entry(cast.initiative, by=cast.staff, **links)
    assert list(exc.value.message_dict) == [field]
    assert "must belong to this initiative" in exc.value.message_dict[field][0]
    assert str(getattr(there, ATTR[field])) in exc.value.message_dict[field][0]
    assert not LogEntry.objects.exists()


def test_refused_links_leave_an_existing_entry_as_it_was(cast, here, there):
    entry = make_entry(cast.initiative, by=cast.staff, indicators=[here.indicator])
    entry.title = "Changed"
    with pytest.raises(ValidationError):
        from backbone.learning import services

        services.log_entry_save(entry=entry, indicators=[there.indicator])
    entry = LogEntry.objects.get()
    assert entry.title == "Tried reading buddies"
    assert list(entry.indicators.all()) == [here.indicator]


def test_entry_links_are_all_optional_and_set(cast, here):
    bare = make_entry(cast.initiative, by=cast.member_a)
    assert (bare.author, bare.indicators.count()) == (cast.member_a, 0)
    full = make_entry(
        cast.initiative,
        by=cast.member_a,
        indicators=[here.indicator],
        activities=[here.activity],
        meetings=[here.meeting],
        proposals=[here.proposal],
        questions=[here.question],
    )
    assert [list(getattr(full, name).all()) for name in LINKS] == [
        [here.indicator],
        [here.activity],
        [here.meeting],
        [here.proposal],
        [here.question],
    ]


def test_entry_in_the_future_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        make_entry(cast.initiative, on=timezone.localdate() + timedelta(days=1))
    assert list(exc.value.message_dict) == ["happened_on"]
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("field", ["tried", "data_showed", "title"])
def test_entry_needs_what_was_tried_and_what_the_data_showed(cast, field):
    entry = LogEntry(
        initiative=cast.initiative,
        happened_on=date(2025, 1, 1),
        title="x",
        tried="x",
        data_showed="x",
    )
    setattr(entry, field, "")
    from backbone.learning import services

    with pytest.raises(ValidationError) as exc:
        services.log_entry_save(entry=entry)
    assert field in exc.value.message_dict
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "problem_fields"),
    [
        ({"status": "answered"}, {"answer", "answered_on"}),
        ({"status": "answered", "answer": "Yes"}, {"answered_on"}),
        ({"status": "answered", "answer": " ", "answered_on": date(2025, 1, 1)}, {"answer"}),
        ({"status": "answered", "answer": "Yes", "answered_on": "future"}, {"answered_on"}),
        ({"status": "open", "answer": "Perhaps"}, {"answer"}),
        ({"status": "open", "answered_on": date(2025, 1, 1)}, {"answered_on"}),
    ],
)
def test_question_answer_and_status_must_agree(cast, fields, problem_fields):
    if fields.get("answered_on") == "future":
        fields["answered_on"] = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        make_question(cast.initiative, **fields)
    assert set(exc.value.message_dict) == problem_fields
    assert not LearningQuestion.objects.exists()


def test_answered_question_keeps_answer_and_date(cast):
    q = make_question(
        cast.initiative, status="answered", answer="Yes, by 4 points", answered_on=date(2025, 1, 2)
    )
    assert q.is_answered and q.answer == "Yes, by 4 points"


def test_question_owner_must_be_a_person_of_the_initiative(cast):
    with pytest.raises(ValidationError) as exc:
        make_question(cast.initiative, owner=cast.other_staff)
    assert list(exc.value.message_dict) == ["owner"]
    assert make_question(cast.initiative, owner=cast.evaluator).owner == cast.evaluator


def test_plan_item_answering_another_initiatives_question_is_refused(cast, here, there):
    with pytest.raises(ValidationError) as exc:
        make_plan_item(cast.initiative, questions=[here.question, there.question])
    assert list(exc.value.message_dict) == ["questions"]
    assert not PlanItem.objects.exists()


def test_plan_item_needs_a_known_stage_and_type(cast):
    with pytest.raises(ValidationError) as exc:
        make_plan_item(cast.initiative, stage="final", evaluation_type="impact")
    assert set(exc.value.message_dict) == {"stage", "evaluation_type"}
    assert not PlanItem.objects.exists()
