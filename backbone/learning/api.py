"""Learning questions and the learning log over the REST API, under the pages' rules.

Members read the questions and the log (no one else: 404 to outsiders, 403 to visitors of a
public initiative, 401 to no one); an entry's links show only what the reader may see
itself (an indicator kept from funders, a private group's meeting or decision). Partners,
the backbone and evaluators add entries, through the same service as the log's form; what
it refuses (a date in the future, a link elsewhere) is 422 with its message.

An entry is changed by its author (while they may add entries) and the backbone
(`learning.log_edit`); the questions and the evaluation plan are kept by the backbone and
evaluators (`learning.manage`); other members get 403. A change carries the `revision` it was
read at: one saved meanwhile refuses it with 409 and the row as it now stands. Links the
caller may not see stay linked when they change an entry's links, as on its form.
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
from backbone.communication.api import acting
from backbone.initiatives.models import Initiative
from backbone.permissions import can
from backbone.revisions import EditConflict

from . import selectors, services
from .models import LearningQuestion, LogEntry, PlanItem

router = Router(tags=["learning"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Line = Annotated[str, StringConstraints(pattern=r"^[^\x00]*\S[^\x00]*$", max_length=200)]
Said = Annotated[str, StringConstraints(pattern=r"^[^\x00]*\S[^\x00]*$", max_length=20_000)]
Asked = Annotated[str, StringConstraints(pattern=r"^[^\x00]*\S[^\x00]*$", max_length=300)]

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


class QuestionIn(Schema):
    """A learning question, as its form takes it."""

    text: Asked = Field(description="The question.")
    why: Text = Field("", max_length=20_000, description="Why it matters.")
    owner: UUID | None = Field(
        None, description="Who makes sure it gets answered: a person of this initiative."
    )
    status: Literal["open", "answered"] = "open"
    answer: Text = Field("", max_length=20_000, description="Only once it is answered.")
    answered_on: date | None = Field(None, description="Only once it is answered.")


class QuestionChangeIn(Schema):
    """What to change; what is left out stays as it is."""

    revision: int = Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")
    text: Asked | None = None
    why: Text | None = Field(None, max_length=20_000)
    owner: UUID | None = Field(None, description="Null: no owner.")
    status: Literal["open", "answered"] | None = None
    answer: Text | None = Field(None, max_length=20_000)
    answered_on: date | None = None


class QuestionConflictOut(Schema):
    detail: str
    current: QuestionOut = Field(description="The question as it now stands.")


class EntryChangeIn(Schema):
    """What to change; what is left out stays as it is. A list of links replaces those of
    its kind you may see (what you may not see stays linked)."""

    revision: int = Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")
    happened_on: date | None = None
    title: Line | None = None
    tried: Said | None = None
    data_showed: Said | None = None
    changed: Text | None = Field(None, max_length=20_000)
    activities: list[UUID] | None = Field(None, max_length=100)
    indicators: list[Slug] | None = Field(None, max_length=100)
    meetings: list[UUID] | None = Field(None, max_length=100)
    decisions: list[UUID] | None = Field(None, max_length=100)
    questions: list[UUID] | None = Field(None, max_length=100)


class EntryConflictOut(Schema):
    detail: str
    current: EntryOut = Field(description="The entry as it now stands.")


Stage_ = Literal["early", "middle", "later"]
EvaluationType_ = Literal["developmental", "formative", "summative"]


class PlanItemOut(Schema):
    uuid: UUID
    title: str = Field(description="What is evaluated.")
    stage: Stage_ = Field(description="When in the initiative's life.")
    evaluation_type: EvaluationType_
    questions: list[UUID] = Field(description="The learning questions it answers.")
    method: str
    evaluator: str = Field(description="Who evaluates: a person, team or firm.")
    timing: str
    revision: int
    created_at: datetime

    @staticmethod
    def resolve_questions(obj: PlanItem) -> list[UUID]:
        return [q.uuid for q in obj.questions.all()]


class PlanItemIn(Schema):
    title: Line
    stage: Stage_
    evaluation_type: EvaluationType_
    questions: list[UUID] = Field(default_factory=list, max_length=100)
    method: Text = Field("", max_length=20_000)
    evaluator: Text = Field("", max_length=200)
    timing: Text = Field("", max_length=200)


class PlanItemChangeIn(Schema):
    """What to change; what is left out stays as it is."""

    revision: int = Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")
    title: Line | None = None
    stage: Stage_ | None = None
    evaluation_type: EvaluationType_ | None = None
    questions: list[UUID] | None = Field(None, max_length=100)
    method: Text | None = Field(None, max_length=20_000)
    evaluator: Text | None = Field(None, max_length=200)
    timing: Text | None = Field(None, max_length=200)


class PlanItemConflictOut(Schema):
    detail: str
    current: PlanItemOut = Field(description="The plan item as it now stands.")


class PlanFilters(Schema):
    stage: Stage_ | None = None
    evaluation_type: EvaluationType_ | None = None
    question: UUID | None = Field(None, description="Items answering this learning question.")


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


def _manage(request: HttpRequest, initiative: Initiative) -> None:
    """The questions and the evaluation plan: the backbone and evaluators (403 otherwise)."""
    if not can(who(request), "learning.manage", initiative):
        raise PermissionDenied


def _problems(exc: Refused) -> ValidationError:
    return _refused(exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages})


def _counted(initiative: Initiative, uuid: UUID) -> LearningQuestion:
    """The question as the list shows it, with its count of log entries."""
    found = next(q for q in selectors.questions(initiative=initiative) if q.uuid == uuid)
    found.initiative = initiative
    return found


def _owner(initiative: Initiative, uuid: UUID | None):
    if uuid is None:
        return None
    owner = selectors.member_person(initiative=initiative, uuid=uuid)
    if owner is None:
        raise _refused({"owner": "The owner must be a person of this initiative."})
    return owner


@router.post(QUESTIONS, response={201: QuestionOut, **WRITE})
def create_question(request: HttpRequest, slug: Slug, payload: QuestionIn):
    """Ask a learning question (the backbone and evaluators): open, or answered with its
    answer and the day it was answered."""
    initiative = _learning(request, slug)
    _manage(request, initiative)
    question = LearningQuestion(
        initiative=initiative,
        owner=_owner(initiative, payload.owner),
        **payload.model_dump(exclude={"owner", "text"}),
        text=payload.text.strip(),
    )
    try:
        services.question_save(question=question, by=caller(request).by)
    except Refused as exc:
        raise _problems(exc) from exc
    return Status(201, _counted(initiative, question.uuid))


@router.patch(QUESTIONS + "/{uuid}", response={200: QuestionOut, 409: QuestionConflictOut, **WRITE})
def change_question(request: HttpRequest, slug: Slug, uuid: UUID, payload: QuestionChangeIn):
    """Change a learning question read at `revision` (answer it, say); saved meanwhile,
    it is refused with 409 and the question as it now stands."""
    initiative = _learning(request, slug)
    found = _question(initiative, uuid)
    _manage(request, initiative)
    given = payload.model_dump(exclude_unset=True, exclude={"revision"})
    if "owner" in given:
        found.owner = _owner(initiative, given.pop("owner"))
    for name, value in given.items():
        if value is not None:
            setattr(found, name, value.strip() if name == "text" else value)
        elif name == "answered_on":
            found.answered_on = None
    try:
        services.question_save(
            question=found, by=caller(request).by, read_revision=payload.revision
        )
    except EditConflict as exc:
        return Status(409, {"detail": exc.messages[0], "current": _counted(initiative, uuid)})
    except Refused as exc:
        raise _problems(exc) from exc
    return _counted(initiative, uuid)


@router.patch(LOG + "/{uuid}", response={200: EntryOut, 409: EntryConflictOut, **WRITE})
def change_log_entry(request: HttpRequest, slug: Slug, uuid: UUID, payload: EntryChangeIn):
    """Change a log entry read at `revision`: its author (while a partner, the backbone or
    an evaluator) and the backbone (403 for others). Saved meanwhile, it is refused with 409
    and the entry as it now stands."""
    initiative = _learning(request, slug)
    found = selectors.log_entry_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such log entry.")
    person = who(request)
    if not can(
        person, "learning.log_edit", initiative, selectors.authorship(found, acting(request))
    ):
        raise PermissionDenied
    given = payload.model_dump(exclude_unset=True, exclude={"revision"})
    names = {"decisions": "proposals"}
    hidden = selectors.links_hidden(found, initiative=initiative, person=person)
    named = {
        names.get(k, k): v
        for k, v in given.items()
        if k in ("activities", "indicators", "meetings", "decisions", "questions") and v is not None
    }
    links, problems = selectors.links_named(initiative=initiative, person=person, **named)
    if problems:
        raise _refused(problems)
    links = {
        name: [*links[name], *hidden[name]] if name in named else list(getattr(found, name).all())
        for name in ("activities", "indicators", "meetings", "proposals", "questions")
    }
    for name in ("happened_on", "title", "tried", "data_showed", "changed"):
        if given.get(name) is not None:
            setattr(found, name, given[name].strip() if name == "title" else given[name])
    try:
        services.log_entry_save(
            entry=found, by=caller(request).by, read_revision=payload.revision, **links
        )
    except EditConflict as exc:
        current = selectors.log_entry_get(initiative=initiative, uuid=uuid)
        seen = _seen(request, initiative, [current])[0]
        return Status(409, {"detail": exc.messages[0], "current": seen})
    except Refused as exc:
        raise _problems(exc) from exc
    current = selectors.log_entry_get(initiative=initiative, uuid=uuid)
    return _seen(request, initiative, [current])[0]


# --- the evaluation plan --------------------------------------------------------------------

PLAN = "/initiatives/{slug}/learning/plan"


def _plan_item(initiative: Initiative, uuid: UUID) -> PlanItem:
    found = selectors.plan_item_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such plan item.")
    return found


def _questions(initiative: Initiative, uuids: list[UUID]) -> list[LearningQuestion]:
    found, missing = selectors.questions_named(initiative=initiative, uuids=uuids)
    if missing:
        raise _refused(
            {"questions": f"No learning question of this initiative: {', '.join(missing)}."}
        )
    return found


@router.get(PLAN, response={200: list[PlanItemOut], **READ})
@paginate(Page)
def list_plan_items(request: HttpRequest, slug: Slug, filters: Query[PlanFilters]):
    """The evaluation plan, by stage, type of evaluation and title: narrowed to a stage, a
    type, or the items answering one learning question."""
    initiative = _learning(request, slug)
    return selectors.plan_items(initiative=initiative, **filters.model_dump())


@router.get(PLAN + "/{uuid}", response={200: PlanItemOut, **READ})
def get_plan_item(request: HttpRequest, slug: Slug, uuid: UUID):
    return _plan_item(_learning(request, slug), uuid)


@router.post(PLAN, response={201: PlanItemOut, **WRITE})
def create_plan_item(request: HttpRequest, slug: Slug, payload: PlanItemIn):
    """Plan an evaluation (the backbone and evaluators), with the questions it answers."""
    initiative = _learning(request, slug)
    _manage(request, initiative)
    questions = _questions(initiative, payload.questions)
    item = PlanItem(initiative=initiative, **payload.model_dump(exclude={"questions"}))
    item.title = item.title.strip()
    try:
        services.plan_item_save(item=item, questions=questions, by=caller(request).by)
    except Refused as exc:
        raise _problems(exc) from exc
    return Status(201, _plan_item(initiative, item.uuid))


@router.patch(PLAN + "/{uuid}", response={200: PlanItemOut, 409: PlanItemConflictOut, **WRITE})
def change_plan_item(request: HttpRequest, slug: Slug, uuid: UUID, payload: PlanItemChangeIn):
    """Change a plan item read at `revision`; saved meanwhile, it is refused with 409 and
    the item as it now stands."""
    initiative = _learning(request, slug)
    found = _plan_item(initiative, uuid)
    _manage(request, initiative)
    given = payload.model_dump(exclude_unset=True, exclude={"revision"})
    questions = given.pop("questions", None)
    questions = (
        list(found.questions.all()) if questions is None else _questions(initiative, questions)
    )
    for name, value in given.items():
        if value is not None:
            setattr(found, name, value.strip() if name == "title" else value)
    try:
        services.plan_item_save(
            item=found, questions=questions, by=caller(request).by, read_revision=payload.revision
        )
    except EditConflict as exc:
        current = _plan_item(initiative, uuid)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise _problems(exc) from exc
    return _plan_item(initiative, uuid)
