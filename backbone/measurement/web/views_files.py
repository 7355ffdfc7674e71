"""File pages: the reporting template to download, the upload of a CSV or Excel file, and
exports of values with their history.

Thin: find the initiative, check the rules in backbone.permissions, call the files package
(reading, templates, exports), answer. A partner's people work with their own organisation's
values only; naming another partner answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, initiative_for
from backbone.web.errors import limit_reached

from ..files import exports, templates
from ..files.forms import ExportForm, UploadForm
from ..files.reading import max_upload_bytes, size_text
from ..intake.service import values_import
from ..models import Indicator, Period, Submission
from ..problems import IntakeRefused, Problem

SECTION = "measurement"
PROBLEMS_SHOWN = 200


def _partners(initiative: Initiative) -> list[Partner]:
    return list(
        Partner.objects.of(initiative).select_related("organisation").order_by("organisation__name")
    )


def _is_backbone(user, initiative: Initiative) -> bool:
    """Backbone staff import for many partners and correct any partner's values."""
    return can(user, "values.correct", initiative) or can(user, "measurement.manage", initiative)


def _reporting_partners(user, initiative: Initiative) -> tuple[list[Partner], bool]:
    """Partners this person may send values for, and whether they do so as the backbone."""
    partners = _partners(initiative)
    if _is_backbone(user, initiative):
        return partners, True
    own = [p for p in partners if can(user, "values.submit", initiative, p)]
    if not own:
        raise PermissionDenied
    return own, False


def _pick(partners: list[Partner], slug: str | None) -> Partner | None:
    """The partner named by `slug` (404 if this person may not use it), or the only one."""
    if slug:
        for p in partners:
            if p.organisation.slug == slug:
                return p
        raise Http404("No such partner.")
    return partners[0] if len(partners) == 1 else None


# --- the template ------------------------------------------------------------------------


@login_required
def template(request, slug):
    """?format=xlsx|csv&period=CODE&indicator=CODE… (&partner=<organisation>): a file with a
    row for every value the partner reports, pre-filled."""
    initiative = initiative_for(request.user, slug)
    partners, backbone = _reporting_partners(request.user, initiative)
    partner = _pick(partners, request.GET.get("partner"))
    if partner is None:
        return HttpResponseBadRequest("Name the partner: ?partner=<organisation>.")
    fmt = request.GET.get("format", "xlsx")
    if fmt not in {"xlsx", "csv"}:
        return HttpResponseBadRequest("The format is xlsx or csv.")
    period_codes = request.GET.getlist("period")
    indicator_codes = request.GET.getlist("indicator")
    all_periods = Period.objects.of(initiative).order_by("start", "kind")
    if period_codes:
        periods = list(all_periods.filter(code__in=period_codes))
        if len(periods) != len(set(period_codes)):
            raise Http404("No such period.")
        if not backbone and any(not p.is_open for p in periods):
            raise PermissionDenied("A closed period takes values only through a correction.")
    else:
        periods = [p for p in all_periods if p.is_open]
    indicators = list(Indicator.objects.of(initiative))
    if indicator_codes:
        indicators = [i for i in indicators if i.code in indicator_codes]
        if len(indicators) != len(set(indicator_codes)):
            raise Http404("No such indicator.")
    else:
        kinds = {p.kind for p in periods}
        indicators = [i for i in indicators if i.frequency in kinds]
    built = templates.values_template(
        initiative=initiative,
        partner=partner,
        periods=periods,
        indicators=indicators,
        match_frequency=not indicator_codes,
    )
    if fmt == "csv":
        return templates.template_csv(built)
    return templates.template_xlsx(built)


# --- upload ----------------------------------------------------------------------------


#: Room in a request, past the file, for the form's other fields and the multipart boundaries.
FORM_ROOM = 64 * 1024


class _SizeLimit(FileUploadHandler):
    """Stops receiving a file once it passes the size limit, so an oversized upload is
    neither kept in memory nor written to disk in full."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.too_big = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_big = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt
def upload(request, slug):
    """The size limit must be in place before anything reads the request body — the CSRF
    check included — hence csrf_exempt here and csrf_protect on the view itself. A request
    that declares itself larger than any file allowed is refused before a byte is read."""
    limit = _SizeLimit(request)
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit.limit + FORM_ROOM:
        return limit_reached(
            request,
            status=413,
            heading=gettext("This file is too large"),
            message=gettext(
                "Files up to %(size)s are read: split it into smaller files and upload each."
            )
            % {"size": size_text(limit.limit)},
            back=request.get_full_path(),
        )
    request.upload_handlers.insert(0, limit)
    return _upload(request, slug, limit)


@csrf_protect
@login_required
def _upload(request, slug, limit: _SizeLimit):
    initiative = initiative_for(request.user, slug)
    partners, backbone = _reporting_partners(request.user, initiative)
    preselected = _pick(partners, request.GET.get("partner"))
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        partners=partners,
        backbone=backbone,
        initial={"partner": preselected.organisation.slug if preselected else ""},
    )
    problems: list[Problem] = []
    total = 0
    if request.method == "POST":
        if limit.too_big:
            problems = [
                Problem(
                    gettext("the file is larger than %(size)s; split it into smaller files")
                    % {"size": size_text(limit.limit)}
                )
            ]
            total = 1
        elif form.is_valid():
            data = form.cleaned_data
            partner = data["chosen"]
            many = bool(data.get("many_partners"))
            if (
                not many
                and not backbone
                and not can(request.user, "values.submit", initiative, partner)
            ):
                raise PermissionDenied
            draft = not backbone and request.POST.get("action") == "draft"
            try:
                submission = values_import(
                    initiative=initiative,
                    by=request.user,
                    partner=None if many else partner,
                    many_partners=many,
                    uploaded_file=data["file"],
                    correction_reason=data.get("reason", "") if backbone else "",
                    status=Submission.Status.DRAFT if draft else Submission.Status.SUBMITTED,
                    narrative=data.get("narrative", ""),
                )
            except IntakeRefused as exc:
                problems, total = exc.problems, exc.total
            else:
                count = submission.value_count
                done = (
                    ngettext(
                        "%(count)s value read from %(file)s: saved as a draft.",
                        "%(count)s values read from %(file)s: saved as a draft.",
                        count,
                    )
                    if draft
                    else ngettext(
                        "%(count)s value read from %(file)s: submitted for approval.",
                        "%(count)s values read from %(file)s: submitted for approval.",
                        count,
                    )
                )
                messages.success(request, done % {"count": count, "file": submission.file_name})
                return redirect("measurement:submission", initiative.slug, submission.uuid)
    open_periods = list(
        Period.objects.of(initiative).filter(status=Period.Status.OPEN).order_by("-start", "kind")
    )
    return render(
        request,
        "measurement/files/upload.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "form": form,
            "backbone": backbone,
            "partners": partners,
            "preselected": preselected,
            "open_periods": open_periods,
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_total": total,
            "problems_cut": total > PROBLEMS_SHOWN,
            "max_size": size_text(max_upload_bytes()),
        },
    )


# --- export ----------------------------------------------------------------------------


@login_required
def export(request, slug):
    """Without ?format: the page to choose an export. With ?format=csv|xlsx: the file —
    every partner's values for those who read all values, a partner's own for its people."""
    initiative = initiative_for(request.user, slug)
    partners = _partners(initiative)
    if not can(request.user, "values.view_all", initiative):
        partners = [p for p in partners if can(request.user, "values.view_partner", initiative, p)]
        if not partners:
            raise PermissionDenied
        every = False
    else:
        every = True
    named = request.GET.get("partner")
    chosen = _pick(partners, named) if named else None
    form = ExportForm(
        request.GET if "format" in request.GET else None,
        initiative=initiative,
        partners=partners,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if chosen is not None:
            ids = [chosen.pk]
        else:
            ids = None if every else [p.pk for p in partners]
        flt = exports.ExportFilter(
            indicators=data["indicator"],
            periods=data["period"],
            statuses=data["status"],
            partner_ids=ids,
        )
        who = (
            chosen.organisation.slug
            if chosen
            else ("all" if every else partners[0].organisation.slug)
        )
        stamp = timezone.localdate().isoformat()
        stem = f"{initiative.slug}-values-{who}-{stamp}"
        if data["format"] == "csv":
            history = data["history"]
            name = f"{stem}{'-history' if history else ''}.csv"
            return exports.export_csv(
                initiative=initiative, flt=flt, history=history, filename=name
            )
        return exports.export_xlsx(initiative=initiative, flt=flt, filename=f"{stem}.xlsx")
    return render(
        request,
        "measurement/files/export.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "form": form,
            "every": every,
            "partners": partners,
        },
    )
