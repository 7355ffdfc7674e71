"""The backbone's pages: the work plan, effort by role, and funding.

Thin views: access through `backbone.permissions`, reads through `selectors`, writes through
`services`. Members read the plan and the effort; only backbone staff change them. Funding's
overview (sums only) is for the backbone, evaluators and funders; the grants themselves for
the backbone and evaluators, and a funder's people see their own organisation's; nobody but
backbone staff sees a grant's private note.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backbone.permissions import can, grant_funders, initiative_for
from backbone.web.forms import read_revision, saved, track

from . import charts, selectors, services
from .forms import BudgetForm, EffortForm, FunderForm, GrantForm, TaskFilterForm, TaskForm
from .models import BackboneTask, Grant

SECTION = "backbone"


def _render(request, template, initiative, **context):
    return render(
        request,
        f"workplan/{template}",
        {"initiative": initiative, "section": SECTION, **context},
    )


def _task(initiative, uuid) -> BackboneTask:
    task = BackboneTask.objects.of(initiative).one(uuid=uuid)
    task.initiative = initiative
    return task


@login_required
def plan(request, slug):
    """The backbone's tasks by role, filtered by status and owner."""
    initiative = initiative_for(request.user, slug, "workplan.view")
    form = TaskFilterForm(request.GET or None, initiative=initiative)
    groups, unknown = selectors.plan(initiative=initiative, **form.chosen())
    return _render(
        request,
        "plan.html",
        initiative,
        form=form,
        groups=groups,
        unknown=unknown,
        may_edit=can(request.user, "workplan.edit", initiative),
    )


def _save_task(request, initiative, task):
    form = TaskForm(
        request.POST if request.method == "POST" else None, initiative=initiative, task=task
    )
    track(form, task)
    if request.method == "POST" and form.is_valid():
        data = form.task_data()
        if task is None:
            save = lambda: services.task_create(initiative=initiative, data=data)  # noqa: E731
        else:
            save = lambda: services.task_update(  # noqa: E731
                task=task, data=data, by=request.user, read_revision=read_revision(form)
            )
        if saved(form, save):
            messages.success(request, _("Saved the task “%(title)s”.") % {"title": data.title})
            return redirect("workplan:plan", initiative.slug)
    return _render(request, "task_form.html", initiative, form=form, task=task)


@login_required
def task_create(request, slug):
    initiative = initiative_for(request.user, slug, "workplan.edit")
    return _save_task(request, initiative, None)


@login_required
def task_edit(request, slug, task):
    initiative = initiative_for(request.user, slug, "workplan.edit")
    return _save_task(request, initiative, _task(initiative, task))


@login_required
def effort_log(request, slug, task):
    """Log hours worked on one task; the task's earlier entries are listed below."""
    initiative = initiative_for(request.user, slug, "workplan.edit")
    found = _task(initiative, task)
    today = timezone.localdate()
    form = EffortForm(request.POST if request.method == "POST" else None, today=today)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        services.effort_log(
            task=found,
            person=request.user,
            worked_on=c["worked_on"],
            hours=c["hours"],
            note=c["note"],
            today=today,
        )
        hours = c["hours"]
        messages.success(
            request,
            ngettext(
                "Logged %(hours)s hour on “%(title)s”.",
                "Logged %(hours)s hours on “%(title)s”.",
                int(hours) if hours == int(hours) else 2,
            )
            % {"hours": hours, "title": found.title},
        )
        return redirect("workplan:effort", initiative.slug)
    return _render(
        request,
        "effort_form.html",
        initiative,
        form=form,
        task=found,
        entries=found.effort.select_related("person")[:20],
    )


@login_required
def effort(request, slug):
    """Hours per backbone role per month over the last year, and the starved role."""
    initiative = initiative_for(request.user, slug, "workplan.view")
    found = selectors.effort_by_role(initiative=initiative, today=timezone.localdate())
    return _render(
        request, "effort.html", initiative, found=found, chart=charts.effort_stacks(found)
    )


@login_required
def funding(request, slug):
    """Secured against needed per year, and the pipeline by status."""
    initiative = initiative_for(request.user, slug, "funding.view")
    own = grant_funders(request.user, initiative)
    years = selectors.secured_against_needed(initiative=initiative, organisation_ids=own)
    return _render(
        request,
        "funding.html",
        initiative,
        years=years,
        chart=charts.funding_bars(years, with_share=own is None),
        pipeline=selectors.pipeline(initiative=initiative, organisation_ids=own),
        own_only=own is not None,
        may_manage=can(request.user, "funding.manage", initiative),
    )


@login_required
def grants(request, slug):
    initiative = initiative_for(request.user, slug, "grants.view")
    own = grant_funders(request.user, initiative)
    found = selectors.grants(initiative=initiative, organisation_ids=own)
    return _render(
        request,
        "grants.html",
        initiative,
        grants=found,
        own_only=own is not None,
        may_manage=can(request.user, "funding.manage", initiative),
        may_see_notes=can(request.user, "grant.private_note", initiative),
    )


def _save_grant(request, initiative, grant):
    form = GrantForm(
        request.POST if request.method == "POST" else None, initiative=initiative, grant=grant
    )
    track(form, grant)
    if request.method == "POST" and form.is_valid():
        data = form.grant_data()
        if grant is None:
            save = lambda: services.grant_create(initiative=initiative, data=data)  # noqa: E731
        else:
            save = lambda: services.grant_update(  # noqa: E731
                grant=grant, data=data, by=request.user, read_revision=read_revision(form)
            )
        if saved(form, save):
            messages.success(request, _("Saved the grant “%(title)s”.") % {"title": data.title})
            return redirect("workplan:grants", initiative.slug)
    return _render(request, "grant_form.html", initiative, form=form, grant=grant)


@login_required
def grant_create(request, slug):
    initiative = initiative_for(request.user, slug, "funding.manage")
    return _save_grant(request, initiative, None)


@login_required
def grant_edit(request, slug, grant):
    initiative = initiative_for(request.user, slug, "funding.manage")
    found = Grant.objects.of(initiative).one(uuid=grant)
    found.initiative = initiative
    return _save_grant(request, initiative, found)


@login_required
def funder_create(request, slug):
    initiative = initiative_for(request.user, slug, "funding.manage")
    form = FunderForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        funder = services.funder_create(initiative=initiative, **form.cleaned_data)
        messages.success(request, _("Added the funder “%(name)s”.") % {"name": funder.name})
        return redirect("workplan:grants", initiative.slug)
    return _render(request, "simple_form.html", initiative, form=form, heading=_("Add a funder"))


@login_required
def budget_set(request, slug):
    initiative = initiative_for(request.user, slug, "funding.manage")
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        budget = services.budget_set(initiative=initiative, **form.cleaned_data)
        messages.success(request, _("Saved the budget for %(budget)s.") % {"budget": budget})
        return redirect("workplan:funding", initiative.slug)
    return _render(
        request, "simple_form.html", initiative, form=form, heading=_("Set a year's budget")
    )
