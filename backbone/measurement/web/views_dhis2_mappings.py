"""The DHIS2 mappings page: what DHIS2's codes (data elements, category option combos, org
units, attribute option combos) mean here, its forms, and adding and deleting one through
`dhis2`. Apart from the import and export, which read these mappings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import initiative_for
from backbone.web.confirm import Confirmation, confirm_page

from .. import dhis2
from ..models import Dhis2Mapping, Dimension, Group, Indicator

Kind = Dhis2Mapping.Kind


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
