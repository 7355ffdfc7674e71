"""Reads of learning questions, the evaluation plan and the learning log.

Lists fetch their links in a fixed number of queries, whatever their length. A link is shown
to a reader only where its own rule lets them see it (a private group's meeting or decision,
an indicator kept from funders), so linking never reveals what the reader may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from backbone.accounts.models import Person
from backbone.communication.models import Meeting
from backbone.communication.selectors import meeting_seat
from backbone.decisions.models import Proposal
from backbone.decisions.selectors import Seat as ProposalSeat
from backbone.initiatives.models import Initiative
from backbone.permissions import can

from .models import EvaluationType, LearningQuestion, LogEntry, PlanItem, Stage


@dataclass(frozen=True)
class Authorship:
    """The facts the rule "learning.log_edit" needs about one person and one entry."""

    is_author: bool = False


def authorship(entry: LogEntry, person: Any) -> Authorship:
    pk = getattr(person, "pk", None)
    return Authorship(is_author=pk is not None and entry.author_id == pk)


# --- questions -------------------------------------------------------------------------


def questions(*, initiative: Initiative) -> list[LearningQuestion]:
    """Open questions first (what is still to learn), then answered ones, oldest first."""
    answered_last = Case(When(status=LearningQuestion.Status.OPEN, then=Value(0)), default=Value(1))
    return list(
        LearningQuestion.objects.filter(initiative=initiative)
        .select_related("owner")
        .annotate(entry_count=Count("log_entries", distinct=True))
        .order_by(answered_last, "created_at", "id")
    )


def questions_summary(initiative: Initiative) -> dict:
    """How many learning questions are open and answered: {"open", "answered", "total"}."""
    counts = LearningQuestion.objects.filter(initiative=initiative).aggregate(
        open=Count("id", filter=Q(status=LearningQuestion.Status.OPEN)),
        answered=Count("id", filter=Q(status=LearningQuestion.Status.ANSWERED)),
    )
    return {**counts, "total": counts["open"] + counts["answered"]}


def question_get(*, initiative: Initiative, uuid) -> LearningQuestion | None:
    return (
        LearningQuestion.objects.filter(initiative=initiative, uuid=uuid)
        .select_related("owner")
        .first()
    )


# --- the evaluation plan ---------------------------------------------------------------


def _plan_items(initiative: Initiative) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(initiative=initiative).prefetch_related(
        Prefetch("questions", queryset=LearningQuestion.objects.order_by("created_at", "id"))
    )


@dataclass(frozen=True)
class PlanCell:
    stage: str
    evaluation_type: str
    items: list[PlanItem]

    @property
    def questions(self) -> list[LearningQuestion]:
        """The learning questions the cell's items answer, each once, in the items' order."""
        seen: dict[int, LearningQuestion] = {}
        for item in self.items:
            for question in item.questions.all():
                seen.setdefault(question.pk, question)
        return list(seen.values())


@dataclass(frozen=True)
class PlanTable:
    types: list[tuple[str, str]]
    rows: list[tuple[tuple[str, str], list[PlanCell]]]  # ((stage, label), cells by type)
    unplanned: list[LearningQuestion] = field(default_factory=list)


def plan_table(*, initiative: Initiative) -> PlanTable:
    """The plan as stages (rows) × types of evaluation (columns), and the questions no
    plan item answers yet."""
    items = list(_plan_items(initiative))
    rows = []
    for stage in Stage:
        cells = [
            PlanCell(
                stage=stage.value,
                evaluation_type=kind.value,
                items=[i for i in items if i.stage == stage and i.evaluation_type == kind],
            )
            for kind in EvaluationType
        ]
        rows.append(((stage.value, stage.label), cells))
    answered_by_plan = {q.pk for item in items for q in item.questions.all()}
    unplanned = [
        q
        for q in LearningQuestion.objects.filter(initiative=initiative).order_by("created_at")
        if q.pk not in answered_by_plan
    ]
    return PlanTable(types=list(EvaluationType.choices), rows=rows, unplanned=unplanned)


def plan_items_for(*, question: LearningQuestion) -> list[PlanItem]:
    return list(question.plan_items.all())


# --- the learning log ------------------------------------------------------------------


def _entries(initiative: Initiative) -> QuerySet[LogEntry]:
    people = Person.objects.only("pk")
    return (
        LogEntry.objects.filter(initiative=initiative)
        .select_related("author")
        .prefetch_related(
            "activities__partner__organisation",
            "indicators",
            Prefetch(
                "meetings",
                queryset=Meeting.objects.select_related("group")
                .prefetch_related(Prefetch("group__members", queryset=people))
                .order_by("starts_at"),
            ),
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("group")
                .prefetch_related(Prefetch("group__members", queryset=people))
                .order_by("opens_at"),
            ),
            "questions",
        )
    )


def meeting_visible(initiative: Initiative, person: Any, meeting) -> bool:
    return can(person, "group.view", initiative, meeting_seat(meeting, person))


def proposal_visible(initiative: Initiative, person: Any, proposal) -> bool:
    group = proposal.group
    pk = getattr(person, "pk", None)
    inside = bool(
        group
        and pk is not None
        and (pk == group.lead_id or pk in {m.pk for m in group.members.all()})
    )
    seat = ProposalSeat(
        restricted=bool(group and group.is_private), inside=inside, has_group=group is not None
    )
    return can(person, "decision.view", initiative, seat)


@dataclass(frozen=True)
class Links:
    """What one entry is linked to, as one reader may see it."""

    activities: list
    indicators: list
    meetings: list
    proposals: list
    questions: list

    def __bool__(self) -> bool:
        return any(
            (self.activities, self.indicators, self.meetings, self.proposals, self.questions)
        )


def links_seen_by(entries: list[LogEntry], *, initiative: Initiative, person: Any) -> None:
    """Set `entry.links` on each entry (fetched through this module): its links the person
    may see."""
    for entry in entries:
        entry.links = Links(
            activities=list(entry.activities.all()),
            indicators=[
                i for i in entry.indicators.all() if can(person, "indicator.results", initiative, i)
            ],
            meetings=[m for m in entry.meetings.all() if meeting_visible(initiative, person, m)],
            proposals=[p for p in entry.proposals.all() if proposal_visible(initiative, person, p)],
            questions=list(entry.questions.all()),
        )


def log_entries(
    *,
    initiative: Initiative,
    indicator=None,
    activity=None,
    question=None,
) -> list[LogEntry]:
    """The log, newest first, narrowed to entries linked to each of the given objects."""
    entries = _entries(initiative)
    if indicator is not None:
        entries = entries.filter(indicators=indicator)
    if activity is not None:
        entries = entries.filter(activities=activity)
    if question is not None:
        entries = entries.filter(questions=question)
    return list(entries.distinct())


def entries_for(initiative: Initiative, *, indicator=None, activity=None) -> list[LogEntry]:
    """The learning log entries linked to an indicator and/or an activity, newest first,
    for those objects' own pages, which show each entry's title, day and what the data
    showed: none of their links is read."""
    entries = LogEntry.objects.filter(initiative=initiative)
    if indicator is not None:
        entries = entries.filter(indicators=indicator)
    if activity is not None:
        entries = entries.filter(activities=activity)
    return list(entries.distinct().only("uuid", "title", "happened_on", "data_showed"))


def log_entries_between(initiative: Initiative, start: date, end: date) -> list[LogEntry]:
    """Entries dated from `start` to `end`, both days included, oldest first (a report
    reads forward in time), with their links fetched."""
    return list(
        _entries(initiative)
        .filter(happened_on__gte=start, happened_on__lte=end)
        .order_by("happened_on", "created_at", "id")
    )


def log_entry_get(*, initiative: Initiative, uuid) -> LogEntry | None:
    return _entries(initiative).filter(uuid=uuid).first()


# --- what an API caller names --------------------------------------------------------------


def _by_uuid(model, initiative: Initiative, uuids) -> dict[str, Any]:
    return {str(o.uuid): o for o in model.objects.filter(initiative=initiative, uuid__in=uuids)}


def links_named(
    *,
    initiative: Initiative,
    person: Any,
    activities=(),
    indicators=(),
    meetings=(),
    proposals=(),
    questions=(),
) -> tuple[dict[str, list], dict[str, str]]:
    """The objects a new entry is to be linked to, named by uuid (indicators by code), as
    the log entry form offers them to `person`: of this initiative, and only what they may
    see. Returns the links by field and, by field, what names nothing they may link."""
    from backbone.activities.models import Activity
    from backbone.measurement.models import Indicator

    found = {
        "activities": _by_uuid(Activity, initiative, activities),
        "indicators": {
            i.code: i
            for i in Indicator.objects.filter(initiative=initiative, code__in=indicators)
            if can(person, "indicator.results", initiative, i)
        },
        "meetings": {
            str(m.uuid): m
            for m in Meeting.objects.filter(initiative=initiative, uuid__in=meetings)
            .select_related("group")
            .prefetch_related("group__members")
            if meeting_visible(initiative, person, m)
        },
        "proposals": {
            str(p.uuid): p
            for p in Proposal.objects.filter(initiative=initiative, uuid__in=proposals)
            .select_related("group")
            .prefetch_related("group__members")
            if proposal_visible(initiative, person, p)
        },
        "questions": _by_uuid(LearningQuestion, initiative, questions),
    }
    named = {
        "activities": activities,
        "indicators": indicators,
        "meetings": meetings,
        "proposals": proposals,
        "questions": questions,
    }
    links, problems = {}, {}
    for name, wanted in named.items():
        missing = [str(w) for w in wanted if str(w) not in found[name]]
        if missing:
            problems[name] = f"None of this initiative that you may link: {', '.join(missing)}."
        links[name] = [found[name][str(w)] for w in wanted if str(w) in found[name]]
    return links, problems


def log_filter(
    *, initiative: Initiative, person: Any, indicator=None, activity=None, question=None
) -> dict[str, Any] | None:
    """The log page's filters from codes and uuids, as its form offers them to `person`
    (an indicator only where they may see its results); None when one names nothing here."""
    links, problems = links_named(
        initiative=initiative,
        person=person,
        indicators=[indicator] if indicator else [],
        activities=[activity] if activity else [],
        questions=[question] if question else [],
    )
    if problems:
        return None
    return {
        "indicator": links["indicators"][0] if indicator else None,
        "activity": links["activities"][0] if activity else None,
        "question": links["questions"][0] if question else None,
    }


def member_person(*, initiative: Initiative, uuid) -> Person | None:
    """The person of `uuid` when they hold a role here (a question's owner), else None."""
    return Person.objects.filter(memberships__initiative=initiative, uuid=uuid).distinct().first()


def links_hidden(entry: LogEntry, *, initiative: Initiative, person: Any) -> dict[str, list]:
    """What `entry` (fetched through this module) is linked to that `person` may not see:
    kept, untouched, when they change the entry's links, as the log entry form keeps them."""
    links_seen_by([entry], initiative=initiative, person=person)
    return {
        name: [o for o in getattr(entry, name).all() if o not in getattr(entry.links, name)]
        for name in ("activities", "indicators", "meetings", "proposals", "questions")
    }


def plan_items(*, initiative: Initiative, stage=None, evaluation_type=None, question=None):
    """The evaluation plan's items, by stage, type and title; narrowed to a stage, a type
    or the items answering one learning question (uuid)."""
    found = _plan_items(initiative)
    if stage:
        found = found.filter(stage=stage)
    if evaluation_type:
        found = found.filter(evaluation_type=evaluation_type)
    if question:
        found = found.filter(questions__uuid=question).distinct()
    return found.order_by("stage", "evaluation_type", "title", "id")


def plan_item_get(*, initiative: Initiative, uuid) -> PlanItem | None:
    return _plan_items(initiative).filter(uuid=uuid).first()


def questions_named(*, initiative: Initiative, uuids) -> tuple[list, list[str]]:
    """The learning questions of `uuids` here, in order, and the uuids that name none."""
    found = _by_uuid(LearningQuestion, initiative, uuids)
    return [found[str(u)] for u in uuids if str(u) in found], [
        str(u) for u in uuids if str(u) not in found
    ]
