"""Proposals, votes, outcomes and the rules of each body.

Thin views: access through `backbone.permissions` (with a `Seat` from `selectors`), reads
through `selectors`, writes through `services`. A proposal of a private working group answers
404 to those who may not see it. Pages that show proposals first close those past their
closing date (`services.close_due`), so an outcome is there the moment anyone looks.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.communication.models import WorkingGroup
from backbone.initiatives.models import Organisation
from backbone.initiatives.selectors import organisations_by_id
from backbone.permissions import can, initiative_for, require
from backbone.web.confirm import Confirmation, confirm_page
from backbone.web.forms import read_revision, saved, track
from backbone.web.htmx import is_htmx

from . import selectors, services
from .forms import CloseForm, ProposalForm, ReviewForm, RulesForm, VoteForm
from .models import DecisionRules, Method, Unit

SECTION = "decisions"


def _page(request, template, initiative, status=200, **context):
    return render(
        request,
        f"decisions/{template}",
        {"initiative": initiative, "section": SECTION, "today": timezone.localdate(), **context},
        status=status,
    )


# --- proposals ------------------------------------------------------------------------


def proposal_list(request, slug):
    initiative = initiative_for(request.user, slug, "decisions.view")
    services.close_due(initiative=initiative)
    opened, closed = selectors.proposals_listed(initiative=initiative, person=request.user)
    may_propose = can(request.user, "decisions.propose", initiative) or bool(
        selectors.group_choices(initiative=initiative, person=request.user)
    )
    return _page(
        request,
        "list.html",
        initiative,
        opened=opened,
        closed=closed,
        may_propose=may_propose,
        may_rules=can(request.user, "decisions.rules", initiative),
    )


def proposal_create(request, slug):
    initiative = initiative_for(request.user, slug, "decisions.view")
    groups = selectors.group_choices(initiative=initiative, person=request.user)
    may_all = can(request.user, "decisions.propose", initiative)
    if not groups and not may_all:
        require(request.user, "decisions.propose", initiative)
    initial = {"body": request.GET.get("group", "")}
    form = ProposalForm(
        request.POST or None,
        initiative=initiative,
        person=request.user,
        groups=groups,
        may_all=may_all,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = {}

        def save():
            created["proposal"] = services.proposal_create(
                initiative=initiative,
                proposer=request.user,
                title=data["title"],
                text=data["text"],
                group=data["body"],
                method=data["method"],
                unit=data["unit"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                meeting=data["meeting"],
                strategy=data["strategy"],
                indicator=data["indicator"],
                options=form.option_lines(),
            )

        if saved(form, save):
            proposal = created["proposal"]
            messages.success(request, _("Proposed “%(title)s”.") % {"title": proposal.title})
            return redirect("decisions:proposal", initiative.slug, proposal.uuid)
    status = 400 if request.method == "POST" else 200
    return _page(request, "propose.html", initiative, status=status, form=form)


def _organisations(seat) -> list[Organisation]:
    return organisations_by_id(seat.acting_for)


def _ballot(request, initiative, proposal, seat, *, form=None, notice=""):
    """What the proposal page and its htmx swap show of the votes."""
    votes = selectors.votes_of(proposal)
    may_vote = can(request.user, "decision.vote", initiative, seat)
    organisations = _organisations(seat) if may_vote and proposal.per_organisation else []
    current = None
    if may_vote and not proposal.per_organisation:
        current = next(
            (v for v in votes if v.voter_id == request.user.pk and v.organisation_id is None),
            None,
        )
    elif may_vote and len(organisations) == 1:
        current = next((v for v in votes if v.organisation_id == organisations[0].pk), None)
    if may_vote:
        if form is None and proposal.accepts_votes():
            form = VoteForm(proposal=proposal, organisations=organisations, current=current)
    own_org_votes = [v for v in votes if v.organisation_id in seat.acting_for]
    return {
        "proposal": proposal,
        "seat": seat,
        "votes": votes,
        "tally": selectors.tally_of(proposal, votes),
        "electorate": selectors.electorate(proposal, votes),
        "may_vote": may_vote,
        "voting_note": _voting_note(proposal),
        "organisations": organisations,
        "current": current,
        "own_org_votes": own_org_votes,
        "form": form if proposal.accepts_votes() else None,
        "named": can(request.user, "decision.votes_named", initiative),
        "history": selectors.history_of(proposal),
        "notice": notice,
    }


def _voting_note(proposal) -> str:
    now = timezone.now()
    if not proposal.is_open:
        return _("Voting is closed; votes no longer change.")
    if now < proposal.opens_at:
        return _("Voting opens on %(when)s.") % {
            "when": services.moment_in_words(proposal.opens_at)
        }
    if now >= proposal.closes_at:
        return _("Voting has ended; the outcome is recorded on the next visit.")
    return ""


def proposal_detail(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "decisions.view")
    services.close_due(initiative=initiative)
    proposal, seat = selectors.proposal_get(initiative=initiative, person=request.user, uuid=uuid)
    outcome = proposal.outcome if not proposal.is_open else None
    return _page(
        request,
        "detail.html",
        initiative,
        outcome=outcome,
        reviews=list(outcome.reviews.select_related("by")) if outcome else [],
        may_close=proposal.is_open and can(request.user, "decision.close", initiative, seat),
        may_review=outcome is not None and can(request.user, "decision.review", initiative, seat),
        meeting_visible=_meeting_visible(request, initiative, proposal),
        **_ballot(request, initiative, proposal, seat),
    )


def _meeting_visible(request, initiative, proposal) -> bool:
    from backbone.communication.selectors import meeting_seat

    meeting = proposal.meeting
    return meeting is not None and can(
        request.user, "group.view", initiative, meeting_seat(meeting, request.user)
    )


def vote(request, slug, uuid):
    """Cast or change a vote. An htmx request gets the votes section back; a plain form a
    redirect to the proposal (or the form again with its errors)."""
    initiative = initiative_for(request.user, slug, "decisions.view")
    proposal, seat = selectors.proposal_get(initiative=initiative, person=request.user, uuid=uuid)
    require(request.user, "decision.vote", initiative, seat)
    if request.method != "POST":
        return _page(
            request, "vote.html", initiative, **_ballot(request, initiative, proposal, seat)
        )
    organisations = _organisations(seat) if proposal.per_organisation else []
    form = VoteForm(request.POST, proposal=proposal, organisations=organisations, current=None)
    if form.is_valid():
        data = form.cleaned_data
        organisation = data.get("organisation") or (
            organisations[0] if len(organisations) == 1 else None
        )
        recorded = saved(
            form,
            lambda: services.vote_cast(
                proposal=proposal,
                person=request.user,
                choice=data.get("choice", ""),
                level=data.get("level"),
                option=data.get("option"),
                reason=data.get("reason", ""),
                organisation=organisation,
            ),
        )
        if recorded:
            notice = (
                _("Your vote for %(organisation)s is recorded.")
                % {"organisation": organisation.name}
                if organisation
                else _("Your vote is recorded.")
            )
            if is_htmx(request):
                context = _ballot(request, initiative, proposal, seat, notice=notice)
                return _page(request, "_ballot.html", initiative, **context)
            messages.success(request, notice)
            return redirect(reverse("decisions:proposal", args=[slug, uuid]) + "#votes")
    context = _ballot(request, initiative, proposal, seat, form=form)
    context["form"] = form  # the refused form with its errors, even once voting has closed
    if is_htmx(request):  # htmx swaps only successful answers: the errors come back as 200
        return _page(request, "_ballot.html", initiative, **context)
    return _page(request, "vote.html", initiative, status=400, **context)


def close(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "decisions.view")
    proposal, seat = selectors.proposal_get(initiative=initiative, person=request.user, uuid=uuid)
    require(request.user, "decision.close", initiative, seat)
    if not proposal.is_open and request.method != "POST":
        messages.info(request, _("This proposal is already closed."))
        return redirect("decisions:proposal", slug, uuid)
    form = CloseForm(
        request.POST or None,
        initiative=initiative,
        initial={
            "owner": proposal.proposer,
            "review_on": timezone.localdate() + services.AUTO_REVIEW_AFTER,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if saved(
            form,
            lambda: services.proposal_close(
                proposal=proposal,
                by=request.user,
                summary=data["summary"],
                owner=data["owner"],
                review_on=data["review_on"],
            ),
        ):
            messages.success(request, _("Closed: the outcome is recorded."))
            return redirect("decisions:proposal", slug, uuid)
    status = 400 if request.method == "POST" else 200
    return _page(
        request,
        "close.html",
        initiative,
        status=status,
        form=form,
        proposal=proposal,
        preview=services.tally_preview(proposal) if proposal.is_open else None,
    )


def review(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "decisions.view")
    proposal, seat = selectors.proposal_get(initiative=initiative, person=request.user, uuid=uuid)
    outcome = proposal.outcome if not proposal.is_open else None
    if outcome is None:
        raise Http404(_("This proposal has no outcome to review yet."))
    require(request.user, "decision.review", initiative, seat)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if saved(
            form,
            lambda: services.outcome_review(
                outcome=outcome,
                by=request.user,
                note=data["note"],
                next_review_on=data["next_review_on"],
            ),
        ):
            messages.success(request, _("Review recorded."))
            return redirect("decisions:proposal", slug, uuid)
    status = 400 if request.method == "POST" else 200
    return _page(
        request,
        "review.html",
        initiative,
        status=status,
        form=form,
        proposal=proposal,
        outcome=outcome,
    )


# --- rules ----------------------------------------------------------------------------


def rules(request, slug):
    initiative = initiative_for(request.user, slug, "decisions.rules")
    return _page(
        request,
        "rules.html",
        initiative,
        table=selectors.rules_table(initiative=initiative),
        all_methods=Method.values,
    )


def rules_edit(request, slug, group=None):
    initiative = initiative_for(request.user, slug, "decisions.rules")
    found = None
    if group is not None:
        found = WorkingGroup.objects.of(initiative).filter(uuid=group).first()
        if found is None:
            raise Http404(_("No such working group."))
    if request.method != "POST" and found is not None and "inherit" in request.GET:
        return confirm_page(
            request,
            Confirmation(
                question=_("Drop the rules of %(group)s?") % {"group": found.name},
                explanation=_(
                    "%(group)s follows the rules for all partners from now on; its own choices "
                    "are not kept. You can save rules of its own again."
                )
                % {"group": found.name},
                button=_("Follow the rules for all partners"),
                cancel_url=request.path,
                fields=(("inherit", "1"),),
            ),
            initiative=initiative,
            section=SECTION,
        )
    if request.method == "POST" and found is not None and "inherit" in request.POST:
        services.rules_remove(initiative=initiative, group=found)
        messages.success(
            request, _("%(group)s now follows the initiative's rules.") % {"group": found.name}
        )
        return redirect("decisions:rules", slug)
    current, own = selectors.body_rules(initiative=initiative, group=found)
    form = RulesForm(
        request.POST or None,
        initial={
            "allowed_methods": current.allowed_methods if current else Method.values,
            "default_unit": current.default_unit if current else Unit.PERSON,
        },
    )
    track(form, current if own else DecisionRules())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if saved(
            form,
            lambda: services.rules_save(
                initiative=initiative,
                group=found,
                allowed=data["allowed_methods"],
                default_unit=data["default_unit"],
                by=request.user,
                read_revision=read_revision(form),
            ),
        ):
            messages.success(
                request,
                _("Saved the rules of %(group)s.") % {"group": found.name}
                if found
                else _("Saved the rules of all partners."),
            )
            return redirect("decisions:rules", slug)
    status = 400 if request.method == "POST" else 200
    return _page(
        request, "rules_form.html", initiative, status=status, form=form, group=found, own=own
    )
