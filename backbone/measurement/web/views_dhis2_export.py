"""DHIS2 data value sets going out: the export page, and the JSON or CSV file it answers
with, the values chosen by who may read them."""

from __future__ import annotations

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, initiative_for
from backbone.spreadsheets import SafeWriter

from .. import dhis2
from ..models import DataValue, Indicator, Period


class ExportForm(forms.Form):
    indicator = forms.ChoiceField(required=False, label=_("Indicator"))
    period = forms.ChoiceField(required=False, label=_("Period"))
    partner = forms.ChoiceField(required=False, label=_("Partner"))
    status = forms.ChoiceField(
        required=False,
        label=_("Values"),
        choices=[("approved", _("Approved values only")), ("all", _("Every reported value"))],
    )

    def __init__(self, *args, initiative: Initiative, partners: list[Partner], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", gettext("Every indicator"))] + list(
            Indicator.objects.of(initiative).values_list("code", "name")
        )
        self.fields["period"].choices = [("", gettext("Every period"))] + [
            (p.code, p.label) for p in Period.objects.of(initiative).order_by("start")
        ]
        self.fields["partner"].choices = [("", gettext("Every partner"))] + [
            (p.organisation.slug, p.organisation.name) for p in partners
        ]
        if len(partners) < 2:
            self.fields["partner"].widget = forms.HiddenInput()


def _export_scope(user, initiative: Initiative) -> list[Partner] | None:
    """Partners whose values the person may export; None for every partner."""
    if can(user, "values.export_all", initiative):
        return None
    if not can(user, "values.view_partner", initiative):
        raise PermissionDenied
    mine = [
        p
        for p in Partner.objects.of(initiative).select_related("organisation")
        if can(user, "values.view_partner", initiative, p)
    ]
    if not mine:
        raise PermissionDenied
    return mine


def _export_values(initiative: Initiative, scope: list[Partner] | None, data: dict):
    """Approved values by default; "all" adds submitted and returned ones (and, for a
    partner's own values, its drafts)."""
    values = DataValue.objects.of(initiative)
    if scope is not None:
        values = values.filter(partner__in=scope)
    if data.get("status") != "all":
        values = values.filter(status=DataValue.Status.APPROVED)
    elif scope is None:
        values = values.exclude(status=DataValue.Status.DRAFT)
    for name, lookup in (
        ("indicator", "indicator__code"),
        ("period", "period__code"),
        ("partner", "partner__organisation__slug"),
    ):
        if data.get(name):
            values = values.filter(**{lookup: data[name]})
    return values.order_by("indicator__position", "period__start", "partner_id", "cell_id")


@login_required
def dhis2_export(request, slug):
    """Values as a DHIS2 data value set (?format=json|csv), or, without a format, the page
    that says what an export holds and what it leaves out."""
    initiative = initiative_for(request.user, slug)
    scope = _export_scope(request.user, initiative)
    partners = (
        scope
        if scope is not None
        else list(Partner.objects.of(initiative).select_related("organisation"))
    )
    form = ExportForm(request.GET or None, initiative=initiative, partners=partners)
    data = form.cleaned_data if form.is_valid() else {}
    fmt = request.GET.get("format")
    if fmt is not None and fmt not in ("json", "csv"):
        raise Http404(gettext("No such format."))
    result = None
    if fmt or "preview" in request.GET:
        if form.errors:
            raise Http404(gettext("No such indicator, period or partner."))
        result = dhis2.dhis2_export(
            initiative=initiative, values=_export_values(initiative, scope, data)
        )
    if fmt:
        name = "-".join(
            slugify(part)
            for part in (initiative.slug, data.get("indicator"), data.get("period"))
            if part
        )
        response = _file_response(result, fmt, f"{name}-dhis2.{fmt}")
        response["X-Backbone-Exported"] = str(result.exported)
        response["X-Backbone-Skipped"] = str(result.skipped_count)
        return response
    return render(
        request,
        "measurement/exchange/dhis2_export.html",
        {
            "initiative": initiative,
            "section": "dhis2",
            "form": form,
            "result": result,
            "skipped": result.skipped.most_common() if result else [],
            "may_map": can(request.user, "measurement.manage", initiative),
        },
    )


def _file_response(result: dhis2.Dhis2Export, fmt: str, filename: str) -> HttpResponse:
    """DHIS2 reads plain UTF-8 (no byte-order mark); text cells are formula-neutralised."""
    if fmt == "json":
        response = HttpResponse(dhis2.export_json(result), content_type="application/json")
    else:
        buffer = io.StringIO()
        writer = SafeWriter(buffer)
        writer.writerow(dhis2.CSV_COLUMNS)
        writer.writerows(dhis2.export_csv_rows(result))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
