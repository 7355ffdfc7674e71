"""Activity pages: the 4W view and its exports, one activity, its form, the alignment matrix.

Thin views: access through `backbone.permissions`, reads through `selectors`, writes through
`services`. Anyone who may see the initiative may read its activities when it is public;
otherwise members only. Partners change only their own organisation's activities.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from backbone.deletion import DeleteRefused, delete_refusal
from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, initiative_for
from backbone.web.forms import add_errors, read_revision, track
from backbone.web.signing_in import sign_in_first

from . import charts, exports, selectors, services
from .forms import ActivityForm, FourWFilterForm
from .models import Activity

SECTION = "activities"


def _initiative(request, slug: str, rule: str) -> Initiative:
    """404 to those who may not see the initiative; sign-in or 403 for those denied `rule`."""
    return initiative_for(request.user, slug, rule)


def _activity(initiative: Initiative, uuid) -> Activity:
    activity = (
        Activity.objects.of(initiative).select_related("partner__organisation").one(uuid=uuid)
    )
    activity.initiative = activity.partner.initiative = initiative
    return activity


def _filtered(request, initiative: Initiative):
    place_list = selectors.places(initiative=initiative)
    form = FourWFilterForm(request.GET or None, initiative=initiative, place_list=place_list)
    rows = selectors.activities(initiative=initiative, flt=form.chosen(), place_list=place_list)
    return form, rows


def four_w(request, slug):
    """Who does what, where and when, a page at a time."""
    initiative = initiative_for(request.user, slug, "activities.view")
    place_list = selectors.places(initiative=initiative)
    params = request.GET.copy()
    params.pop("page", None)
    form = FourWFilterForm(params or None, initiative=initiative, place_list=place_list)
    page = selectors.activities_page(
        initiative=initiative,
        flt=form.chosen(),
        place_list=place_list,
        number=request.GET.get("page") or 1,
    )
    return render(
        request,
        "activities/list.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "form": form,
            "activities": page.object_list,
            "page": page,
            "query": params.urlencode(),
            "may_create": can(request.user, "activities.manage", initiative),
            "may_export": can(request.user, "activities.export", initiative),
        },
    )


@sign_in_first(always=True)
def export(request, slug, kind):
    """The filtered 4W rows as a file."""
    initiative = _initiative(request, slug, "activities.export")
    _form, rows = _filtered(request, initiative)
    filename = f"{initiative.slug}-activities.{kind}"
    if kind == "xlsx":
        return exports.four_w_xlsx(rows, filename)
    return exports.four_w_csv(rows, filename)


def detail(request, slug, activity):
    initiative = initiative_for(request.user, slug, "activities.view")
    found = _activity(initiative, activity)
    return render(
        request,
        "activities/detail.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "activity": found,
            "strategies": found.strategies.order_by("position", "id"),
            "places": found.places.all(),
            "groups": found.groups.all(),
            "indicators": found.indicators.all(),
            "depends_on": found.depends_on.select_related("partner__organisation"),
            "needed_by": found.needed_by.select_related("partner__organisation"),
            "may_manage": can(request.user, "activities.manage", initiative, found.partner),
        },
    )


def _managed_partners(request, initiative: Initiative):
    partners = Partner.objects.of(initiative).select_related("organisation")
    allowed = [p.pk for p in partners if can(request.user, "activities.manage", initiative, p)]
    return partners.filter(pk__in=allowed).order_by("organisation__name")


def _save(request, initiative: Initiative, activity: Activity | None):
    partners = _managed_partners(request, initiative)
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        initiative=initiative,
        partners=partners,
        activity=activity,
    )
    track(form, activity)
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        try:
            if activity is None:
                activity = services.activity_create(initiative=initiative, data=data)
            else:
                activity = services.activity_update(
                    activity=activity,
                    data=data,
                    by=request.user,
                    read_revision=read_revision(form),
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved the activity “%(name)s”.") % {"name": activity.name})
            return redirect("activities:detail", initiative.slug, activity.uuid)
    return render(
        request,
        "activities/form.html",
        {"initiative": initiative, "section": SECTION, "form": form, "activity": activity},
    )


@sign_in_first(always=True)
def create(request, slug):
    initiative = _initiative(request, slug, "activities.manage")
    return _save(request, initiative, None)


@sign_in_first(always=True)
def edit(request, slug, activity):
    initiative = initiative_for(request.user, slug, "activities.view")
    found = _activity(initiative, activity)
    if not can(request.user, "activities.manage", initiative, found.partner):
        raise PermissionDenied
    return _save(request, initiative, found)


@sign_in_first(always=True)
def delete(request, slug, activity):
    initiative = initiative_for(request.user, slug, "activities.view")
    found = _activity(initiative, activity)
    if not can(request.user, "activities.manage", initiative, found.partner):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.activity_delete(activity=found)
        except DeleteRefused as exc:
            refused = exc
        else:
            messages.success(request, _("Deleted the activity “%(name)s”.") % {"name": found.name})
            return redirect("activities:list", initiative.slug)
    else:
        refused = delete_refusal(found, kind="activity")
    # a partner may delete its activity but not see the backbone's grants: counts only
    names = can(request.user, "grants.view_all", initiative)
    return render(
        request,
        "activities/confirm_delete.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "activity": found,
            "refused": refused.message(names=names) if refused else None,
        },
        status=409 if request.method == "POST" else 200,
    )


def alignment(request, slug):
    """Partners × strategies and places × strategies, with gaps and overlaps."""
    initiative = initiative_for(request.user, slug, "activities.view")
    found = selectors.alignment_of(initiative=initiative)
    return render(
        request,
        "activities/alignment.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "found": found,
            "partner_heat": charts.heat_map(found.by_partner),
            "place_heat": charts.heat_map(found.by_place),
            # an activity's page is <base><uuid>/: one reverse for the hundreds of links
            "base": reverse("activities:list", args=[initiative.slug]),
        },
    )
