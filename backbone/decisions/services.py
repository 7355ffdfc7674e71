"""Writes of proposals, votes, outcomes, reviews and rules.

Each function checks what it needs itself (the same checks the forms show), raises a
ValidationError naming the field and the reason, and saves nothing when it refuses. Votes
and closing lock the proposal's row, so a vote can never slip in after a close.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backbone import webhooks
from backbone.communication.models import Meeting, WorkingGroup
from backbone.initiatives.models import Initiative, Membership, Organisation
from backbone.permissions import STAFF_ROLES, can
from backbone.revisions import EditConflict, revise
from backbone.webhooks import payloads

from . import selectors
from .models import (
    CHOICES_OF,
    GRADIENT,
    METHOD_NAMES,
    Choice,
    DecisionRules,
    Method,
    Outcome,
    PollOption,
    Proposal,
    Review,
    Unit,
    Vote,
    VoteChange,
)
from .tally import tally

#: When a proposal closes by itself, its outcome is reviewed this long after.
AUTO_REVIEW_AFTER = timedelta(days=90)


def method_names(methods) -> str:
    """The methods in a word or three each, in lower case: "consent, poll"."""
    return ", ".join(str(METHOD_NAMES[Method(m)]).lower() for m in methods)


def moment_in_words(moment: datetime) -> str:
    """A day and time in a sentence, in the reader's language: 5 March 2026, 18:00."""
    return date_format(
        timezone.localtime(moment), pgettext("date and time in a sentence", "j F Y, H:i")
    )


# --- rules ----------------------------------------------------------------------------


def allowed_methods(*, initiative: Initiative, group: WorkingGroup | None) -> list[str]:
    rules = selectors.rules_for(initiative=initiative, group=group)
    return list(rules.allowed_methods) if rules else list(Method.values)


def method_problem(*, initiative: Initiative, group: WorkingGroup | None, method: str) -> str:
    """Why this body may not decide by this method ("" when it may)."""
    if method not in Method.values:
        return _("“%(method)s” is not a decision method.") % {"method": method}
    allowed = allowed_methods(initiative=initiative, group=group)
    if method in allowed:
        return ""
    names = {"method": method_names([method]), "allowed": method_names(allowed)}
    if group is None:
        return _("All partners does not decide by %(method)s; it allows %(allowed)s.") % names
    return _(
        "The working group “%(group)s” does not decide by %(method)s; it allows %(allowed)s."
    ) % {**names, "group": group.name}


@transaction.atomic
def rules_save(
    *,
    initiative: Initiative,
    group: WorkingGroup | None,
    allowed: Sequence[str],
    default_unit: str,
    by=None,
    read_revision: int | None = None,
) -> DecisionRules:
    """Save a body's own rules. Refused (EditConflict) when they were saved since the form
    was read at `read_revision` (0: while the body had none of its own)."""
    if group is not None and group.initiative_id != initiative.pk:
        raise ValidationError({"group": _("That working group is not one of this initiative's.")})
    unknown = set(allowed) - set(Method.values)
    if unknown:
        raise ValidationError(
            {
                "allowed_methods": _("Not decision methods: %(methods)s.")
                % {"methods": sorted(unknown)}
            }
        )
    allowed = [m for m in Method.values if m in set(allowed)]
    if not allowed:
        raise ValidationError({"allowed_methods": _("Allow at least one decision method.")})
    if default_unit not in Unit.values:
        raise ValidationError(
            {"default_unit": _("Choose one vote per person or per organisation.")}
        )
    rules, _created = DecisionRules.objects.select_for_update().get_or_create(
        initiative=initiative, group=group, defaults={"allowed_methods": allowed}
    )
    revise(rules, read=read_revision, by=by)
    rules.allowed_methods = allowed
    rules.default_unit = default_unit
    rules.full_clean()
    rules.save()
    return rules


@transaction.atomic
def rules_remove(
    *, initiative: Initiative, group: WorkingGroup, read_revision: int | None = None
) -> None:
    """The group goes back to the initiative's rules. Refused (EditConflict) when its own
    rules were saved since they were read at `read_revision`; none to drop is no refusal."""
    own = DecisionRules.objects.select_for_update().filter(initiative=initiative, group=group)
    rules = own.first()
    if rules is None:
        return
    if read_revision is not None and rules.revision != read_revision:
        raise EditConflict(rules)
    rules.delete()


# --- proposals ------------------------------------------------------------------------


def _same_initiative(initiative: Initiative, **links) -> dict[str, str]:
    problems = {}
    for field, obj in links.items():
        if obj is not None and obj.initiative_id != initiative.pk:
            if field == "group":
                problem = _("The working group “%(name)s” is not one of this initiative's.")
            elif field == "meeting":
                problem = _("The meeting “%(name)s” is not one of this initiative's.")
            elif field == "strategy":
                problem = _("The strategy “%(name)s” is not one of this initiative's.")
            else:
                problem = _("The indicator “%(name)s” is not one of this initiative's.")
            problems[field] = problem % {"name": obj}
    return problems


def options_problem(*, method: str, options: Sequence[str]) -> str:
    labels = [o.strip() for o in options if o.strip()]
    if method != Method.POLL:
        return _("Only a poll has options.") if labels else ""
    if len(labels) < 2:
        return _("A poll needs at least two options, one per line.")
    if len({label.casefold() for label in labels}) != len(labels):
        return _("Each option of a poll must be different.")
    if any(len(label) > 200 for label in labels):
        return _("An option is at most 200 characters.")
    return ""


@transaction.atomic
def proposal_create(
    *,
    initiative: Initiative,
    proposer,
    title: str,
    text: str,
    group: WorkingGroup | None,
    method: str,
    closes_at: datetime,
    unit: str = "",
    opens_at: datetime | None = None,
    meeting: Meeting | None = None,
    strategy=None,
    indicator=None,
    options: Sequence[str] = (),
    now: datetime | None = None,
) -> Proposal:
    """Put a proposal to a working group (or all partners, `group` None). An empty `unit`
    takes the body's default. The caller has checked that the proposer may."""
    now = now or timezone.now()
    opens_at = opens_at or now
    problems = _same_initiative(
        initiative, group=group, meeting=meeting, strategy=strategy, indicator=indicator
    )
    if "group" not in problems:
        problems["method"] = method_problem(initiative=initiative, group=group, method=method)
    problems["options"] = options_problem(method=method, options=options)
    if closes_at is not None and closes_at <= max(opens_at, now):
        problems["closes_at"] = _("The closing date must be after it opens and in the future.")
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        raise ValidationError(problems)
    if not unit:
        rules = selectors.rules_for(initiative=initiative, group=group)
        unit = rules.default_unit if rules else Unit.PERSON
    proposal = Proposal(
        initiative=initiative,
        proposer=proposer,
        title=title.strip(),
        text=text.strip(),
        group=group,
        method=method,
        unit=unit,
        opens_at=opens_at,
        closes_at=closes_at,
        meeting=meeting,
        strategy=strategy,
        indicator=indicator,
    )
    proposal.full_clean()
    proposal.save()
    labels = [o.strip() for o in options if o.strip()]
    PollOption.objects.bulk_create(
        PollOption(initiative=initiative, proposal=proposal, label=label, position=n)
        for n, label in enumerate(labels)
    )
    return proposal


# --- votes ----------------------------------------------------------------------------


def reason_problem(*, method: str, choice: str, reason: str) -> str:
    if method == Method.CONSENT and choice == Choice.OBJECTION and not reason.strip():
        return _(
            "An objection needs a reason: say what harm it would do, or what would resolve it."
        )
    return ""


def _answer_problems(proposal: Proposal, choice: str, level, option) -> dict[str, str]:
    method = proposal.method
    if method in CHOICES_OF:
        if choice not in CHOICES_OF[method]:
            names = ", ".join(
                _("“%(answer)s”") % {"answer": Choice(c).label} for c in CHOICES_OF[method]
            )
            if method == Method.CONSENT:
                problem = _("Answer a consent proposal with one of %(answers)s.")
            else:
                problem = _("Answer a consensus proposal with one of %(answers)s.")
            return {"choice": problem % {"answers": names}}
        if level is not None or option is not None:
            if method == Method.CONSENT:
                return {"choice": _("A consent proposal takes no level or option.")}
            return {"choice": _("A consensus proposal takes no level or option.")}
    elif method == Method.GRADIENT:
        if level not in GRADIENT or choice or option is not None:
            return {"level": _("Choose a level of agreement from 5 (wholehearted) to 1 (veto).")}
    elif method == Method.POLL:
        if option is None or option.proposal_id != proposal.pk or choice or level is not None:
            return {"option": _("Choose one of this poll's options.")}
    return {}


def _refusal(proposal: Proposal, now: datetime) -> str:
    if not proposal.is_open:
        return _("This proposal is closed: votes no longer change and no vote is added.")
    if now >= proposal.closes_at:
        return _("Voting closed on %(when)s; your vote was not recorded.") % {
            "when": moment_in_words(proposal.closes_at)
        }
    if now < proposal.opens_at:
        return _("Voting opens on %(when)s.") % {"when": moment_in_words(proposal.opens_at)}
    return ""


@transaction.atomic
def vote_cast(
    *,
    proposal: Proposal,
    person,
    choice: str = "",
    level: int | None = None,
    option: PollOption | None = None,
    reason: str = "",
    organisation: Organisation | None = None,
    now: datetime | None = None,
) -> Vote:
    """Cast or change a vote: the person's own, or their organisation's in a per-organisation
    proposal (a second person of it changes the organisation's vote, never adds one)."""
    now = now or timezone.now()
    initiative = proposal.initiative
    locked = (
        Proposal.objects.select_for_update(of=("self",)).select_related("group").get(pk=proposal.pk)
    )
    locked.initiative = initiative
    refusal = _refusal(locked, now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    seat = selectors.seat_of(locked, person)
    if not can(person, "decision.vote", initiative, seat):
        if locked.group is not None and locked.per_organisation:
            refusal = _(
                "You are not one of those this proposal is put to (the working group "
                "“%(group)s”, voting per partner organisation)."
            )
        elif locked.group is not None:
            refusal = _(
                "You are not one of those this proposal is put to (the working group “%(group)s”)."
            )
        elif locked.per_organisation:
            refusal = _(
                "You are not one of those this proposal is put to (all partners, voting per "
                "partner organisation)."
            )
        else:
            refusal = _("You are not one of those this proposal is put to (all partners).")
        group_name = locked.group.name if locked.group is not None else ""
        raise ValidationError(refusal % {"group": group_name}, code="not_in_body")
    if locked.per_organisation:
        if organisation is None and len(seat.acting_for) == 1:
            organisation = Organisation.objects.get(pk=next(iter(seat.acting_for)))
        if organisation is None:
            raise ValidationError({"organisation": _("Choose the organisation you vote for.")})
        if organisation.pk not in seat.acting_for:
            raise ValidationError(
                {
                    "organisation": _(
                        "You vote only for an active partner you are steward or member of."
                    )
                }
            )
    else:
        organisation = None
    problems = _answer_problems(locked, choice, level, option)
    problem = reason_problem(method=locked.method, choice=choice, reason=reason)
    if problem:
        problems["reason"] = problem
    if problems:
        raise ValidationError(problems)

    if organisation is not None:
        vote = Vote.objects.filter(proposal=locked, organisation=organisation).first()
    else:
        vote = Vote.objects.filter(proposal=locked, voter=person, organisation=None).first()
    answer = (choice, level, option.pk if option else None, reason.strip())
    if vote is not None and (vote.choice, vote.level, vote.option_id, vote.reason) == answer:
        return vote  # the same vote again changes nothing
    if vote is None:
        vote = Vote(initiative=initiative, proposal=locked, organisation=organisation, cast_at=now)
    vote.voter = person
    vote.choice, vote.level, vote.option, vote.reason = choice, level, option, reason.strip()
    vote.changed_at = now
    vote.full_clean(validate_constraints=False)  # the database holds the constraints
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError as exc:  # a simultaneous first vote of the same person or organisation
        raise ValidationError(
            _("That vote was just cast by someone else; reload and try again.")
        ) from exc
    VoteChange.objects.create(
        initiative=initiative,
        proposal=locked,
        vote=vote,
        by=person,
        organisation=organisation,
        choice=choice,
        level=level,
        option_label=option.label if option else "",
        reason=vote.reason,
        at=now,
    )
    return vote


# --- closing --------------------------------------------------------------------------


def owner_problem(*, initiative: Initiative, owner) -> str:
    if owner is None:
        return _("Name who owns the outcome.")
    if not Membership.objects.filter(initiative=initiative, person=owner).exists():
        return _("The owner must be a person of this initiative.")
    return ""


def review_date_problem(*, review_on: date | None, today: date) -> str:
    if review_on is None:
        return _("Set the date to review the outcome.")
    if review_on < today:
        return _("The review date cannot be in the past.")
    return ""


@transaction.atomic
def proposal_close(
    *,
    proposal: Proposal,
    by,
    summary: str,
    owner,
    review_on: date | None,
    now: datetime | None = None,
) -> Outcome:
    """Close the vote and freeze its tally in the outcome, with who owns it and when to
    review it. `by` None: closed by itself on its closing date."""
    now = now or timezone.now()
    initiative = proposal.initiative
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_open:
        raise ValidationError(_("This proposal is already closed."), code="closed")
    problems = {
        "owner": owner_problem(initiative=initiative, owner=owner),
        "review_on": review_date_problem(review_on=review_on, today=timezone.localdate(now)),
        "summary": "" if summary.strip() else _("Write what was decided, in a sentence or two."),
    }
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        raise ValidationError(problems)
    locked.initiative = initiative
    votes = list(Vote.objects.filter(proposal=locked).select_related("option"))
    options = [o.label for o in locked.options.all()]
    counted = tally(locked.method, selectors.answers_of(locked, votes), options)
    outcome = Outcome(
        initiative=initiative,
        proposal=locked,
        result=counted.result,
        tally=counted.as_json(),
        summary=summary.strip(),
        owner=owner,
        review_on=review_on,
        closed_at=now,
        closed_by=by,
    )
    outcome.full_clean()
    outcome.save()
    locked.status = Proposal.Status.CLOSED
    locked.save(update_fields=["status"])
    proposal.status = locked.status
    webhooks.announce(initiative, webhooks.DECISION_TAKEN, payloads.decision(outcome))
    return outcome


def close_due(
    now: datetime | None = None, *, initiative: Initiative | None = None
) -> list[Outcome]:
    """Close every open proposal past its closing date (of one initiative, or all): the
    proposer owns the outcome, reviewed three months later. Safe to run at any time."""
    now = now or timezone.now()
    due = Proposal.objects.filter(status=Proposal.Status.OPEN, closes_at__lte=now).select_related(
        "initiative"
    )
    if initiative is not None:
        due = due.filter(initiative=initiative)
    closed = []
    for proposal in due.order_by("closes_at", "pk"):
        counted = tally_preview(proposal)
        summary = _("Closed on its closing date. %(result)s: %(reason)s") % {
            "result": counted.result_label,
            "reason": counted.reason,
        }
        try:
            closed.append(
                proposal_close(
                    proposal=proposal,
                    by=None,
                    summary=summary,
                    owner=_auto_owner(proposal),
                    review_on=timezone.localdate(proposal.closes_at) + AUTO_REVIEW_AFTER,
                    now=now,
                )
            )
        except ValidationError:
            continue  # closed meanwhile by someone else, or its proposer has left
    return closed


def _auto_owner(proposal: Proposal):
    """The proposer, or when they have left the initiative, its first backbone staff."""
    if not owner_problem(initiative=proposal.initiative, owner=proposal.proposer):
        return proposal.proposer
    staff = (
        Membership.objects.filter(initiative=proposal.initiative, role__in=STAFF_ROLES)
        .select_related("person")
        .order_by("person__name", "pk")
        .first()
    )
    return staff.person if staff else None


def tally_preview(proposal: Proposal):
    votes = list(Vote.objects.filter(proposal=proposal).select_related("option"))
    options = [o.label for o in proposal.options.all()]
    return tally(proposal.method, selectors.answers_of(proposal, votes), options)


# --- review ---------------------------------------------------------------------------


@transaction.atomic
def outcome_review(
    *, outcome: Outcome, by, note: str, next_review_on: date | None = None, today=None
) -> Review:
    """Record a review; the outcome comes back on the owner's home page on the next date,
    or no more when there is none."""
    today = today or timezone.localdate()
    problems = {
        "note": "" if note.strip() else _("Write what the review found."),
        "next_review_on": ""
        if next_review_on is None or next_review_on > today
        else _("The next review must be after today."),
    }
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        raise ValidationError(problems)
    review = Review(
        initiative_id=outcome.initiative_id,
        outcome=outcome,
        note=note.strip(),
        next_review_on=next_review_on,
        by=by,
    )
    review.full_clean()
    review.save()
    outcome.review_on = next_review_on
    outcome.save(update_fields=["review_on"])
    return review
