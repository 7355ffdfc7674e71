"""Managing the people of an initiative: change a role or organisation, remove a role, send
an invitation again. Thin: check access (backbone.permissions), call one service
(initiatives.members, initiatives.services), answer."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone import permissions
from backbone.permissions import can, initiative_for, require
from backbone.web.confirm import Confirmation, confirm_page
from backbone.web.forms import saved

from . import members, services
from .forms import MembershipForm
from .models import Initiative, Invitation, Membership
from .views import _invitation_scope

SECTION = "members"


def _membership(request, slug, person_uuid, role, organisation) -> tuple[Initiative, Membership]:
    """The role the address names, which the person asking may manage; 404 otherwise (a
    steward does not learn of other organisations' people)."""
    initiative = initiative_for(request.user, slug, "members.view")
    membership = members.membership_find(
        initiative=initiative, person_uuid=person_uuid, role=role, organisation=organisation
    )
    if membership is None or not can(request.user, "members.manage", initiative, membership):
        raise Http404(_("No such role here."))
    return initiative, membership


def _back(request, initiative: Initiative):
    """To the people page, or the overview for someone who just gave up seeing it."""
    if can(request.user, "members.view", initiative):
        return redirect("initiatives:members", initiative.slug)
    return redirect("initiatives:overview", initiative.slug)


def _name(membership: Membership) -> str:
    return membership.person.name or membership.person.email


@login_required
def member_edit(request, slug, person_uuid, role, organisation):
    initiative, membership = _membership(request, slug, person_uuid, role, organisation)
    roles, organisations = _invitation_scope(request.user, initiative)
    may_move = permissions.can(request.user, "members.move", initiative)
    form = MembershipForm(
        request.POST or None,
        membership=membership,
        allowed_roles=roles,
        organisations=organisations,
        may_move=may_move,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(
            request.user,
            "members.change",
            initiative,
            (membership, data["role"], data["organisation"]),
        )
        change = partial(
            members.membership_change,
            membership=membership,
            by=request.user,
            role=data["role"],
            organisation=data["organisation"],
        )
        if saved(form, change):
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": _name(membership), "role": membership.get_role_display().lower()},
            )
            return _back(request, initiative)
    return render(
        request,
        "initiatives/member_form.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "membership": membership,
            "form": form,
        },
    )


@login_required
def member_remove(request, slug, person_uuid, role, organisation):
    """Asks first (GET), removes on the confirmation's POST."""
    initiative, membership = _membership(request, slug, person_uuid, role, organisation)
    names = {"name": _name(membership), "role": membership.get_role_display().lower()}
    if membership.organisation:
        names["organisation"] = membership.organisation.name
        question = _("Remove %(name)s as %(role)s for %(organisation)s?") % names
        done = _("%(name)s is no longer %(role)s for %(organisation)s.") % names
    else:
        question = _("Remove %(name)s as %(role)s?") % names
        done = _("%(name)s is no longer %(role)s.") % names
    if request.method != "POST":
        return confirm_page(
            request,
            Confirmation(
                question=question,
                explanation=_(
                    "They lose this role at once, with what it let them see and do: "
                    "pages of the initiative that need it refuse them, the API tokens they made "
                    "for an organisation they no longer steward stop working, and once they hold "
                    "no role here their calendar links stop too. What they contributed (values, "
                    "comments, meetings) stays, under their name. You can invite them again."
                ),
                button=_("Remove the role"),
                cancel_url=reverse("initiatives:members", args=[initiative.slug]),
            ),
            initiative=initiative,
            section=SECTION,
            refused=members.membership_remove_refusal(membership),
        )
    try:
        members.membership_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("initiatives:members", initiative.slug)
    messages.success(request, done)
    return _back(request, initiative)


@login_required
@require_POST
def invitation_resend(request, slug, invitation_uuid):
    """A new link by e-mail; the old one stops working."""
    initiative = initiative_for(request.user, slug, "members.view")
    invitation = Invitation.objects.of(initiative).one(
        uuid=invitation_uuid, accepted_at__isnull=True
    )
    require(request.user, "members.invite", initiative, (invitation.role, invitation.organisation))
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("initiatives:members", initiative.slug)
