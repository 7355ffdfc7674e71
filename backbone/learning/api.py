"""Learning questions and the learning log over the REST API, under the pages' rules.

Members read the questions and the log (no one else: 404 to outsiders, 403 to visitors of a
public initiative, 401 to no one); an entry's links show only what the reader may see
itself (an indicator kept from funders, a private group's meeting or decision). Partners,
the backbone and evaluators add entries, through the same service as the log's form; what
it refuses (a date in the future, a link elsewhere) is 422 with its message.
"""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative
from backbone.permissions import can

from . import selectors, services
from .models import LearningQuestion, LogEntry

router = Router(tags=["learning"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Line = Annotated[str, StringConstraints(pattern=r"^[^\x00]*\S[^\x00]*$", max_length=200)]
Said = Annotated[str, StringConstraints(pattern=r"^[^\x00]*\S[^\x00]*$", max_length=20_000)]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class QuestionOut(Schema):
    uuid: UUID
    text: str
    why: str
    owner: str | None = Field(description="Who makes sure it gets answered, by name.")
    status: Literal["open", "answered"]
    answer: str
    answered_on: date | None
    entries: int = Field(description="How many log entries bear on it.")
    revision: int
    created_at: datetime
    updated_at: datetime
    link: str = Field(description="Its page.")

    @staticmethod
    def resolve_owner(obj: LearningQuestion) -> str | None:
        return obj.owner.name if obj.owner else None

    @staticmethod
    def resolve_entries(obj: LearningQuestion) -> int:
        return getattr(obj, "entry_count", 0)

    @staticmethod
    def resolve_link(obj: LearningQuestion) -> str:
        return f"/i/{obj.initiative.slug}/learning/questions/{obj.uuid}/"


class EntryOut(Schema):
    uuid: UUID
    happened_on: date
    title: str
    tried: str
    data_showed: str
    changed: str
    author: str | None = Field(description="Who wrote it, by name.")
    activities: list[UUID]
    indicators: list[str] = Field(description="Codes of the indicators, those you may see.")
    meetings: list[UUID] = Field(description="The meetings you may see.")
    decisions: list[UUID] = Field(description="The proposals put to a vote you may see.")
    questions: list[UUID] = Field(description="The learning questions it bears on.")
    revision: int
    created_at: datetime
    updated_at: datetime
    link: str = Field(description="Its page.")

    @staticmethod
    def resolve_author(obj: LogEntry) -> str | None:
        return obj.author.name if obj.author else None

    @staticmethod
    def resolve_activities(obj: LogEntry) -> list[UUID]:
        return [a.uuid for a in obj.links.activities]

    @staticmethod
    def resolve_indicators(obj: LogEntry) -> list[str]:
        return [i.code for i in obj.links.indicators]

    @staticmethod
    def resolve_meetings(obj: LogEntry) -> list[UUID]:
        return [m.uuid for m in obj.links.meetings]

    @staticmethod
    def resolve_decisions(obj: LogEntry) -> list[UUID]:
        return [p.uuid for p in obj.links.proposals]

    @staticmethod
    def resolve_questions(obj: LogEntry) -> list[UUID]:
        return [q.uuid for q in obj.links.questions]

    @staticmethod
    def resolve_link(obj: LogEntry) -> str:
        return f"/i/{obj.initiative.slug}/learning/log/{obj.uuid}/"


class QuestionDetailOut(QuestionOut):
    log: list[EntryOut] = Field(description="The log entries bearing on it, newest first.")


class EntryIn(Schema):
    happened_on: date = Field(description="When; never in the future.")
    title: Line = Field(description="In a line.")
    tried: Said = Field(description="What was tried.")
    data_showed: Said = Field(description="What the data showed.")
    changed: Text = Field("", max_length=20_000, description="What changed, if anything yet.")
    activities: list[UUID] = Field(default_factory=list, max_length=100)
    indicators: list[Slug] = Field(default_factory=list, max_length=100)
    meetings: list[UUID] = Field(default_factory=list, max_length=100)
    decisions: list[UUID] = Field(default_factory=list, max_length=100)
    questions: list[UUID] = Field(default_factory=list, max_length=100)


class LogFilters(Schema):
    indicator: Slug | None = Field(None, description="An indicator's code.")
    activity: UUID | None = Field(None, description="An activity's uuid.")
    question: UUID | None = Field(None, description="A learning question's uuid.")


def _learning(request: HttpRequest, slug: str) -> Initiative:
    """The initiative, for its members: 404 for outsiders, 401 for no one, 403 for visitors."""
    initiative = initiative_of(request, slug)
    person = who(request)
    if not can(person, "learning.view", initiative):
        if not person.is_authenticated:
            raise HttpError(401, "Sign in, or send a token.")
        raise PermissionDenied
    return initiative


def _seen(request: HttpRequest, initiative: Initiative, entries: list[LogEntry]) -> list:
    selectors.links_seen_by(entries, initiative=initiative, person=who(request))
    for entry in entries:
        entry.initiative = initiative
    return entries


def _question(initiative: Initiative, uuid: UUID) -> LearningQuestion:
    found = selectors.question_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such learning question.")
    found.initiative = initiative
    return found


QUESTIONS = "/initiatives/{slug}/learning/questions"
LOG = "/initiatives/{slug}/learning/log"


@router.get(QUESTIONS, response={200: list[QuestionOut], **READ})
@paginate(Page)
def list_questions(request: HttpRequest, slug: Slug):
    """The learning questions, open ones first (what is still to learn), oldest first."""
    initiative = _learning(request, slug)
    found = selectors.questions(initiative=initiative)
    for question in found:
        question.initiative = initiative
    return found


@router.get(QUESTIONS + "/{uuid}", response={200: QuestionDetailOut, **READ})
def get_question(request: HttpRequest, slug: Slug, uuid: UUID):
    initiative = _learning(request, slug)
    found = _question(initiative, uuid)
    found.log = _seen(
        request, initiative, selectors.log_entries(initiative=initiative, question=found)
    )
    found.entry_count = len(found.log)
    return found


@router.get(LOG, response={200: list[EntryOut], **READ})
@paginate(Page)
def list_log(request: HttpRequest, slug: Slug, filters: Query[LogFilters]):
    """The learning log, newest first, narrowed as its page is: to the entries linked to an
    indicator (one you may see), an activity or a learning question."""
    initiative = _learning(request, slug)
    chosen = selectors.log_filter(
        initiative=initiative, person=who(request), **filters.model_dump()
    )
    if chosen is None:
        return []
    return _seen(request, initiative, selectors.log_entries(initiative=initiative, **chosen))


@router.get(LOG + "/{uuid}", response={200: EntryOut, **READ})
def get_log_entry(request: HttpRequest, slug: Slug, uuid: UUID):
    initiative = _learning(request, slug)
    found = selectors.log_entry_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such log entry.")
    return _seen(request, initiative, [found])[0]


_FIELD = {"proposals": "decisions"}


def _refused(problems: dict) -> ValidationError:
    return ValidationError(
        [
            {"type": "refused", "loc": ["body", _FIELD.get(k, k)] if k else ["body"], "msg": m}
            for k, messages in problems.items()
            for m in ([messages] if isinstance(messages, str) else messages)
        ]
    )


@router.post(LOG, response={201: EntryOut, **WRITE})
def create_log_entry(request: HttpRequest, slug: Slug, payload: EntryIn):
    """Add what was tried, what the data showed and what changed, linked to what it
    concerns (only what you may see yourself): partners, the backbone and evaluators."""
    initiative = _learning(request, slug)
    person = who(request)
    if not can(person, "learning.log_add", initiative):
        raise PermissionDenied
    links, problems = selectors.links_named(
        initiative=initiative,
        person=person,
        activities=payload.activities,
        indicators=payload.indicators,
        meetings=payload.meetings,
        proposals=payload.decisions,
        questions=payload.questions,
    )
    if problems:
        raise _refused(problems)
    entry = LogEntry(
        initiative=initiative,
        happened_on=payload.happened_on,
        title=payload.title.strip(),
        tried=payload.tried,
        data_showed=payload.data_showed,
        changed=payload.changed,
    )
    try:
        services.log_entry_save(entry=entry, by=caller(request).by, **links)
    except Refused as exc:
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        raise _refused(messages) from exc
    found = selectors.log_entry_get(initiative=initiative, uuid=entry.uuid)
    return Status(201, _seen(request, initiative, [found])[0])
