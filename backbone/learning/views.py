"""Learning questions, the evaluation plan and the learning log.

Thin views: access through `backbone.permissions`, reads through `selectors`, writes through
`services`. Outsiders get 404; members denied a change get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backbone.permissions import can, initiative_for, require
from backbone.web.forms import read_revision, saved, track

from . import selectors, services
from .forms import LogEntryForm, LogFilterForm, PlanItemForm, QuestionForm
from .models import PlanItem

SECTION = "learning"


def _page(request, template, initiative, **context):
    return render(
        request, f"learning/{template}", {"initiative": initiative, "section": SECTION, **context}
    )


# --- learning questions ----------------------------------------------------------------


def questions(request, slug):
    initiative = initiative_for(request.user, slug, "learning.view")
    return _page(
        request,
        "questions.html",
        initiative,
        questions=selectors.questions(initiative=initiative),
        summary=selectors.questions_summary(initiative),
        may_manage=can(request.user, "learning.manage", initiative),
    )


def _question(initiative, uuid):
    found = selectors.question_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404(_("No such learning question."))
    return found


def question(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "learning.view")
    found = _question(initiative, uuid)
    entries = selectors.log_entries(initiative=initiative, question=found)
    selectors.links_seen_by(entries, initiative=initiative, person=request.user)
    return _page(
        request,
        "question.html",
        initiative,
        question=found,
        plan_items=selectors.plan_items_for(question=found),
        entries=entries,
        may_manage=can(request.user, "learning.manage", initiative),
    )


def _question_form(request, initiative, found):
    form = track(QuestionForm(request.POST or None, instance=found, initiative=initiative), found)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.question_save(  # noqa: E731
            question=form.instance, by=request.user, read_revision=read_revision(form)
        )
        if saved(form, save):
            messages.success(request, _("Saved the learning question."))
            return redirect("learning:question", initiative.slug, form.instance.uuid)
    return _page(request, "form.html", initiative, form=form, what="question", obj=found)


def question_create(request, slug):
    initiative = initiative_for(request.user, slug, "learning.manage")
    return _question_form(request, initiative, None)


def question_edit(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "learning.manage")
    return _question_form(request, initiative, _question(initiative, uuid))


# --- the evaluation plan ---------------------------------------------------------------


def plan(request, slug):
    initiative = initiative_for(request.user, slug, "learning.view")
    return _page(
        request,
        "plan.html",
        initiative,
        table=selectors.plan_table(initiative=initiative),
        may_manage=can(request.user, "learning.manage", initiative),
    )


def _plan_form(request, initiative, found):
    form = track(PlanItemForm(request.POST or None, instance=found, initiative=initiative), found)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.plan_item_save(  # noqa: E731
            item=form.instance,
            questions=form.cleaned_data["questions"],
            by=request.user,
            read_revision=read_revision(form),
        )
        if saved(form, save):
            messages.success(
                request,
                _("Saved “%(title)s” in the evaluation plan.") % {"title": form.instance.title},
            )
            return redirect("learning:plan", initiative.slug)
    return _page(request, "form.html", initiative, form=form, what="plan", obj=found)


def plan_item_create(request, slug):
    initiative = initiative_for(request.user, slug, "learning.manage")
    return _plan_form(request, initiative, None)


def plan_item_edit(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "learning.manage")
    return _plan_form(request, initiative, PlanItem.objects.of(initiative).one(uuid=uuid))


# --- the learning log ------------------------------------------------------------------


def log(request, slug):
    initiative = initiative_for(request.user, slug, "learning.view")
    filters = LogFilterForm(request.GET or None, initiative=initiative, person=request.user)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.log_entries(
        initiative=initiative,
        indicator=chosen.get("indicator"),
        activity=chosen.get("activity"),
        question=chosen.get("question"),
    )
    selectors.links_seen_by(entries, initiative=initiative, person=request.user)
    return _page(
        request,
        "log.html",
        initiative,
        entries=entries,
        filters=filters,
        filtered=any(chosen.values()),
        may_add=can(request.user, "learning.log_add", initiative),
    )


def _entry(initiative, uuid):
    found = selectors.log_entry_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404(_("No such log entry."))
    return found


def log_entry(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "learning.view")
    found = _entry(initiative, uuid)
    selectors.links_seen_by([found], initiative=initiative, person=request.user)
    return _page(
        request,
        "entry.html",
        initiative,
        entry=found,
        may_edit=can(
            request.user, "learning.log_edit", initiative, selectors.authorship(found, request.user)
        ),
    )


def _entry_form(request, initiative, found):
    form = LogEntryForm(
        request.POST or None, instance=found, initiative=initiative, person=request.user
    )
    track(form, found)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.log_entry_save(  # noqa: E731
            entry=form.instance, by=request.user, read_revision=read_revision(form), **form.links()
        )
        if saved(form, save):
            messages.success(
                request,
                _("Saved “%(title)s” in the learning log.") % {"title": form.instance.title},
            )
            return redirect("learning:entry", initiative.slug, form.instance.uuid)
    return _page(request, "form.html", initiative, form=form, what="entry", obj=found)


def log_entry_create(request, slug):
    initiative = initiative_for(request.user, slug, "learning.log_add")
    return _entry_form(request, initiative, None)


def log_entry_edit(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "learning.view")
    found = _entry(initiative, uuid)
    require(
        request.user, "learning.log_edit", initiative, selectors.authorship(found, request.user)
    )
    return _entry_form(request, initiative, found)
