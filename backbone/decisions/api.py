"""Proposals, votes and outcomes over the REST API, under the same rules and through the same
services as the pages.

Members read proposals (a signed-in person who is not one gets 403 and no one 401, as the
pages); a private working group's only its own people and the backbone (others get 404).
Like the pages, a read first closes the proposals past their closing date, so an outcome is
there the moment anyone looks. Everyone who reads a proposal reads its tally (the running one
while open, the frozen one once closed); who voted what — the names beside the votes, their
reasons and the history of changes — only those the page shows them to
(`decision.votes_named`: never a funder), and no other field says it. A vote is cast or
changed by those the proposal is put to (`decision.vote`; others who read it get 403): a
person's own, or for an active partner they act for. A partner's token is no person and
votes in nothing. What the vote service refuses (closed, not yet open, an answer the method
does not take, an objection without a reason) is 422 with its message.

A proposal is made as its form makes it: to a working group the caller leads or sits in, or
by the backbone to all partners (`decisions.propose`; who may do neither gets 403), with a
method the body's rules allow. Its proposer or the backbone closes it early
(`decision.close`), the outcome's owner or the backbone reviews it (`decision.review`);
others who read it get 403. The services announce the decision (webhooks) as on the pages.

The rules each body decides by — the methods it allows and its default voting unit, for all
partners and for each working group, which either has its own or follows those for all
partners — are read and set by the backbone (`decisions.rules`; other members get 403), as
on the decision rules page and with its form's checks. A change carries the `revision` it
was read at (0 for a body with none of its own): saved meanwhile, it is 409 with the rules
as they now stand.
"""

from datetime import date, datetime
from typing import Annotated, Literal, get_args
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, members_initiative, token_or_session
from backbone.api.errors import ErrorOut, ValidationErrorOut, problem, refused
from backbone.api.pagination import Page
from backbone.communication.api import PersonOut, acting
from backbone.communication.models import WorkingGroup
from backbone.communication.selectors import meeting_seat
from backbone.initiatives.models import Initiative
from backbone.permissions import can
from backbone.revisions import EditConflict

from . import selectors, services
from .forms import RulesForm
from .models import DecisionRules, Method, Proposal, Unit, Vote
from .services import AUTO_REVIEW_AFTER

router = Router(tags=["proposals"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Method_ = Literal["consent", "consensus", "gradient", "poll"]
Choice_ = Literal["no_objection", "objection", "agree", "abstain", "disagree", "block"]
Result_ = Literal["adopted", "not_adopted", "blocked", "chosen", "tie"]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = READ
Line = Annotated[str, StringConstraints(pattern=r"^[^\x00]*\S[^\x00]*$", max_length=200)]
Said = Annotated[str, StringConstraints(pattern=r"^[^\x00]*\S[^\x00]*$", max_length=20_000)]


# --- what is shown ---------------------------------------------------------------------------


class VoteOut(Schema):
    organisation: str | None = Field(description="For a per-organisation vote, its slug.")
    voter: PersonOut | None = Field(description="Who cast it (last); null once they left.")
    answer: str = Field(description="The answer in words.")
    choice: Choice_ | None = Field(description="Consent and consensus.")
    level: int | None = Field(description="Gradient: 5 (wholehearted) to 1 (veto).")
    option: str | None = Field(description="Poll: the option's label.")
    reason: str
    cast_at: datetime
    changed_at: datetime


class VoterOut(Schema):
    """One vote the proposal is waiting for (a person, or an organisation) and the vote."""

    name: str
    person: UUID | None
    organisation: str | None
    vote: VoteOut | None


class VoteChangeOut(Schema):
    at: datetime
    by: PersonOut | None
    organisation: str | None
    answer: str
    reason: str


class TallyRowOut(Schema):
    key: str
    label: str
    count: int


class TallyOut(Schema):
    result: Result_ = Field(description="The result if it closed now; once closed, the result.")
    result_label: str
    reason: str
    rows: list[TallyRowOut]
    total: int
    mean: float | None = Field(description="Gradient: the mean level.")
    winners: list[str] = Field(description="Poll: the option(s) with the most votes.")


class ReviewOut(Schema):
    at: datetime
    by: PersonOut | None
    note: str
    next_review_on: date | None


class OutcomeOut(Schema):
    result: Result_
    result_label: str
    summary: str
    owner: PersonOut
    review_on: date | None
    closed_at: datetime
    closed_by: PersonOut | None = Field(description="Null: closed by itself on its date.")
    reviews: list[ReviewOut]


class ProposalOut(Schema):
    uuid: UUID
    title: str
    text: str
    proposer: PersonOut
    group: UUID | None = Field(description="The working group's uuid; null: all partners.")
    group_name: str | None
    method: Method_
    unit: Literal["person", "organisation"]
    opens_at: datetime
    closes_at: datetime
    status: Literal["open", "closed"]
    accepts_votes: bool = Field(description="Open, and within its voting dates.")
    votes: int = Field(description="How many votes are cast.")
    may_vote: bool = Field(description="Whether the caller is one of those it is put to.")
    my_vote: VoteOut | None = Field(
        description="The caller's vote, or that of the organisation they act for."
    )
    result: Result_ | None = Field(description="Once closed, what was decided.")


class OptionOut(Schema):
    label: str
    position: int


class ProposalDetailOut(ProposalOut):
    options: list[OptionOut]
    meeting: UUID | None = Field(description="The meeting it came from, when the caller sees it.")
    strategy: UUID | None
    indicator: str | None = Field(description="The indicator's code.")
    tally: TallyOut
    electorate: int = Field(description="How many people (or organisations) may vote.")
    voters: list[VoterOut] | None = Field(
        description="Who may vote and how each voted; null for callers who see counts only."
    )
    history: list[VoteChangeOut] | None = Field(
        description="Every vote and change; null for callers who see counts only."
    )
    outcome: OutcomeOut | None


class ProposalFilters(Schema):
    status: Literal["open", "closed"] | None = None
    group: UUID | None = Field(None, description="A working group's uuid.")
    all_partners: bool = Field(False, description="Only those put to all partners.")
    may_vote: bool | None = Field(None, description="Those the caller may vote in (or not).")


class VoteIn(Schema):
    """The answer the proposal's method takes: `choice` (consent, consensus), `level`
    (gradient) or `option` (poll)."""

    choice: Choice_ | None = None
    level: int | None = Field(None, ge=1, le=5)
    option: Text | None = Field(None, max_length=200, description="The poll option's label.")
    reason: Text = Field("", max_length=10_000, description="Needed with an objection.")
    organisation: Slug | None = Field(
        None, description="Per organisation, when the caller acts for several: its slug."
    )


class ProposalCreateIn(Schema):
    """A proposal, as the proposal form takes it."""

    title: Line
    text: Said = Field(description="What is proposed.")
    group: UUID | None = Field(
        None, description="The working group it is put to; null: all partners (the backbone)."
    )
    method: Method_ = Field(description="One the body's rules allow.")
    unit: Literal["person", "organisation"] | None = Field(
        None, description="One vote per person or per organisation; null: the body's default."
    )
    options: list[Line] = Field(
        default_factory=list, max_length=50, description="A poll's options (two or more)."
    )
    opens_at: datetime | None = Field(None, description="Null: now.")
    closes_at: datetime = Field(description="In the future, after it opens.")
    meeting: UUID | None = Field(None, description="The meeting it concerns.")
    strategy: UUID | None = None
    indicator: Slug | None = Field(None, description="An indicator's code.")


class ProposalCloseIn(Schema):
    """Closing early: the tally is frozen in the outcome."""

    summary: Said = Field(description="What was decided, in your words.")
    owner: UUID | None = Field(
        None, description="Who owns the outcome: a person of this initiative; null: the proposer."
    )
    review_on: date | None = Field(
        None, description="When to review it (not in the past); null: in three months."
    )


class ProposalReviewIn(Schema):
    note: Said = Field(description="What the review found.")
    next_review_on: date | None = Field(None, description="After today; null: no more reviews.")


class BodyRulesOut(Schema):
    """The rules one body decides by: all partners, or a working group."""

    group: UUID | None = Field(description="The working group's uuid; null: all partners.")
    group_name: str | None
    allowed_methods: list[Method_] = Field(description="The methods it may decide by.")
    default_unit: Literal["person", "organisation"] = Field(
        description="One vote per person or per organisation, unless a proposal says."
    )
    own: bool = Field(
        description="Rules of its own. False: a group follows the rules for all partners; "
        "for all partners, none are set (every method, one vote per person)."
    )
    revision: int = Field(
        description="Of its own rules, 0 while it has none: send it back with a change."
    )


class DecisionRulesOut(Schema):
    """The decision rules page: the rules for all partners, and every working group's."""

    all_partners: BodyRulesOut
    groups: list[BodyRulesOut] = Field(description="By name.")


class DecisionRulesIn(Schema):
    """A body's rules, as the rules form takes them."""

    revision: int = Field(
        ge=0, le=2**31 - 1, description="The body's `revision` as read (0: none of its own)."
    )
    allowed_methods: list[Method_] = Field(
        max_length=len(get_args(Method_)), description="At least one."
    )
    default_unit: Literal["person", "organisation"]


class DecisionRulesConflictOut(Schema):
    detail: str
    current: BodyRulesOut = Field(description="The body's rules as they now stand.")


# --- as the pages show it --------------------------------------------------------------------


def _person(person) -> dict | None:
    return {"uuid": person.uuid, "name": person.name} if person is not None else None


def _vote(vote: Vote | None, named: bool) -> dict | None:
    if vote is None:
        return None
    return {
        "organisation": vote.organisation.slug if vote.organisation_id else None,
        "voter": _person(vote.voter) if named else None,
        "answer": vote.answer,
        "choice": vote.choice or None,
        "level": vote.level,
        "option": vote.option.label if vote.option_id else None,
        "reason": vote.reason,
        "cast_at": vote.cast_at,
        "changed_at": vote.changed_at,
    }


def _summary(proposal: Proposal, *, votes: int, may_vote: bool, mine: Vote | None) -> dict:
    outcome = proposal.outcome if not proposal.is_open else None
    return {
        "uuid": proposal.uuid,
        "title": proposal.title,
        "text": proposal.text,
        "proposer": _person(proposal.proposer),
        "group": proposal.group.uuid if proposal.group_id else None,
        "group_name": proposal.group.name if proposal.group_id else None,
        "method": proposal.method,
        "unit": proposal.unit,
        "opens_at": proposal.opens_at,
        "closes_at": proposal.closes_at,
        "status": proposal.status,
        "accepts_votes": proposal.accepts_votes(),
        "votes": votes,
        "may_vote": may_vote,
        "my_vote": _vote(mine, named=True),  # the caller's own: they may see who cast it
        "result": outcome.result if outcome else None,
    }


def _detail(request: HttpRequest, initiative: Initiative, proposal: Proposal, seat) -> dict:
    person = acting(request)
    votes = selectors.votes_of(proposal)
    named = can(person, "decision.votes_named", initiative)
    may_vote = can(person, "decision.vote", initiative, seat)
    mine = selectors.vote_of(proposal, votes, person, seat) if may_vote else None
    electorate = selectors.electorate(proposal, votes)
    counted = selectors.tally_of(proposal, votes)
    outcome = proposal.outcome if not proposal.is_open else None
    meeting = proposal.meeting
    sees_meeting = meeting is not None and can(
        person, "group.view", initiative, meeting_seat(meeting, person)
    )
    return {
        **_summary(proposal, votes=len(votes), may_vote=may_vote, mine=mine),
        "options": [{"label": o.label, "position": o.position} for o in proposal.options.all()],
        "meeting": meeting.uuid if sees_meeting else None,
        "strategy": proposal.strategy.uuid if proposal.strategy_id else None,
        "indicator": proposal.indicator.code if proposal.indicator_id else None,
        "tally": {**counted.as_json(), "result_label": counted.result_label},
        "electorate": len(electorate),
        "voters": [
            {
                "name": v.name,
                "person": v.person.uuid if v.person else None,
                "organisation": v.organisation.slug if v.organisation else None,
                "vote": _vote(v.vote, named),
            }
            for v in electorate
        ]
        if named
        else None,
        "history": [
            {
                "at": h.at,
                "by": _person(h.by),
                "organisation": h.organisation.slug if h.organisation_id else None,
                "answer": h.answer,
                "reason": h.reason,
            }
            for h in selectors.history_of(proposal)
        ]
        if named
        else None,
        "outcome": {
            "result": outcome.result,
            "result_label": outcome.get_result_display(),
            "summary": outcome.summary,
            "owner": _person(outcome.owner),
            "review_on": outcome.review_on,
            "closed_at": outcome.closed_at,
            "closed_by": _person(outcome.closed_by),
            "reviews": [
                {
                    "at": r.at,
                    "by": _person(r.by),
                    "note": r.note,
                    "next_review_on": r.next_review_on,
                }
                for r in selectors.reviews_of(outcome)
            ],
        }
        if outcome
        else None,
    }


# --- the operations --------------------------------------------------------------------------

PROPOSALS = "/initiatives/{slug}/proposals"
ONE = PROPOSALS + "/{uuid}"


@router.get(PROPOSALS, response={200: list[ProposalOut], **READ})
@paginate(Page)
def list_proposals(request: HttpRequest, slug: Slug, filters: Query[ProposalFilters]):
    """The proposals the caller may see: open ones closing soonest first, then closed ones
    latest first; by status, working group (or all partners) and whether the caller may
    vote, with each one's vote count and the caller's own vote."""
    initiative = members_initiative(request, slug, "decisions.view")
    services.close_due(initiative=initiative)
    opened, closed = selectors.proposals_listed(initiative=initiative, person=acting(request))
    return [
        _summary(x.proposal, votes=x.votes, may_vote=x.may_vote, mine=x.my_vote)
        for x in opened + closed
        if (filters.status is None or x.proposal.status == filters.status)
        and (
            filters.group is None
            or (x.proposal.group_id and x.proposal.group.uuid == filters.group)
        )
        and (not filters.all_partners or x.proposal.group_id is None)
        and (filters.may_vote is None or x.may_vote == filters.may_vote)
    ]


@router.get(ONE, response={200: ProposalDetailOut, **READ})
def get_proposal(request: HttpRequest, slug: Slug, uuid: UUID):
    """A proposal with its options, its tally and, once closed, its outcome and reviews;
    who voted what only for those the page names the votes to."""
    initiative = members_initiative(request, slug, "decisions.view")
    services.close_due(initiative=initiative)
    proposal, seat = selectors.proposal_get(
        initiative=initiative, person=acting(request), uuid=uuid
    )
    return _detail(request, initiative, proposal, seat)


@router.put(ONE + "/vote", response={200: VoteOut, **WRITE})
def cast_vote(request: HttpRequest, slug: Slug, uuid: UUID, payload: VoteIn):
    """Cast the caller's vote, or change it until the closing date (in a per-organisation
    proposal, the vote of the organisation they act for: another of its people changes it)."""
    initiative = members_initiative(request, slug, "decisions.view")
    person = acting(request)
    proposal, seat = selectors.proposal_get(initiative=initiative, person=person, uuid=uuid)
    if not can(person, "decision.vote", initiative, seat):
        raise PermissionDenied
    option = None
    if payload.option is not None:
        option = next((o for o in proposal.options.all() if o.label == payload.option), None)
        if option is None:
            raise problem("option", "Choose one of this poll's options.")
    organisation = None
    if proposal.per_organisation and payload.organisation is not None:
        mine = {o.slug: o for o in selectors.acting_organisations(seat)}
        organisation = mine.get(payload.organisation)
        if organisation is None:
            raise problem(
                "organisation", "You vote only for an active partner you are steward or member of."
            )
    try:
        vote = services.vote_cast(
            proposal=proposal,
            person=person,
            choice=payload.choice or "",
            level=payload.level,
            option=option,
            reason=payload.reason,
            organisation=organisation,
        )
    except Refused as exc:
        raise refused(exc) from exc
    return _vote(vote, named=True)


@router.post(PROPOSALS, response={201: ProposalDetailOut, **WRITE})
def create_proposal(request: HttpRequest, slug: Slug, payload: ProposalCreateIn):
    """Put a proposal to a working group the caller leads or sits in, or (the backbone) to
    all partners, as the proposal form does; the body's rules choose the methods allowed."""
    initiative = members_initiative(request, slug, "decisions.view")
    person = acting(request)
    groups = selectors.group_choices(initiative=initiative, person=person)
    may_all = can(person, "decisions.propose", initiative)
    if not groups and not may_all:
        raise PermissionDenied
    group = None
    if payload.group is not None:
        group = next((g for g in groups if g.uuid == payload.group), None)
        if group is None:
            if selectors.group_seen(initiative=initiative, person=person, uuid=payload.group):
                raise PermissionDenied  # a group the caller sees but does not sit in
            raise problem("group", "No such working group here.")
    elif not may_all:
        raise PermissionDenied  # only the backbone puts a proposal to all partners
    links, problems = selectors.proposal_links_named(
        initiative=initiative,
        person=person,
        meeting=payload.meeting,
        strategy=payload.strategy,
        indicator=payload.indicator,
    )
    if problems:
        raise refused(Refused(problems))
    try:
        created = services.proposal_create(
            initiative=initiative,
            proposer=person,
            title=payload.title,
            text=payload.text,
            group=group,
            method=payload.method,
            unit=payload.unit or "",
            opens_at=payload.opens_at,
            closes_at=payload.closes_at,
            options=payload.options,
            **links,
        )
    except Refused as exc:
        raise refused(exc) from exc
    proposal, seat = selectors.proposal_get(initiative=initiative, person=person, uuid=created.uuid)
    return Status(201, _detail(request, initiative, proposal, seat))


@router.post(ONE + "/close", response={200: ProposalDetailOut, **WRITE})
def close_proposal(request: HttpRequest, slug: Slug, uuid: UUID, payload: ProposalCloseIn):
    """Close the vote before its date (its proposer or the backbone): the tally is frozen
    in the outcome, with its owner and review date, and the decision is announced. One
    already closed is 422."""
    initiative = members_initiative(request, slug, "decisions.view")
    person = acting(request)
    proposal, seat = selectors.proposal_get(initiative=initiative, person=person, uuid=uuid)
    if not can(person, "decision.close", initiative, seat):
        raise PermissionDenied
    owner = proposal.proposer
    if payload.owner is not None:
        owner = selectors.member_person(initiative=initiative, uuid=payload.owner)
        if owner is None:
            raise problem("owner", "The owner must be a person of this initiative.")
    review_on = payload.review_on or timezone.localdate() + AUTO_REVIEW_AFTER
    try:
        services.proposal_close(
            proposal=proposal,
            by=person,
            summary=payload.summary,
            owner=owner,
            review_on=review_on,
        )
    except Refused as exc:
        raise refused(exc) from exc
    proposal, seat = selectors.proposal_get(initiative=initiative, person=person, uuid=uuid)
    return _detail(request, initiative, proposal, seat)


@router.post(ONE + "/review", response={201: ReviewOut, **WRITE})
def review_outcome(request: HttpRequest, slug: Slug, uuid: UUID, payload: ProposalReviewIn):
    """Record a review of a closed proposal's outcome (its owner or the backbone); it comes
    back to the owner on the next review date, or no more. An open proposal has no outcome
    yet: 404, as its page."""
    initiative = members_initiative(request, slug, "decisions.view")
    person = acting(request)
    proposal, seat = selectors.proposal_get(initiative=initiative, person=person, uuid=uuid)
    outcome = proposal.outcome if not proposal.is_open else None
    if outcome is None:
        raise Http404("This proposal has no outcome to review yet.")
    if not can(person, "decision.review", initiative, seat):
        raise PermissionDenied
    try:
        review = services.outcome_review(
            outcome=outcome, by=person, note=payload.note, next_review_on=payload.next_review_on
        )
    except Refused as exc:
        raise refused(exc) from exc
    return Status(
        201,
        {
            "at": review.at,
            "by": _person(review.by),
            "note": review.note,
            "next_review_on": review.next_review_on,
        },
    )


# --- the rules of each body ------------------------------------------------------------------

RULES = "/initiatives/{slug}/decision-rules"


def _rules(group: WorkingGroup | None, rules: DecisionRules | None, own: bool) -> dict:
    """One row of the rules page: with no rules at all, every method and one vote each."""
    return {
        "group": group.uuid if group else None,
        "group_name": group.name if group else None,
        "allowed_methods": list(rules.allowed_methods) if rules else list(Method.values),
        "default_unit": rules.default_unit if rules else Unit.PERSON,
        "own": own,
        "revision": rules.revision if own and rules else 0,
    }


def _body_rules(initiative: Initiative, group: WorkingGroup | None) -> dict:
    return _rules(group, *selectors.body_rules(initiative=initiative, group=group))


def _group(initiative: Initiative, uuid: UUID) -> WorkingGroup:
    """Any working group of the initiative (the backbone sees them all); 404 otherwise."""
    return WorkingGroup.objects.of(initiative).one(uuid=uuid)


def _save_rules(request, initiative: Initiative, group: WorkingGroup | None, payload):
    form = RulesForm(
        {"allowed_methods": payload.allowed_methods, "default_unit": payload.default_unit}
    )
    if not form.is_valid():
        raise refused(Refused(form.errors.as_data()))
    try:
        services.rules_save(
            initiative=initiative,
            group=group,
            allowed=form.cleaned_data["allowed_methods"],
            default_unit=form.cleaned_data["default_unit"],
            by=caller(request).by,
            read_revision=payload.revision,
        )
    except EditConflict as exc:
        current = _body_rules(initiative, group)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        raise refused(exc) from exc
    return _body_rules(initiative, group)


@router.get(RULES, response={200: DecisionRulesOut, **READ})
def get_decision_rules(request: HttpRequest, slug: Slug):
    """Which methods each body may decide by and its default voting unit, as the decision
    rules page shows them (the backbone): for all partners, and for every working group its
    own rules or those for all partners it follows."""
    initiative = members_initiative(request, slug, "decisions.rules")
    table = [
        _rules(group, rules, own)
        for group, rules, own in selectors.rules_table(initiative=initiative)
    ]
    return {"all_partners": table[0], "groups": table[1:]}


@router.put(
    RULES + "/all-partners",
    response={200: BodyRulesOut, 409: DecisionRulesConflictOut, **WRITE},
)
def set_decision_rules(request: HttpRequest, slug: Slug, payload: DecisionRulesIn):
    """Set the rules for all partners (the backbone), read at `revision`: every working
    group without rules of its own follows them. Saved meanwhile, it is refused with 409
    and the rules as they now stand."""
    initiative = members_initiative(request, slug, "decisions.rules")
    return _save_rules(request, initiative, None, payload)


@router.put(
    RULES + "/{uuid}",
    response={200: BodyRulesOut, 409: DecisionRulesConflictOut, **WRITE},
)
def set_group_decision_rules(
    request: HttpRequest, slug: Slug, uuid: UUID, payload: DecisionRulesIn
):
    """Give a working group rules of its own (the backbone), read at `revision` (0 while it
    follows the rules for all partners). Saved meanwhile, it is refused with 409."""
    initiative = members_initiative(request, slug, "decisions.rules")
    return _save_rules(request, initiative, _group(initiative, uuid), payload)


@router.delete(RULES + "/{uuid}", response={204: None, 409: DecisionRulesConflictOut, **WRITE})
def drop_group_decision_rules(
    request: HttpRequest, slug: Slug, uuid: UUID, revision: int | None = None
):
    """Drop a working group's own rules (the backbone): it follows the rules for all
    partners from now on. With `revision`, only if they were not saved since (409
    otherwise). A group with none of its own answers 204 too."""
    initiative = members_initiative(request, slug, "decisions.rules")
    group = _group(initiative, uuid)
    try:
        services.rules_remove(initiative=initiative, group=group, read_revision=revision)
    except EditConflict as exc:
        current = _body_rules(initiative, group)
        return Status(409, {"detail": exc.messages[0], "current": current})
    return Status(204, None)
