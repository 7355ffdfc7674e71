"""Reporting pages: a partner's reports, the web form, submissions and their approval.

Thin views: check access through `backbone.permissions`, read through `reporting`, write
through `intake.service.values_import` or `approval`. A partner's values are invisible to
the other partners: asking for them answers 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, initiative_for, require
from backbone.web.forms import add_errors, read_revision, track

from .. import approval, reporting
from ..intake.service import values_import
from ..models import Indicator, Period, Submission
from ..problems import IntakeRefused
from .forms_reporting import ReportForm, ReturnForm, SubmissionFilterForm

S = Submission.Status
PAGE_SIZE = 50
VALUES_PAGE_SIZE = 200

# What a person may do with one partner's report for one period.
REPORT = "report"  # the partner's own people, while the period is open
CORRECT = "correct"  # the backbone, with a logged reason
READ = "read"  # everyone else who may read the partner's values


def _reporting_initiative(request, slug) -> Initiative:
    """The initiative, for someone who may read partners' own values (403 otherwise)."""
    initiative = initiative_for(request.user, slug)
    require(request.user, "values.view_partner", initiative)
    return initiative


def _chosen_partner(request, partners: list[Partner]) -> Partner | None:
    """The partner picked with ?partner=<organisation slug>, or the only one there is."""
    slug = request.GET.get("partner")
    if slug:
        for p in partners:
            if p.organisation.slug == slug:
                return p
        raise Http404("No such partner.")
    return partners[0] if len(partners) == 1 else None


def _mode(user, initiative: Initiative, partner: Partner, period: Period) -> str:
    if period.is_open and can(user, "values.submit", initiative, partner):
        return REPORT
    if can(user, "values.correct", initiative):
        return CORRECT
    return READ


@login_required
def report(request, slug):
    initiative = _reporting_initiative(request, slug)
    partners = reporting.partners_visible(initiative=initiative, person=request.user)
    partner = _chosen_partner(request, partners)
    context = {"initiative": initiative, "section": "reporting", "partners": partners}
    if partner is None:
        return render(request, "measurement/reporting/pick_partner.html", context)
    return render(
        request,
        "measurement/reporting/overview.html",
        {
            **context,
            "partner": partner,
            "several": len(partners) > 1,
            "periods": reporting.partner_reports(initiative=initiative, partner=partner),
            "may_submit": can(request.user, "values.submit", initiative, partner),
            "may_correct": can(request.user, "values.correct", initiative),
        },
    )


@login_required
def report_form(request, slug, indicator_code, period_code):
    initiative = _reporting_initiative(request, slug)
    partners = reporting.partners_visible(initiative=initiative, person=request.user)
    partner = _chosen_partner(request, partners)
    if partner is None:
        return redirect("measurement:report", initiative.slug)
    indicator = Indicator.objects.of(initiative).one(code=indicator_code)
    period = Period.objects.of(initiative).one(code=period_code)
    mode = _mode(request.user, initiative, partner, period)
    if request.method == "POST" and mode == READ:
        raise PermissionDenied
    layout = reporting.form_layout(indicator)
    state = reporting.form_state(layout=layout, partner=partner, period=period)
    form = ReportForm(
        request.POST or None,
        layout=layout,
        period_code=period.code,
        correction=mode == CORRECT,
        initial={**state.initial, "narrative": state.narrative},
    )
    track(form, state)  # read at the version of the partner's values shown
    if request.method == "POST" and form.is_valid():
        draft = mode == REPORT and request.POST.get("action") == "draft"
        try:
            submission = values_import(
                form.reported_rows(),
                initiative=initiative,
                by=request.user,
                channel=Submission.Channel.WEB,
                partner=partner,
                correction_reason=form.cleaned_data.get("reason", ""),
                status=S.DRAFT if draft else S.SUBMITTED,
                narrative=form.cleaned_data["narrative"],
                read_revision=read_revision(form),
            )
        except IntakeRefused as exc:
            form.add_problems(exc.problems)
        except ValidationError as exc:  # written meanwhile: what was, beside what was typed
            add_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("Saved as a draft. Submit it when it is ready.")
                if draft
                else gettext("Submitted for approval."),
            )
            return redirect("measurement:submission", initiative.slug, submission.uuid)
    return render(
        request,
        "measurement/reporting/form.html",
        {
            "initiative": initiative,
            "section": "reporting",
            "partner": partner,
            "several": len(partners) > 1,
            "indicator": indicator,
            "period": period,
            "mode": mode,
            "editable": mode != READ,
            "layout": layout,
            "state": state,
            "form": form,
            "problems": form.summary() if form.is_bound else [],
        },
    )


@login_required
def submissions(request, slug):
    initiative = _reporting_initiative(request, slug)
    partners = reporting.partners_visible(initiative=initiative, person=request.user)
    visible = reporting.submissions_visible(
        initiative=initiative, person=request.user, partners=partners
    )
    form = SubmissionFilterForm(request.GET or None, partners=partners)
    may_approve = can(request.user, "values.approve", initiative)
    listed = reporting.submission_list(visible, **form.filters(), queue_first=may_approve)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "measurement/reporting/submissions.html",
        {
            "initiative": initiative,
            "section": "submissions",
            "form": form,
            "page": page,
            "several": len(partners) > 1,
            "may_approve": may_approve,
            "waiting": visible.filter(status=S.SUBMITTED).count() if may_approve else 0,
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _submission(request, slug, uuid) -> tuple[Initiative, Submission]:
    """A submission of this initiative that the person may read; 404 for anything else."""
    initiative = _reporting_initiative(request, slug)
    submission = (
        Submission.objects.of(initiative)
        .select_related("partner__organisation", "created_by", "reviewed_by", "initiative")
        .one(uuid=uuid)
    )
    if not can(request.user, "values.view_partner", initiative, submission.partner):
        raise Http404("No such submission.")
    return initiative, submission


@login_required
def submission(request, slug, uuid):
    initiative, sub = _submission(request, slug, uuid)
    values = reporting.submission_values(sub)
    page = Paginator(values, VALUES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "measurement/reporting/submission.html",
        {
            "initiative": initiative,
            "section": "submissions",
            "submission": sub,
            "rows": reporting.value_rows(page.object_list),
            "page": page,
            "replaced": max(sub.value_count - page.paginator.count, 0),
            "may_submit": sub.status in {S.DRAFT, S.RETURNED}
            and can(request.user, "values.submit", initiative, sub.partner),
            "may_review": sub.status == S.SUBMITTED
            and can(request.user, "values.approve", initiative, sub.partner),
            "return_form": ReturnForm(),
        },
    )


def _step(request, slug, uuid, step: Callable[..., Submission], done: str, **kwargs):
    initiative, sub = _submission(request, slug, uuid)
    try:
        step(submission=sub, by=request.user, **kwargs)
    except approval.ApprovalError as exc:
        messages.error(request, gettext("Nothing was changed: %(reason)s") % {"reason": exc})
    else:
        messages.success(request, done)
    return redirect("measurement:submission", initiative.slug, sub.uuid)


@require_POST
@login_required
def submission_submit(request, slug, uuid):
    return _step(
        request, slug, uuid, approval.submission_submit, gettext("Submitted for approval.")
    )


@require_POST
@login_required
def submission_approve(request, slug, uuid):
    return _step(request, slug, uuid, approval.submission_approve, gettext("Approved."))


@require_POST
@login_required
def submission_return(request, slug, uuid):
    return _step(
        request,
        slug,
        uuid,
        approval.submission_return,
        gettext("Returned to the partner with your comment."),
        comment=request.POST.get("comment", ""),
    )
