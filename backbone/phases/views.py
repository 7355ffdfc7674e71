"""The phase tracker's pages: the grid, one cell with its history, and the cell's form.

Members read; backbone staff record. Outsiders of a private initiative get 404, members
denied a change 403, and a phase or component the framework does not have 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backbone.permissions import can, initiative_for
from backbone.web.forms import add_errors, read_revision, track

from . import selectors, services
from .forms import CellForm
from .models import PhaseCell

SECTION = "phases"


def _page(request, template, initiative, **context):
    return render(
        request, f"phases/{template}", {"initiative": initiative, "section": SECTION, **context}
    )


def _cell(initiative, phase: str, component: str) -> selectors.GridCell:
    found = selectors.grid_cell(initiative=initiative, phase_key=phase, component_key=component)
    if found is None:
        raise Http404(_("The framework has no such phase or component."))
    return found


def grid(request, slug):
    initiative = initiative_for(request.user, slug, "phases.view")
    return _page(
        request,
        "grid.html",
        initiative,
        grid=selectors.phase_grid(initiative=initiative),
        may_edit=can(request.user, "phases.edit", initiative),
    )


def cell(request, slug, phase, component):
    initiative = initiative_for(request.user, slug, "phases.view")
    found = _cell(initiative, phase, component)
    return _page(
        request,
        "cell.html",
        initiative,
        here=found,
        history=selectors.cell_history(cell=found.cell),
        may_edit=can(request.user, "phases.edit", initiative),
    )


def cell_edit(request, slug, phase, component):
    initiative = initiative_for(request.user, slug, "phases.edit")
    found = _cell(initiative, phase, component)
    current = found.cell
    initial = (
        {
            "status": current.status,
            "started_on": current.started_on,
            "completed_on": current.completed_on,
            "evidence": current.evidence,
        }
        if current
        else {"status": found.status}
    )
    form = track(CellForm(request.POST or None, initial=initial), current or PhaseCell())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cell_record(
                initiative=initiative,
                phase=phase,
                component=component,
                status=data["status"],
                evidence=data["evidence"],
                started_on=data["started_on"],
                completed_on=data["completed_on"],
                note=data["note"],
                by=request.user,
                read_revision=read_revision(form),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Saved %(component)s in %(phase)s.")
                % {"component": found.component["name"], "phase": found.phase["name"]},
            )
            return redirect("phases:grid", initiative.slug)
    return _page(request, "cell_form.html", initiative, here=found, form=form)
