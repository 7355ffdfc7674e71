"""Report pages: the list, the report itself (page and PDF), and the backbone's forms.

Thin views: access through `backbone.permissions`, the document through
`selectors.build_report`, writes through `services`. Outsiders get 404; members who may not
read a report get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backbone.accounts.languages import known
from backbone.initiatives.models import Initiative
from backbone.permissions import can, initiative_for
from backbone.web.forms import add_errors, read_revision, track

from . import periods, selectors, services
from .forms import ReportForm
from .models import Report
from .pdf import render_pdf

SECTION = "reports"


def _page(request, template, initiative, **context):
    return render(
        request, f"reports/{template}", {"initiative": initiative, "section": SECTION, **context}
    )


def _report(request, initiative: Initiative, uuid) -> Report:
    """A report of this initiative the person may read (403 to members who may not)."""
    found = selectors.report_in(initiative, uuid)
    if found is None:
        raise Http404(_("No such report."))
    if not can(request.user, "report.view", initiative, found):
        raise PermissionDenied
    return found


def report_list(request, slug):
    initiative = initiative_for(request.user, slug, "reports.view")
    return _page(
        request,
        "list.html",
        initiative,
        reports=selectors.reports_for(request.user, initiative),
        may_manage=can(request.user, "reports.manage", initiative),
    )


def report_detail(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "reports.view")
    found = _report(request, initiative, uuid)
    return _page(
        request,
        "detail.html",
        initiative,
        report=found,
        doc=selectors.build_report(found, request.user),
        may_manage=can(request.user, "reports.manage", initiative),
    )


def report_pdf(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "reports.view")
    doc = selectors.build_report(_report(request, initiative, uuid), request.user)
    # The reader's saved language, else the one their pages are in (switcher, browser).
    with translation.override(known(request.user.language) or translation.get_language()):
        pdf = render_pdf(doc)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}"'
    return response


def _form(request, initiative: Initiative, found: Report | None):
    today = timezone.localdate()
    initial = {}
    quick = periods.choice(request.GET.get("period", ""), today)
    if quick is not None:
        initial = {"period_start": quick.start, "period_end": quick.end}
        if found is None:
            initial["title"] = periods.suggested_title(quick.start, quick.end)
            initial["shared_with_funders"] = True
    form = track(ReportForm(request.POST or None, instance=found, initial=initial), found)
    if request.method == "POST" and form.is_valid():
        try:
            if found is None:
                found = services.report_create(
                    initiative=initiative, by=request.user, data=form.cleaned_data
                )
            else:
                found = services.report_update(
                    report=found,
                    data=form.cleaned_data,
                    by=request.user,
                    read_revision=read_revision(form),
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved the report “%(title)s”.") % {"title": found.title})
            return redirect("reports:detail", initiative.slug, found.uuid)
    return _page(
        request,
        "form.html",
        initiative,
        form=form,
        report=found,
        quick_choices=periods.choices(today),
    )


def report_create(request, slug):
    initiative = initiative_for(request.user, slug, "reports.manage")
    return _form(request, initiative, None)


def report_edit(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "reports.manage")
    return _form(request, initiative, _report(request, initiative, uuid))


def report_delete(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "reports.manage")
    found = _report(request, initiative, uuid)
    if request.method == "POST":
        services.report_delete(report=found)
        messages.success(request, _("Deleted the report “%(title)s”.") % {"title": found.title})
        return redirect("reports:list", initiative.slug)
    return _page(request, "confirm_delete.html", initiative, report=found)
