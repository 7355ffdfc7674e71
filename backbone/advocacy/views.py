"""Policy agenda, public will and partner commitments pages.

Thin views: access through `backbone.permissions`, reads through `selectors`, writes through
`services`. Outsiders get 404; members denied a change get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, initiative_for, require
from backbone.web.forms import read_revision, saved, track

from . import selectors, services
from .forms import (
    CommitmentForm,
    CommitmentUpdateForm,
    PolicyEventForm,
    PolicyForm,
    PublicWillForm,
)
from .models import Commitment, Policy, PublicWillItem

SECTION = "advocacy"
COMMITMENTS = "commitments"  # partners' own commitments sit with the common agenda (§4)


def _page(request, template, initiative, *, section=SECTION, **context):
    return render(
        request, f"advocacy/{template}", {"initiative": initiative, "section": section, **context}
    )


# --- policies --------------------------------------------------------------------------


def policies(request, slug):
    initiative = initiative_for(request.user, slug, "policies.view")
    members = can(request.user, "policies.view_all", initiative)
    rows = list(selectors.policies(initiative=initiative, public_only=not members))
    return _page(
        request,
        "policies.html",
        initiative,
        groups=selectors.policies_by_status(rows=rows),
        wins=[p for p in rows if p.is_win],
        may_manage=can(request.user, "policies.manage", initiative),
    )


def _policy(request, initiative: Initiative, uuid) -> Policy:
    policy = Policy.objects.of(initiative).select_related("next_step_owner").one(uuid=uuid)
    if not can(request.user, "policy.view", initiative, policy):
        raise Http404(_("No such policy."))  # a policy not shown publicly is never hinted at
    policy.initiative = initiative
    return policy


def policy(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "policies.view")
    found = _policy(request, initiative, uuid)
    may_manage = can(request.user, "policies.manage", initiative)
    return _page(
        request,
        "policy.html",
        initiative,
        policy=found,
        events=found.events.select_related("recorded_by"),
        may_manage=may_manage,
        event_form=PolicyEventForm() if may_manage else None,
    )


def _policy_form(request, initiative, found: Policy | None):
    form = track(PolicyForm(request.POST or None, instance=found, initiative=initiative), found)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.policy_save(  # noqa: E731
            policy=form.instance, by=request.user, read_revision=read_revision(form)
        )
        if saved(form, save):
            messages.success(
                request, _("Saved the policy “%(title)s”.") % {"title": form.instance.title}
            )
            return redirect("advocacy:policy", initiative.slug, form.instance.uuid)
    return _page(request, "form.html", initiative, form=form, what="policy", obj=found)


def policy_create(request, slug):
    initiative = initiative_for(request.user, slug, "policies.manage")
    return _policy_form(request, initiative, None)


def policy_edit(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "policies.manage")
    return _policy_form(request, initiative, _policy(request, initiative, uuid))


def policy_event_add(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "policies.manage")
    found = _policy(request, initiative, uuid)
    form = PolicyEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok = saved(
            form,
            lambda: services.policy_event_add(
                policy=found,
                happened_on=data["happened_on"],
                description=data["description"],
                status_after=data["status_after"],
                by=request.user,
            ),
        )
        if ok:
            messages.success(request, _("Added to the timeline."))
            return redirect("advocacy:policy", initiative.slug, found.uuid)
    return _page(request, "form.html", initiative, form=form, what="event", obj=found)


# --- public will -----------------------------------------------------------------------


def public_will(request, slug):
    initiative = initiative_for(request.user, slug, "public_will.view")
    return _page(
        request,
        "public_will.html",
        initiative,
        table=selectors.public_will(initiative=initiative),
        may_manage=can(request.user, "public_will.manage", initiative),
    )


def _item_form(request, initiative, found: PublicWillItem | None):
    form = track(PublicWillForm(request.POST or None, instance=found, initiative=initiative), found)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.public_will_save(  # noqa: E731
            item=form.instance, by=request.user, read_revision=read_revision(form)
        )
        if saved(form, save):
            messages.success(request, _("Saved “%(title)s”.") % {"title": form.instance.title})
            return redirect("advocacy:public_will", initiative.slug)
    return _page(request, "form.html", initiative, form=form, what="item", obj=found)


def item_create(request, slug):
    initiative = initiative_for(request.user, slug, "public_will.manage")
    return _item_form(request, initiative, None)


def item_edit(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "public_will.manage")
    found = PublicWillItem.objects.of(initiative).one(uuid=uuid)
    return _item_form(request, initiative, found)


# --- partner commitments ---------------------------------------------------------------


def commitments(request, slug):
    """The matrix of partners × kinds of commitment, and partners gone quiet."""
    initiative = initiative_for(request.user, slug, "commitments.view")
    return _page(
        request,
        "commitments.html",
        initiative,
        section=COMMITMENTS,
        matrix=selectors.matrix(initiative=initiative),
        staleness=selectors.staleness(initiative=initiative, today=timezone.localdate()),
        stale_days=selectors.STALE_AFTER.days,
    )


def _partner(initiative: Initiative, organisation: str) -> Partner:
    partner = (
        Partner.objects.of(initiative)
        .select_related("organisation")
        .one(organisation__slug=organisation)
    )
    partner.initiative = initiative
    return partner


def partner_commitments(request, slug, organisation):
    initiative = initiative_for(request.user, slug, "commitments.view")
    partner = _partner(initiative, organisation)
    may_manage = can(request.user, "commitments.manage", initiative, partner)
    return _page(
        request,
        "partner.html",
        initiative,
        section=COMMITMENTS,
        partner=partner,
        commitments=selectors.commitments_of(partner=partner),
        may_manage=may_manage,
    )


def _commitment_form(request, initiative, partner: Partner, found: Commitment | None):
    require(request.user, "commitments.manage", initiative, partner)
    form = track(CommitmentForm(request.POST or None, instance=found), found)
    form.instance.initiative, form.instance.partner = initiative, partner
    if request.method == "POST" and form.is_valid():
        save = lambda: services.commitment_save(  # noqa: E731
            commitment=form.instance, by=request.user, read_revision=read_revision(form)
        )
        if saved(form, save):
            messages.success(request, _("Saved the commitment."))
            return redirect("advocacy:partner", initiative.slug, partner.organisation.slug)
    return _page(
        request,
        "form.html",
        initiative,
        section=COMMITMENTS,
        form=form,
        what="commitment",
        obj=found,
        partner=partner,
    )


def _commitment(initiative: Initiative, uuid) -> Commitment:
    found = Commitment.objects.of(initiative).select_related("partner__organisation").one(uuid=uuid)
    found.initiative = found.partner.initiative = initiative
    return found


def commitment_create(request, slug, organisation):
    initiative = initiative_for(request.user, slug, "commitments.view")
    return _commitment_form(request, initiative, _partner(initiative, organisation), None)


def commitment_edit(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "commitments.view")
    found = _commitment(initiative, uuid)
    return _commitment_form(request, initiative, found.partner, found)


def commitment_update_add(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "commitments.view")
    found = _commitment(initiative, uuid)
    require(request.user, "commitments.manage", initiative, found.partner)
    form = CommitmentUpdateForm(
        request.POST or None, initial={"on": timezone.localdate().isoformat()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok = saved(
            form,
            lambda: services.commitment_update_add(
                commitment=found,
                on=data["on"],
                text=data["text"],
                by=request.user,
                status=data["status"],
            ),
        )
        if ok:
            messages.success(request, _("Recorded the progress update."))
            return redirect("advocacy:partner", initiative.slug, found.partner.organisation.slug)
    return _page(
        request,
        "form.html",
        initiative,
        section=COMMITMENTS,
        form=form,
        what="update",
        obj=found,
        partner=found.partner,
    )
