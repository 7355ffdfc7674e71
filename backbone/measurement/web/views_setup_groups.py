"""The set-up pages of dimensions and their groups, for the backbone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backbone.permissions import can, initiative_for
from backbone.web.forms import add_errors, read_revision, track

from .. import selectors
from .. import services_setup as services
from ..models import Group, Indicator
from .forms_setup_groups import (
    DimensionForm,
    GroupForm,
)
from .views_setup import (
    dimension_or_404,
    initiative_or_refuse,
    page_context,
    show_refusal,
    sign_in_when_anonymous,
)

# --- dimensions and groups -------------------------------------------------------------------


@sign_in_when_anonymous
def dimensions(request, slug):
    initiative = initiative_for(request.user, slug, "measurement.view")
    may_manage = can(request.user, "measurement.manage", initiative)
    form = None
    if request.method == "POST":
        initiative_or_refuse(request, slug, "measurement.manage")
    if may_manage:
        form = DimensionForm(request.POST or None, initiative=initiative)
        if request.method == "POST" and form.is_valid():
            try:
                dimension = services.dimension_create(initiative=initiative, **form.cleaned_data)
            except services.SetupError as exc:
                show_refusal(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is added. Add its groups next.") % {"name": dimension.name},
                )
                return redirect("measurement:dimension", initiative.slug, dimension.key)
    return render(
        request,
        "measurement/setup/dimensions.html",
        page_context(
            initiative,
            dimensions=selectors.dimensions_with_groups(initiative),
            form=form,
        ),
    )


@sign_in_when_anonymous
def dimension_detail(request, slug, key):
    """One dimension and its groups. Backbone staff rename it (`action=dimension`), add a
    group (`action=group_add`) or change one (`?group=<key>`, `action=group_edit`)."""
    initiative = initiative_for(request.user, slug, "measurement.view")
    dimension = dimension_or_404(initiative, key)
    may_manage = can(request.user, "measurement.manage", initiative)
    if request.method == "POST":
        initiative_or_refuse(request, slug, "measurement.manage")
    action = request.POST.get("action") if request.method == "POST" else None
    dimension_form = group_form = edit_form = None
    editing = None
    if may_manage:
        editing_key = (
            request.POST.get("group") if action == "group_edit" else request.GET.get("group")
        )
        if editing_key:
            editing = (
                Group.objects.of(initiative).filter(dimension=dimension, key=editing_key).first()
            )
            if editing is None:
                raise Http404(_("No such group."))
        dimension_form = DimensionForm(
            request.POST if action == "dimension" else None,
            instance=dimension,
            initiative=initiative,
            prefix="dimension",
        )
        track(dimension_form, dimension)
        group_form = GroupForm(
            request.POST if action == "group_add" else None, dimension=dimension, prefix="group"
        )
        if editing is not None:
            edit_form = GroupForm(
                request.POST if action == "group_edit" else None,
                instance=editing,
                dimension=dimension,
                prefix="edit",
            )
            track(edit_form, editing)
        done = None
        if action == "dimension" and dimension_form.is_valid():
            try:
                services.dimension_update(
                    dimension=dimension,
                    by=request.user,
                    read_revision=read_revision(dimension_form),
                    **dimension_form.cleaned_data,
                )
                done = _("%(name)s is saved.") % {"name": dimension.name}
            except services.SetupError as exc:
                show_refusal(dimension_form, exc)
            except ValidationError as exc:
                add_errors(dimension_form, exc)
        elif action == "group_add" and group_form.is_valid():
            try:
                group = services.group_create(dimension=dimension, **group_form.cleaned_data)
                done = _("%(group)s is added to %(dimension)s.") % {
                    "group": group.name,
                    "dimension": dimension.name,
                }
            except services.SetupError as exc:
                show_refusal(group_form, exc)
        elif action == "group_edit" and edit_form is not None and edit_form.is_valid():
            try:
                group = services.group_update(
                    group=editing,
                    by=request.user,
                    read_revision=read_revision(edit_form),
                    **edit_form.cleaned_data,
                )
                done = _("%(name)s is saved.") % {"name": group.name}
            except services.SetupError as exc:
                show_refusal(edit_form, exc)
            except ValidationError as exc:
                add_errors(edit_form, exc)
        elif action is not None and action not in {"dimension", "group_add", "group_edit"}:
            raise Http404(_("No such action."))
        if done:
            messages.success(request, done)
            return redirect("measurement:dimension", initiative.slug, dimension.key)
    groups = list(Group.objects.of(initiative).filter(dimension=dimension))
    return render(
        request,
        "measurement/setup/dimension.html",
        page_context(
            initiative,
            dimension=dimension,
            tree=selectors.group_tree(groups),
            nodes=selectors.group_nodes(groups),
            indicators=Indicator.objects.of(initiative)
            .filter(dimensions=dimension)
            .order_by("position", "name"),
            dimension_form=dimension_form,
            group_form=group_form,
            edit_form=edit_form,
            editing=editing,
        ),
    )
