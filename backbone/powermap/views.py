"""Power map pages. A power map is sensitive: members read it, backbone staff edit it, and
people outside the initiative get 404 even when the initiative is public."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.initiatives.models import Initiative
from backbone.permissions import can, initiative_for
from backbone.web.confirm import Confirmation, confirm_page
from backbone.web.forms import read_revision, saved, track

from . import selectors, services
from .forms import BodyForm, SeatForm, StakeholderForm
from .models import STANCE_SIGNS, Body, Seat, Stakeholder, Stance

SECTION = "powermap"


def _initiative(request, slug, rule: str = "powermap.view") -> Initiative:
    """404 where the initiative is hidden; members only (signed out: sign in first)."""
    return initiative_for(request.user, slug, rule)


def _page(request, template, initiative, **context):
    return render(
        request,
        f"powermap/{template}",
        {
            "initiative": initiative,
            "section": SECTION,
            "may_edit": can(request.user, "powermap.edit", initiative),
            **context,
        },
    )


def power_map(request, slug):
    initiative = _initiative(request, slug)
    return _page(
        request,
        "map.html",
        initiative,
        found=selectors.power_map(initiative=initiative),
        quadrants=selectors.QUADRANTS,
        stances=[(value, label, STANCE_SIGNS[value]) for value, label in Stance.choices],
    )


def _stakeholder(initiative, uuid) -> Stakeholder:
    found = selectors.stakeholders(initiative=initiative).one(uuid=uuid)
    found.initiative = initiative
    return found


def stakeholder(request, slug, uuid):
    initiative = _initiative(request, slug)
    found = _stakeholder(initiative, uuid)
    return _page(
        request,
        "stakeholder.html",
        initiative,
        stakeholder=found,
        quadrant=selectors.QUADRANTS[selectors.quadrant(found.influence, found.interest)],
        placements=found.placements.select_related("placed_by"),
    )


def _stakeholder_form(request, initiative, found: Stakeholder | None):
    form = StakeholderForm(request.POST or None, instance=found, initiative=initiative)
    track(form, found)
    if request.method == "POST" and form.is_valid():
        ok = saved(
            form,
            lambda: services.stakeholder_save(
                stakeholder=form.instance,
                by=request.user,
                note=form.cleaned_data["note"],
                read_revision=read_revision(form),
            ),
        )
        if ok:
            messages.success(
                request, _("Saved “%(name)s” on the power map.") % {"name": form.instance.name}
            )
            return redirect("powermap:stakeholder", initiative.slug, form.instance.uuid)
    return _page(request, "form.html", initiative, form=form, what="stakeholder", obj=found)


def stakeholder_create(request, slug):
    initiative = _initiative(request, slug, "powermap.edit")
    return _stakeholder_form(request, initiative, None)


def stakeholder_edit(request, slug, uuid):
    initiative = _initiative(request, slug, "powermap.edit")
    return _stakeholder_form(request, initiative, _stakeholder(initiative, uuid))


def stakeholder_delete(request, slug, uuid):
    initiative = _initiative(request, slug, "powermap.edit")
    found = _stakeholder(initiative, uuid)
    if request.method != "POST":  # after the access checks, so outsiders still see 404
        return confirm_page(
            request,
            Confirmation(
                question=_("Remove “%(name)s” from the power map?") % {"name": found.name},
                explanation=_(
                    "Where it has stood, and why it moved, go with it. This cannot be "
                    "undone; placing it again starts a new history."
                ),
                button=_("Remove from the power map"),
                cancel_url=reverse("powermap:stakeholder", args=[initiative.slug, found.uuid]),
            ),
            initiative=initiative,
            section=SECTION,
        )
    services.stakeholder_delete(stakeholder=found)
    messages.success(request, _("Removed “%(name)s” from the power map.") % {"name": found.name})
    return redirect("powermap:map", initiative.slug)


# --- decision seats ----------------------------------------------------------------------


def seats(request, slug):
    initiative = _initiative(request, slug)
    return _page(
        request,
        "seats.html",
        initiative,
        found=selectors.decision_seats(
            initiative=initiative, person=request.user, today=timezone.localdate()
        ),
    )


def _body_form(request, initiative, found: Body | None):
    form = track(BodyForm(request.POST or None, instance=found, initiative=initiative), found)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.body_save(  # noqa: E731
            body=form.instance, by=request.user, read_revision=read_revision(form)
        )
        if saved(form, save):
            messages.success(request, _("Saved “%(name)s”.") % {"name": form.instance.name})
            return redirect("powermap:seats", initiative.slug)
    return _page(request, "form.html", initiative, form=form, what="body", obj=found)


def body_create(request, slug):
    initiative = _initiative(request, slug, "powermap.edit")
    return _body_form(request, initiative, None)


def _body(initiative, uuid) -> Body:
    found = Body.objects.of(initiative).one(uuid=uuid)
    found.initiative = initiative
    return found


def body_edit(request, slug, uuid):
    initiative = _initiative(request, slug, "powermap.edit")
    return _body_form(request, initiative, _body(initiative, uuid))


def _seat_form(request, initiative, body: Body, found: Seat | None):
    form = SeatForm(
        request.POST or None,
        instance=found,
        body=body,
        initial=None if found else {"since": timezone.localdate().isoformat()},
    )
    track(form, found)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.seat_save(  # noqa: E731
            seat=form.instance, by=request.user, read_revision=read_revision(form)
        )
        if saved(form, save):
            messages.success(
                request, _("Saved the seat of %(holder)s.") % {"holder": form.instance.holder}
            )
            return redirect("powermap:seats", initiative.slug)
    return _page(request, "form.html", initiative, form=form, what="seat", obj=found, body=body)


def seat_create(request, slug, uuid):
    initiative = _initiative(request, slug, "powermap.edit")
    return _seat_form(request, initiative, _body(initiative, uuid), None)


def _seat(initiative, uuid) -> Seat:
    found = (
        Seat.objects.of(initiative).select_related("body", "person", "organisation").one(uuid=uuid)
    )
    found.body.initiative = initiative
    return found


def seat_edit(request, slug, uuid):
    initiative = _initiative(request, slug, "powermap.edit")
    found = _seat(initiative, uuid)
    return _seat_form(request, initiative, found.body, found)
