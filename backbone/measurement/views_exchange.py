"""Pages for exchanging values with other systems: a partner's API tokens, and DHIS2 code
mappings, import and export; and DHIS2's own `POST /api/dataValueSets`, for a DHIS2 server
(or a script) sending a partner's values with the partner's API token.

Thin views: check access through backbone.permissions, write through `tokens` and `dhis2`
(whose imports go through the one intake path).
"""

from __future__ import annotations

import io
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, initiative_for, require
from backbone.spreadsheets import SafeWriter
from backbone.web.confirm import Confirmation, confirm_page

from . import dhis2
from .models import ApiToken, DataValue, Dhis2Mapping, Dimension, Group, Indicator, Period
from .problems import IntakeRefused
from .tokens import TokenHolder, token_authenticate, token_create, token_revoke, tokens_of

MAX_IMPORT_BYTES = 20 * 1024 * 1024
Kind = Dhis2Mapping.Kind

# --- API tokens ------------------------------------------------------------------------------


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, so you know which one to revoke (“Case management sync”)."),
    )
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label=_("Organisation"))

    def __init__(self, *args, initiative: Initiative, partners: list[Partner], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.of(initiative).filter(
            pk__in=[p.pk for p in partners]
        )
        self.fields["partner"].label_from_instance = lambda p: p.organisation.name
        if len(partners) == 1:
            self.fields["partner"].initial = partners[0]
            self.fields["partner"].widget = forms.HiddenInput()


def _token_partners(user, initiative: Initiative) -> list[Partner]:
    return [
        p
        for p in Partner.objects.of(initiative).select_related("organisation")
        if can(user, "tokens.manage", initiative, p)
    ]


def _own_token(user, initiative: Initiative, partners: list[Partner], text: str) -> ApiToken:
    """A token of one of the steward's organisations, or 404."""
    token = ApiToken.objects.of(initiative).filter(partner__in=partners, uuid=_uuid(text)).first()
    if token is None:
        raise Http404(gettext("No such token."))
    require(user, "tokens.manage", initiative, token.partner)
    return token


@login_required
def tokens(request, slug):
    """A partner steward's API tokens: make one (shown once), revoke one."""
    initiative = initiative_for(request.user, slug, "tokens.manage")
    partners = _token_partners(request.user, initiative)
    if not partners:
        raise PermissionDenied
    form = TokenForm(initiative=initiative, partners=partners)
    raw = None
    if request.method != "POST" and "revoke" in request.GET:
        token = _own_token(request.user, initiative, partners, request.GET["revoke"])
        return confirm_page(
            request,
            Confirmation(
                question=gettext("Revoke the token “%(name)s”?") % {"name": token.name},
                explanation=gettext(
                    "Programs using it are refused from their next request. This "
                    "cannot be undone; make a new token for a program that still needs one."
                ),
                button=gettext("Revoke the token"),
                cancel_url=reverse("measurement:tokens", args=[initiative.slug]),
                fields=(("revoke", str(token.uuid)),),
            ),
            initiative=initiative,
            section="tokens",
        )
    if request.method == "POST" and "revoke" in request.POST:
        token = _own_token(request.user, initiative, partners, request.POST["revoke"])
        token_revoke(token=token, by=request.user)
        messages.success(
            request, gettext("The token “%(name)s” no longer works.") % {"name": token.name}
        )
        return redirect("measurement:tokens", initiative.slug)
    if request.method == "POST":
        form = TokenForm(request.POST, initiative=initiative, partners=partners)
        if form.is_valid():
            partner = form.cleaned_data["partner"]
            require(request.user, "tokens.manage", initiative, partner)
            _, raw = token_create(partner=partner, name=form.cleaned_data["name"], by=request.user)
            form = TokenForm(initiative=initiative, partners=partners)
    response = render(
        request,
        "measurement/exchange/tokens.html",
        {
            "initiative": initiative,
            "section": "tokens",
            "form": form,
            "raw": raw,
            "tokens": tokens_of(partners),
            "several": len(partners) > 1,
            "api_base": request.build_absolute_uri(f"/api/initiatives/{initiative.slug}/"),
        },
    )
    if raw:
        response["Cache-Control"] = "no-store"
    return response


def _uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


# --- DHIS2 mappings --------------------------------------------------------------------------


class _CodeForm(forms.Form):
    code = forms.CharField(
        max_length=dhis2.MAX_CODE_LENGTH,
        label=_("DHIS2 code"),
        help_text=_("The uid or code in DHIS2."),
    )


class ElementForm(_CodeForm):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    role = forms.ChoiceField(
        choices=[
            ("value", pgettext_lazy("what a data element carries", "Value")),
            ("numerator", pgettext_lazy("what a data element carries", "Numerator")),
            ("denominator", pgettext_lazy("what a data element carries", "Denominator")),
            (
                "n",
                pgettext_lazy(
                    "what a data element carries", "N (number of people behind an average)"
                ),
            ),
        ],
        label=_("Carries the indicator's"),
        help_text=_(
            "A rate takes two data elements (numerator and denominator); a weighted "
            "average takes its value and its n; other indicators take a value."
        ),
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, prefix="element", **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.of(initiative)


class ComboForm(_CodeForm):
    """One optional group per dimension that is not a geography."""

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, prefix="coc", **kwargs)
        groups: dict[int, list[Group]] = {}
        for g in Group.objects.of(initiative).filter(dimension__is_geography=False):
            groups.setdefault(g.dimension_id, []).append(g)
        self.dimensions = [d for d in Dimension.objects.of(initiative).filter(is_geography=False)]
        for d in self.dimensions:
            self.fields[f"dim_{d.key}"] = forms.ModelChoiceField(
                queryset=Group.objects.of(initiative).filter(
                    pk__in=[g.pk for g in groups.get(d.pk, [])]
                ),
                required=False,
                label=d.name,
                empty_label=gettext("— any (not broken down by this) —"),
            )
        self.fields["code"].help_text = gettext(
            "Leave every dimension at “any” to map the combo to the total (DHIS2's “default”)."
        )

    def chosen_groups(self) -> list[Group]:
        return [g for name, g in self.cleaned_data.items() if name.startswith("dim_") and g]


class OrgUnitForm(_CodeForm):
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("— the whole area (no place) —"),
        help_text=_("For indicators not reported by place, map the org unit to the whole area."),
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, prefix="ou", **kwargs)
        self.fields["place"].queryset = (
            Group.objects.of(initiative)
            .filter(dimension__is_geography=True)
            .select_related("dimension")
        )


class PartnerComboForm(_CodeForm):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label=_("Partner"))

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, prefix="aoc", **kwargs)
        self.fields["partner"].queryset = Partner.objects.of(initiative).select_related(
            "organisation"
        )
        self.fields["partner"].label_from_instance = lambda p: p.organisation.name
        self.fields["code"].help_text = gettext(
            "The uid or code of the attribute option combo in DHIS2 (not %(default)s, "
            "DHIS2's default, which stands for the partner sending the values)."
        ) % {"default": dhis2.DEFAULT_COMBO}


MAPPING_FORMS = {
    "element": ElementForm,
    "coc": ComboForm,
    "ou": OrgUnitForm,
    "aoc": PartnerComboForm,
}


def _mapping_forms(initiative, data=None, which=None) -> dict[str, forms.Form]:
    return {
        name: cls(data if which == name else None, initiative=initiative)
        for name, cls in MAPPING_FORMS.items()
    }


def _add_mapping(initiative: Initiative, which: str, form: forms.Form) -> None:
    data = form.cleaned_data
    if which == "element":
        dhis2.mapping_add_element(
            initiative=initiative, code=data["code"], indicator=data["indicator"], role=data["role"]
        )
    elif which == "coc":
        dhis2.mapping_add_coc(initiative=initiative, code=data["code"], groups=form.chosen_groups())
    elif which == "aoc":
        dhis2.mapping_add_aoc(initiative=initiative, code=data["code"], partner=data["partner"])
    else:
        dhis2.mapping_add_org_unit(initiative=initiative, code=data["code"], place=data["place"])


def _mapping_row(initiative: Initiative, kind: str, stored: str) -> dhis2.MappingRow:
    """One mapping of the initiative, in words, or 404."""
    for row in dhis2.mapping_rows(initiative).get(kind, []):
        if row.stored == stored:
            return row
    raise Http404(gettext("No such mapping."))


@login_required
def dhis2_mappings(request, slug):
    """What DHIS2 codes mean here: data elements, category option combos, org units,
    attribute option combos."""
    initiative = initiative_for(request.user, slug, "measurement.manage")
    if request.method != "POST" and request.GET.get("form") == "delete":
        row = _mapping_row(initiative, request.GET.get("kind", ""), request.GET.get("code", ""))
        return confirm_page(
            request,
            Confirmation(
                question=gettext("Delete the mapping of %(code)s?") % {"code": row.code},
                explanation=(
                    gettext(
                        "%(code)s stops meaning %(meaning)s (%(role)s) in imports and exports; "
                        "an import that uses it reports it as not mapped. Values already "
                        "imported stay."
                    )
                    if row.role
                    else gettext(
                        "%(code)s stops meaning %(meaning)s in imports and exports; an import "
                        "that uses it reports it as not mapped. Values already imported stay."
                    )
                )
                % {"code": row.code, "meaning": row.meaning, "role": row.role},
                button=gettext("Delete the mapping"),
                cancel_url=reverse("measurement:dhis2", args=[initiative.slug]),
                fields=(("form", "delete"), ("kind", row.kind), ("code", row.stored)),
            ),
            initiative=initiative,
            section="dhis2",
        )
    which = request.POST.get("form") if request.method == "POST" else None
    if which == "delete":
        kind = request.POST.get("kind", "")
        if kind not in Kind.values or not dhis2.mapping_delete(
            initiative=initiative, kind=kind, code=request.POST.get("code", "")
        ):
            raise Http404(gettext("No such mapping."))
        messages.success(request, gettext("Mapping deleted."))
        return redirect("measurement:dhis2", initiative.slug)
    if which is not None and which not in MAPPING_FORMS:
        raise Http404(gettext("No such form."))
    mapping_forms = _mapping_forms(initiative, request.POST, which)
    if which:
        form = mapping_forms[which]
        if form.is_valid():
            try:
                _add_mapping(initiative, which, form)
            except dhis2.MappingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    gettext("%(code)s is mapped.") % {"code": form.cleaned_data["code"].strip()},
                )
                return redirect("measurement:dhis2", initiative.slug)
    return render(
        request,
        "measurement/exchange/dhis2_mappings.html",
        {
            "initiative": initiative,
            "section": "dhis2",
            "rows": dhis2.mapping_rows(initiative),
            "forms": mapping_forms,
            "Kind": {k.name: k.value for k in Kind},
            "default_combo": dhis2.DEFAULT_COMBO,
        },
    )


# --- DHIS2 import ----------------------------------------------------------------------------


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
            "elements": dhis2.mapping_rows(initiative)[Kind.DATA_ELEMENT],
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


# --- DHIS2 export ----------------------------------------------------------------------------


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
