"""Completeness pages: the backbone's overview, each partner's own page, and who reports what.

Thin views: access through `backbone.permissions`, reads through `selectors`, writes through
`services`. A partner's page is invisible to the other partners: asking for it answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.initiatives.models import Partner
from backbone.measurement.models import Indicator
from backbone.permissions import can, initiative_for

from . import charts, selectors, services
from .forms import AssignmentForm, PeriodFilterForm

SECTION = "completeness"


@login_required
def overview(request, slug):
    """Every partner's reports for the backbone; partner people go to their own page."""
    initiative = initiative_for(request.user, slug)
    if not can(request.user, "completeness.view_all", initiative):
        partners = [
            p
            for p in Partner.objects.of(initiative).select_related("organisation")
            if can(request.user, "completeness.view_partner", initiative, p)
        ]
        if len(partners) == 1:
            return redirect("completeness:partner", initiative.slug, partners[0].organisation.slug)
        if not partners:
            raise PermissionDenied
        return render(
            request,
            "completeness/pick_partner.html",
            {"initiative": initiative, "section": SECTION, "partners": partners},
        )
    today = timezone.localdate()
    periods = selectors.default_periods(initiative=initiative, today=today)
    form = PeriodFilterForm(request.GET or None, periods=periods)
    chosen = form.chosen()
    found = selectors.completeness(
        initiative=initiative, periods=[chosen] if chosen else periods, today=today
    )
    return render(
        request,
        "completeness/overview.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "form": form,
            "chosen": chosen,
            "found": found,
            "grids": found.grids(),
            "heat": None if chosen else charts.heat_map(found),
            "may_assign": can(request.user, "completeness.assign", initiative),
            "unassigned": selectors.unassigned_indicators(initiative=initiative),
        },
    )


@login_required
def partner(request, slug, organisation):
    """One partner's expected reports, with their state and lateness."""
    initiative = initiative_for(request.user, slug)
    found_partner = (
        Partner.objects.of(initiative)
        .select_related("organisation")
        .filter(organisation__slug=organisation)
        .first()
    )
    if found_partner is None or not can(
        request.user, "completeness.view_partner", initiative, found_partner
    ):
        raise Http404(_("No such partner."))
    found = selectors.completeness(initiative=initiative, partner=found_partner)
    return render(
        request,
        "completeness/partner.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "partner": found_partner,
            "found": found,
            "figures": found.by_partner.get(found_partner.pk, selectors.Figures()),
            "periods": found.by_period_reports(),
            "may_view_all": can(request.user, "completeness.view_all", initiative),
            "may_submit": can(request.user, "values.submit", initiative, found_partner),
        },
    )


@login_required
def assignments(request, slug):
    """Backbone staff tick which partners report each indicator."""
    initiative = initiative_for(request.user, slug, "completeness.assign")
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,  # nothing ticked is a choice too
        indicators=list(Indicator.objects.of(initiative)),
        partners=list(
            Partner.objects.of(initiative)
            .select_related("organisation")
            .order_by("organisation__name")
        ),
        assigned=selectors.reporting_partners(initiative=initiative),
    )
    if request.method == "POST" and form.is_valid():
        services.assignments_set(initiative=initiative, reporters=form.reporters(), by=request.user)
        messages.success(request, _("Saved who reports each indicator."))
        return redirect("completeness:assignments", initiative.slug)
    return render(
        request,
        "completeness/assignments.html",
        {"initiative": initiative, "section": SECTION, "form": form},
    )
