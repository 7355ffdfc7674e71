"""Pages for initiatives, their partners and their people. Thin: check access, call a service."""

from functools import partial

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from backbone import permissions
from backbone.accounts.forms import NewAccountForm
from backbone.accounts.selectors import account_exists
from backbone.agenda.selectors import agenda_summary
from backbone.frameworks.selectors import framework_phase_name
from backbone.permissions import can, initiative_for, require
from backbone.spreadsheets import csv_response
from backbone.web.confirm import Confirmation, confirm_page
from backbone.web.forms import read_revision, saved, track

from . import getting_started, selectors, services
from .forms import (
    InitiativeForm,
    InvitationForm,
    OrganisationForm,
    PartnerAddForm,
    PartnerForm,
    PartnerListForm,
)
from .models import Invitation, Membership, Partner
from .partner_page import partner_page


@login_required
def initiative_create(request):
    if not permissions.can_create_initiative(request.user):
        raise PermissionDenied
    form = InitiativeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        initiative = services.initiative_create(by=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(name)s is ready. Invite its partners next.") % {"name": initiative.name}
        )
        return redirect("initiatives:overview", initiative.slug)
    return render(request, "initiatives/initiative_form.html", {"form": form})


def overview(request, slug):
    initiative = initiative_for(request.user, slug)
    partners = selectors.partners_by_sector(initiative)
    return render(
        request,
        "initiatives/overview.html",
        {
            "initiative": initiative,
            "section": "overview",
            "agenda": agenda_summary(initiative),
            "partners_by_sector": partners,
            "partner_count": sum(len(v) for v in partners.values()),
            "framework": initiative.framework,
            "phase_name": framework_phase_name(initiative.framework, initiative.phase),
            "checklist": getting_started.getting_started(initiative)
            if can(request.user, "initiative.edit", initiative)
            else None,
        },
    )


@login_required
def initiative_edit(request, slug):
    initiative = initiative_for(request.user, slug, "initiative.edit")
    form = InitiativeForm(request.POST or None, request.FILES or None, instance=initiative)
    track(form, initiative)
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.initiative_update,
            initiative=initiative,
            by=request.user,
            read_revision=read_revision(form),
        )
        if saved(form, save):
            messages.success(request, _("Initiative saved."))
            return redirect("initiatives:overview", initiative.slug)
    return render(
        request,
        "initiatives/initiative_form.html",
        {"form": form, "initiative": initiative, "section": "overview"},
    )


def partners(request, slug):
    initiative = initiative_for(request.user, slug, "partners.view")
    form = list_form = None
    if can(request.user, "partners.manage", initiative):
        many = request.method == "POST" and PARTNER_LIST_PREFIX + "-joined_on" in request.POST
        one_post = request.POST if request.method == "POST" and not many else None
        form = PartnerAddForm(one_post, initiative=initiative, person=request.user)
        list_form = PartnerListForm(
            request.POST if many else None,
            request.FILES if many else None,
            prefix=PARTNER_LIST_PREFIX,
        )
        if many and list_form.is_valid():
            added = services.partners_add_many(
                initiative=initiative,
                by=request.user,
                lines=list_form.cleaned_data["lines"],
                joined_on=list_form.cleaned_data["joined_on"],
            )
            for level, text in partner_list_messages(added):
                messages.add_message(request, level, text)
            return redirect("initiatives:partners", initiative.slug)
        if one_post is not None and form.is_valid():
            organisation = form.cleaned_data["organisation"] or services.organisation_create(
                name=form.cleaned_data["name"], sector=form.cleaned_data["sector"]
            )
            services.partner_add(
                initiative=initiative,
                organisation=organisation,
                joined_on=form.cleaned_data["joined_on"],
            )
            messages.success(
                request, _("%(name)s joined as a partner.") % {"name": organisation.name}
            )
            return redirect("initiatives:partners", initiative.slug)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "initiatives/partners.html",
        {
            "initiative": initiative,
            "section": "partners",
            "partners_by_sector": selectors.partners_by_sector(initiative),
            "form": form,
            "list_form": list_form,
        },
    )


PARTNER_LIST_PREFIX = "many"


def partner_list_messages(added: services.PartnersAdded) -> list[tuple[int, str]]:
    """What adding a list did, in sentences: who joined, who was there already."""
    n, reused = len(added.added), len(added.existing)
    names = ", ".join(p.organisation.name for p in added.added)
    if not n:
        said = [(messages.INFO, _("No partner added."))]
    elif reused:
        said = [
            (
                messages.SUCCESS,
                ngettext(
                    "%(n)s partner added (%(reused)s already on Backbone): %(names)s.",
                    "%(n)s partners added (%(reused)s already on Backbone): %(names)s.",
                    n,
                )
                % {"n": n, "reused": reused, "names": names},
            )
        ]
    else:
        said = [
            (
                messages.SUCCESS,
                ngettext("%(n)s partner added: %(names)s.", "%(n)s partners added: %(names)s.", n)
                % {"n": n, "names": names},
            )
        ]
    for level, lead, names in (
        (
            messages.INFO,
            _("Already partners, left as they were: %(names)s."),
            [p.organisation.name for p in added.already],
        ),
        (
            messages.INFO,
            _("Listed more than once, added once: %(names)s."),
            sorted({x.name for x in added.repeated}),
        ),
        (
            messages.WARNING,
            _("Filed under Other until you set their sector on their profile: %(names)s."),
            [o.name for o in added.without_sector],
        ),
    ):
        if names:
            said.append((level, lead % {"names": ", ".join(names)}))
    return said


@login_required
def partners_export(request, slug):
    """Every partner as CSV, for backbone staff and evaluators."""
    initiative = initiative_for(request.user, slug, "initiative.export")
    partners = Partner.objects.of(initiative).select_related("organisation")
    return csv_response(
        f"{initiative.slug}-partners.csv",
        ["organisation", "sector", "size", "website", "status", "joined_on", "commitment"],
        (
            [
                p.organisation.name,
                p.organisation.get_sector_display(),
                p.organisation.get_size_display(),
                p.organisation.website,
                p.get_status_display(),
                p.joined_on.isoformat(),
                p.commitment,
            ]
            for p in partners
        ),
    )


def _partner(initiative, org_slug) -> Partner:
    return (
        Partner.objects.of(initiative)
        .select_related("organisation")
        .one(organisation__slug=org_slug)
    )


def partner_detail(request, slug, org_slug):
    initiative = initiative_for(request.user, slug, "partners.view")
    partner = _partner(initiative, org_slug)
    may_see_people = can(request.user, "partner.people", initiative, partner)
    people = (
        Membership.objects.of(initiative)
        .filter(organisation=partner.organisation)
        .select_related("person")
        if may_see_people
        else None
    )
    form = None
    if can(request.user, "partners.manage", initiative):
        form = track(PartnerForm(request.POST or None, instance=partner), partner)
        if request.method == "POST" and form.is_valid():
            save = partial(
                services.partner_update,
                partner=form.instance,
                by=request.user,
                read_revision=read_revision(form),
            )
            if saved(form, save):
                messages.success(request, _("Partner saved."))
                return redirect("initiatives:partner", initiative.slug, org_slug)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "initiatives/partner_detail.html",
        {
            "initiative": initiative,
            "section": "partners",
            "partner": partner,
            "people": people,
            "form": form,
            "may_edit_profile": can(
                request.user, "organisation.edit", initiative, partner.organisation
            ),
            "page": partner_page(initiative=initiative, partner=partner, person=request.user),
        },
    )


@login_required
def organisation_edit(request, slug, org_slug):
    initiative = initiative_for(request.user, slug, "partners.view")
    partner = _partner(initiative, org_slug)
    require(request.user, "organisation.edit", initiative, partner.organisation)
    form = track(
        OrganisationForm(request.POST or None, instance=partner.organisation),
        partner.organisation,
    )
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.organisation_update,
            organisation=form.instance,
            by=request.user,
            read_revision=read_revision(form),
        )
        if saved(form, save):
            messages.success(request, _("Profile saved."))
            return redirect("initiatives:partner", initiative.slug, org_slug)
    return render(
        request,
        "initiatives/organisation_form.html",
        {"initiative": initiative, "section": "partners", "partner": partner, "form": form},
    )


def _invitation_scope(user, initiative):
    """Roles and organisations this person may invite for."""
    roles, organisation_ids = permissions.invitation_scope(user, initiative)
    partner_orgs = selectors.partner_organisations(initiative)
    if organisation_ids is not None:
        partner_orgs = partner_orgs.filter(pk__in=organisation_ids)
    return roles, partner_orgs


@login_required
def members(request, slug):
    initiative = initiative_for(request.user, slug, "members.view")
    memberships = Membership.objects.of(initiative).select_related("person", "organisation")
    invitations = (
        Invitation.objects.of(initiative)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("organisation")
    )  # declined ones stay listed, marked, until withdrawn
    memberships = permissions.members_visible(request.user, initiative, memberships)
    invitations = permissions.members_visible(request.user, initiative, invitations)
    roles, organisations = _invitation_scope(request.user, initiative)
    form = None
    if can(request.user, "members.invite", initiative):
        form = InvitationForm(
            request.POST or None,
            initiative=initiative,
            allowed_roles=roles,
            organisations=organisations,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            require(
                request.user, "members.invite", initiative, (data["role"], data["organisation"])
            )
            invite = partial(
                services.invitation_create,
                initiative=initiative,
                by=request.user,
                email=data["email"],
                role=data["role"],
                organisation=data["organisation"],
                name=data["name"],
            )
            if saved(form, invite):
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": data["email"]}
                )
                return redirect("initiatives:members", initiative.slug)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "initiatives/members.html",
        {
            "initiative": initiative,
            "section": "members",
            "memberships": memberships,
            "invitations": invitations,
            "form": form,
        },
    )


@login_required
def invitation_revoke(request, slug, invitation_uuid):
    """Asks first (GET), withdraws on the confirmation's POST."""
    initiative = initiative_for(request.user, slug, "members.view")
    invitation = Invitation.objects.of(initiative).one(uuid=invitation_uuid)
    require(request.user, "members.invite", initiative, (invitation.role, invitation.organisation))
    if request.method != "POST":
        return confirm_page(
            request,
            Confirmation(
                question=_("Withdraw the invitation to %(email)s?") % {"email": invitation.email},
                explanation=_(
                    "The link in the e-mail stops working at once. You can invite "
                    "them again later; they get a new e-mail."
                ),
                button=_("Withdraw the invitation"),
                cancel_url=reverse("initiatives:members", args=[initiative.slug]),
            ),
            initiative=initiative,
            section="members",
        )
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("initiatives:members", initiative.slug)


@csrf_exempt  # the one-click unsubscribe of RFC 8058: the token in the address is the secret
def invitation_decline(request, token):
    """Asks first (GET, from the e-mail's link); declines on POST, the mail client's
    one-click unsubscribe included."""
    try:
        if request.method == "POST":  # declining twice is no error: clients may retry
            invitation = services.invitation_decline(token=token)
            return render(
                request, "initiatives/invitation_declined.html", {"invitation": invitation}
            )
        invitation = services.invitation_by_token(token)
    except services.InvitationError as exc:
        return render(
            request, "initiatives/invitation_invalid.html", {"reason": str(exc)}, status=410
        )
    return confirm_page(
        request,
        Confirmation(
            question=_("Decline the invitation to join %(initiative)s?")
            % {"initiative": invitation.initiative.name},
            explanation=_(
                "The link in the e-mail stops working, and you get no more e-mail "
                "about this invitation. Whoever invited you sees that you declined."
            ),
            button=_("Decline the invitation"),
            cancel_url=reverse("initiatives:invitation", args=[token]),
        ),
    )


def invitation_accept(request, token):
    try:
        invitation = services.invitation_by_token(token)
    except services.InvitationError as exc:
        return render(
            request, "initiatives/invitation_invalid.html", {"reason": str(exc)}, status=410
        )
    user = request.user
    if user.is_authenticated and user.email.lower() != invitation.email:
        return render(
            request,
            "initiatives/invitation_invalid.html",
            {
                "reason": _(
                    "This invitation was sent to %(email)s; you are signed in as %(user)s. "
                    "Sign out, then open the link again."
                )
                % {"email": invitation.email, "user": user.email}
            },
            status=403,
        )
    has_account = account_exists(invitation.email)
    form = NewAccountForm(request.POST or None, initial={"name": invitation.name})
    if request.method == "POST":
        if user.is_authenticated:
            services.invitation_accept(token=token, person=user)
            permissions.forget_standing(user)
            messages.success(
                request,
                _("Welcome to %(initiative)s.") % {"initiative": invitation.initiative.name},
            )
            return redirect("initiatives:overview", invitation.initiative.slug)
        if not has_account and form.is_valid():
            person = services.invitation_accept(
                token=token, name=form.cleaned_data["name"], password=form.cleaned_data["password1"]
            )
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to %(initiative)s.") % {"initiative": invitation.initiative.name},
            )
            return redirect("initiatives:overview", invitation.initiative.slug)
    return render(
        request,
        "initiatives/invitation_accept.html",
        {"invitation": invitation, "form": form, "has_account": has_account},
    )
