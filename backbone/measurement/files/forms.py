"""Forms of the file pages: upload a file of values; choose what to export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_lazy

from backbone.initiatives.models import Partner

from ..models import DataValue, Indicator, Period
from .reading import max_upload_bytes, size_text


class UploadForm(forms.Form):
    """A file over the size limit is cut off as it arrives, and the fields after it with it;
    the page then says only that the file is too large."""

    file = forms.FileField(label=gettext_lazy("File"))
    partner = forms.ChoiceField(label=gettext_lazy("Partner"), required=False)
    many_partners = forms.BooleanField(
        label=gettext_lazy("Rows name their partner"),
        required=False,
        help_text=gettext_lazy(
            "For imports of many partners' values: the file has a partner column "
            "naming each row's organisation."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Needed for values of a closed period. Kept with every value it changes."
        ),
    )
    narrative = forms.CharField(
        label=gettext_lazy("The story behind the numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional: what is behind these values."),
    )

    def __init__(self, *args, partners: list[Partner], backbone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {p.organisation.slug: p for p in partners}
        self.fields["file"].help_text = gettext("CSV (.csv) or Excel (.xlsx), up to %(size)s.") % {
            "size": size_text(max_upload_bytes())
        }
        if len(partners) > 1 or backbone:
            self.fields["partner"].choices = [("", "—")] + [
                (p.organisation.slug, p.organisation.name) for p in partners
            ]
        else:
            del self.fields["partner"]
        if not backbone:
            del self.fields["many_partners"]
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        if data.get("many_partners"):
            data["chosen"] = None
            return data
        if "partner" not in self.fields:
            data["chosen"] = next(iter(self.partners.values()), None)
        else:
            slug = data.get("partner")
            if not slug:
                self.add_error(
                    "partner",
                    gettext(
                        "Choose the partner whose values these are, or tick “rows name their "
                        "partner”."
                    )
                    if "many_partners" in self.fields
                    else gettext("Choose the partner whose values these are."),
                )
            data["chosen"] = self.partners.get(slug)
        return data


FORMATS = [("csv", "CSV"), ("xlsx", gettext_lazy("Excel (.xlsx)"))]


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMATS, initial="xlsx")
    indicator = forms.MultipleChoiceField(
        label=gettext_lazy("Indicators"),
        required=False,
        help_text=gettext_lazy("None chosen: every indicator."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    period = forms.MultipleChoiceField(
        label=gettext_lazy("Periods"),
        required=False,
        help_text=gettext_lazy("None chosen: every period."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    status = forms.MultipleChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=DataValue.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every status."),
    )
    partner = forms.ChoiceField(label=gettext_lazy("Partner"), required=False)
    history = forms.BooleanField(
        label=gettext_lazy("The history of each value (CSV: instead of the values)"),
        required=False,
        help_text=gettext_lazy(
            "Who changed what, when, from what to what, and why. An Excel export "
            "always has it, on the sheet “history”."
        ),
    )

    def __init__(self, *args, initiative, partners: list[Partner], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            (i.code, i.name) for i in Indicator.objects.filter(initiative=initiative)
        ]
        self.fields["period"].choices = [
            (p.code, p.label)
            for p in Period.objects.filter(initiative=initiative).order_by("-start", "kind")
        ]
        if len(partners) > 1:
            self.fields["partner"].choices = [("", gettext_lazy("Every partner"))] + [
                (p.organisation.slug, p.organisation.name) for p in partners
            ]
        else:
            del self.fields["partner"]
