"""DHIS2 data value sets coming in: the import page (an upload) and DHIS2's own
`POST /api/dataValueSets`, for a DHIS2 server (or a script) sending a partner's values with
the partner's API token. Both go through `dhis2`, and so through the one intake path."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, initiative_for

from .. import dhis2
from ..models import Dhis2Mapping
from ..problems import IntakeRefused
from ..tokens import TokenHolder, token_authenticate

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("DHIS2 data value set"),
        help_text=_(
            "JSON or XML (a dataValueSet with its dataValues) or CSV (DHIS2's columns "
            "in DHIS2's order; the header row is optional)."
        ),
    )
    partner = forms.ChoiceField(label=_("Values are for"), required=False)
    import_strategy = forms.ChoiceField(
        label=_("Import strategy"),
        required=False,
        initial=dhis2.CREATE_AND_UPDATE,
        choices=[
            (dhis2.CREATE_AND_UPDATE, _("New and updated values (CREATE_AND_UPDATE)")),
            (dhis2.CREATE, _("New values only; stored ones are left as they are (CREATE)")),
            (dhis2.UPDATE, _("Updated values only; new ones are ignored (UPDATE)")),
        ],
        help_text=_(
            "As DHIS2's importStrategy. A value equal to the stored one is never written again."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check and count only, write nothing"),
        required=False,
    )
    correction_reason = forms.CharField(
        max_length=500,
        required=False,
        label=_("Correction reason"),
        help_text=_("Only to correct values in a closed period: why they change."),
    )
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("The story behind the numbers"),
        max_length=20_000,
    )

    def __init__(self, *args, partners: list[Partner], backbone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.organisation.slug, p.organisation.name) for p in partners]
        if backbone:
            choices.insert(
                0, ("", gettext("The partner each value's attributeOptionCombo is mapped to"))
            )
        self.fields["partner"].choices = choices
        if not backbone:
            del self.fields["correction_reason"]
            if len(partners) == 1:
                self.fields["partner"].widget = forms.HiddenInput()
                self.fields["partner"].initial = partners[0].organisation.slug

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than 20 MB; split it by period.")
            )
        return upload


def _import_scope(user, initiative: Initiative) -> tuple[list[Partner], bool]:
    """Partners the person may import values for, and whether they import as the backbone."""
    partners = list(Partner.objects.of(initiative).select_related("organisation"))
    if can(user, "values.correct", initiative):
        return partners, True
    mine = [p for p in partners if can(user, "values.submit", initiative, p)]
    if not mine:
        raise PermissionDenied
    return mine, False


def _submission_url(initiative: Initiative, submission) -> str:
    try:
        return reverse("measurement:submission", args=[initiative.slug, submission.uuid])
    except NoReverseMatch:  # the reporting pages are not installed
        return reverse("measurement:dhis2_import", args=[initiative.slug])


@login_required
def dhis2_import(request, slug):
    """Upload a DHIS2 data value set: every value is checked, then what the import strategy
    takes is written, or nothing. A dry run, or an import that changes nothing, stays here
    with DHIS2's import summary; an import that writes lands on its submission."""
    initiative = initiative_for(request.user, slug)
    partners, backbone = _import_scope(request.user, initiative)
    form = ImportForm(
        request.POST or None, request.FILES or None, partners=partners, backbone=backbone
    )
    problems = summary = None
    total = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next((p for p in partners if p.organisation.slug == data["partner"]), None)
        if chosen is None and not backbone and len(partners) == 1:
            chosen = partners[0]
        if not backbone and chosen is None:
            form.add_error("partner", gettext("Choose the organisation these values are for."))
        else:
            upload = data["file"]
            try:
                summary = dhis2.dhis2_import(
                    initiative=initiative,
                    by=request.user,
                    content=upload.read(),
                    file_name=upload.name.replace("\x00", "")[:255],
                    partner=chosen,
                    many_partners=backbone,
                    correction_reason=data.get("correction_reason", ""),
                    narrative=data["narrative"],
                    params={
                        "dryRun": data["dry_run"],
                        "importStrategy": data["import_strategy"],
                    },
                )
            except IntakeRefused as exc:
                problems, total = exc.problems, exc.total
            else:
                if summary.submission is not None:
                    messages.success(
                        request,
                        gettext("%(file)s: %(summary)s")
                        % {"file": upload.name, "summary": summary.description},
                    )
                    return redirect(_submission_url(initiative, summary.submission))
    return render(
        request,
        "measurement/exchange/dhis2_import.html",
        {
            "initiative": initiative,
            "section": "dhis2",
            "form": form,
            "backbone": backbone,
            "problems": problems,
            "total": total,
            "more": total - len(problems or ()),
            "summary": summary,
            "ignored": summary.ignored.most_common() if summary else [],
            "elements": dhis2.mapping_rows(initiative)[Dhis2Mapping.Kind.DATA_ELEMENT],
            "endpoint": request.build_absolute_uri(
                reverse("measurement:dhis2", args=[initiative.slug])
            ).rstrip("/"),
        },
        status=400 if problems else 200,
    )


# --- DHIS2's POST /api/dataValueSets -----------------------------------------------------------

TOKEN_SCHEMES = ("apitoken", "bearer")  # DHIS2 sends its access tokens as "ApiToken <token>"
PAYLOAD_NAMES = {  # a name for the payload by its content type, which says how to read it
    "application/json": "dataValueSets.json",
    "application/xml": "dataValueSets.xml",
    "text/xml": "dataValueSets.xml",
    "application/adx+xml": "dataValueSets.adx",
    "application/csv": "dataValueSets.csv",
    "text/csv": "dataValueSets.csv",
}


def _web_error(status: int, http_status: str, message: str) -> JsonResponse:
    """An answer in DHIS2's web message shape, for what is refused before any import."""
    body = {
        "httpStatus": http_status,
        "httpStatusCode": status,
        "status": "ERROR",
        "message": message,
    }
    return JsonResponse(body, status=status)


def _token_holder(request) -> TokenHolder | None:
    scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() not in TOKEN_SCHEMES:
        return None
    token = token_authenticate(raw)
    return TokenHolder(token) if token else None


@csrf_exempt
def dhis2_data_value_sets(request, slug):
    """DHIS2's `POST /api/dataValueSets` for one partner: the body is a data value set (JSON,
    XML or CSV, as its Content-Type says), the query string may carry dryRun and
    importStrategy, and the partner's API token authenticates (`Authorization: ApiToken
    <token>`, as a DHIS2 server sends its access tokens, or `Bearer`). A DHIS2 server's
    aggregate data exchange can send here with this page's parent as its target URL. The
    answer is DHIS2's import summary: 200, or 409 when the payload was refused. Other DHIS2
    parameters are not needed: codes are read through the mappings, whatever their scheme."""
    if request.method != "POST":
        response = _web_error(405, "Method Not Allowed", "Send data value sets with POST.")
        response["Allow"] = "POST"
        return response
    holder = _token_holder(request)
    if holder is None:
        response = _web_error(
            401, "Unauthorized", "Send a partner's API token: Authorization: ApiToken <token>."
        )
        response["WWW-Authenticate"] = 'ApiToken realm="Backbone"'
        return response
    try:
        if holder.token.initiative.slug != slug:
            raise Http404
        initiative = initiative_for(holder, slug)
    except Http404:
        return _web_error(404, "Not Found", "No such initiative.")
    if not can(holder, "values.submit", initiative, holder.partner):
        return _web_error(403, "Forbidden", "This token may not report values.")
    content = request.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        return _web_error(
            413, "Payload Too Large", "The payload is over 20 MB; split it by period."
        )
    content_type = request.content_type.lower()
    try:
        summary = dhis2.dhis2_import(
            initiative=initiative,
            by=holder.person,
            content=content,
            file_name=PAYLOAD_NAMES.get(content_type, "dataValueSets"),
            partner=holder.partner,
            params={name: request.GET.get(name) for name in dhis2.IMPORT_PARAMS},
        )
    except dhis2.Dhis2Refused as exc:
        summary = exc.summary
    body, status = dhis2.web_message(summary)
    return JsonResponse(body, status=status)
