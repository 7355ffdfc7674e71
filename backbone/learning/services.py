"""Writes: each checks the same rules the forms show, so no path saves bad data.

A log entry, plan item or question only ever points at things of its own initiative: the
forms offer nothing else, and these functions refuse anything else, by field, with nothing
saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from backbone.initiatives.models import Membership
from backbone.links import keyed
from backbone.revisions import revise

from .models import LearningQuestion, LogEntry, PlanItem

LINK_NAMES = {
    "activities": "activity",
    "indicators": "indicator",
    "meetings": "meeting",
    "proposals": "decision",
    "questions": "learning question",
}


def foreign_problems(initiative_id: int, **links: Iterable[Any]) -> dict[str, str]:
    """The linked objects, by field, that belong to another initiative."""
    problems = {}
    for field, objects in links.items():
        strangers = [str(o) for o in objects if o.initiative_id != initiative_id]
        if strangers:
            what = LINK_NAMES.get(field, field.rstrip("s"))
            names = ", ".join(f"“{s}”" for s in strangers)
            problems[field] = (
                f"Each linked {what} must belong to this initiative; {names} does not."
                if len(strangers) == 1
                else f"Each linked {what} must belong to this initiative; {names} do not."
            )
    return problems


def owner_problem(*, initiative_id: int, person: Any) -> str | None:
    if person is None:
        return None
    if not Membership.objects.filter(initiative_id=initiative_id, person=person).exists():
        return "The owner must be a person of this initiative."
    return None


def question_problems(
    *, status: str, answer: str, answered_on: date | None, today: date
) -> dict[str, str]:
    """An answered question has its answer and the day it was answered; an open one neither."""
    problems = {}
    if status == LearningQuestion.Status.ANSWERED:
        if not answer.strip():
            problems["answer"] = "An answered question needs its answer."
        if answered_on is None:
            problems["answered_on"] = "An answered question needs the date it was answered."
        elif answered_on > today:
            problems["answered_on"] = "The date it was answered cannot be in the future."
    elif status == LearningQuestion.Status.OPEN:
        if answer.strip():
            problems["answer"] = (
                "An open question has no answer yet: mark it answered, or keep the working "
                "notes in the learning log."
            )
        if answered_on is not None:
            problems["answered_on"] = "An open question has no answer date."
    return problems


def _raise(problems: dict[str, str | None]) -> None:
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def question_save(
    *, question: LearningQuestion, by=None, read_revision: int | None = None
) -> LearningQuestion:
    """A change is refused (EditConflict) when the question was saved since the form was
    read at `read_revision`."""
    _raise(
        {
            "owner": owner_problem(initiative_id=question.initiative_id, person=question.owner),
            **question_problems(
                status=question.status,
                answer=question.answer,
                answered_on=question.answered_on,
                today=timezone.localdate(),
            ),
        }
    )
    if question.pk is None and by is not None:
        question.created_by = by
    question.full_clean()
    revise(question, read=read_revision, by=by)
    question.save()
    return question


@transaction.atomic
def plan_item_save(
    *,
    item: PlanItem,
    questions: Iterable[LearningQuestion] = (),
    by=None,
    read_revision: int | None = None,
) -> PlanItem:
    questions = list(questions)
    _raise(foreign_problems(item.initiative_id, questions=questions))
    item.full_clean()
    revise(item, read=read_revision, by=by)
    item.save()
    item.questions.set(questions, through_defaults=keyed(item))
    return item


def entry_date_problem(*, happened_on: date | None, today: date) -> str | None:
    if happened_on and happened_on > today:
        return "The learning log records what has happened: the date cannot be in the future."
    return None


@transaction.atomic
def log_entry_save(
    *,
    entry: LogEntry,
    by=None,
    read_revision: int | None = None,
    activities: Iterable[Any] = (),
    indicators: Iterable[Any] = (),
    meetings: Iterable[Any] = (),
    proposals: Iterable[Any] = (),
    questions: Iterable[Any] = (),
) -> LogEntry:
    """Save an entry and set its links (all optional), each to this initiative's objects.
    A change is refused (EditConflict) when the entry was saved since the form was read at
    `read_revision`."""
    links = {
        "activities": list(activities),
        "indicators": list(indicators),
        "meetings": list(meetings),
        "proposals": list(proposals),
        "questions": list(questions),
    }
    _raise(
        {
            "happened_on": entry_date_problem(
                happened_on=entry.happened_on, today=timezone.localdate()
            ),
            **foreign_problems(entry.initiative_id, **links),
        }
    )
    if entry.pk is None and by is not None:
        entry.author = by
    entry.full_clean()
    revise(entry, read=read_revision, by=by)
    entry.save()
    for field, objects in links.items():
        getattr(entry, field).set(objects, through_defaults=keyed(entry))
    return entry
