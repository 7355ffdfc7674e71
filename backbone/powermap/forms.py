"""Forms of the power map; they offer only this initiative's partners and people, and the
services check the same rules again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative, Organisation

from .models import Body, Seat, Stakeholder


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _partner_organisations(initiative: Initiative):
    return Organisation.objects.filter(partnerships__initiative=initiative).order_by("name")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class StakeholderForm(forms.ModelForm):
    note = forms.CharField(
        label=_("Why it moved"),
        max_length=300,
        required=False,
        help_text=_("Kept with the placement when influence, interest or stance change."),
    )

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "kind",
            "organisation",
            "sector",
            "influence",
            "interest",
            "stance",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "organisation": _("Partner organisation"),
            "name": _("Name"),
            "kind": _("Kind"),
            "sector": _("Sector"),
            "notes": _("Notes"),
        }
        help_texts = {
            "name": _("Leave empty to use the partner's name."),
            "organisation": _("When the stakeholder is one of the initiative's partners."),
        }

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        self.fields["organisation"].queryset = _partner_organisations(initiative)
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "That organisation is not a partner of this initiative."
        )
        self.fields["name"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("organisation"):
            self.add_error("name", _("Name the stakeholder, or choose the partner it is."))
        return data


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "decides"]
        labels = {"name": _("Name"), "kind": _("Kind")}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative


class SeatForm(forms.ModelForm):
    class Meta:
        model = Seat
        fields = [
            "person",
            "organisation",
            "title",
            "is_chair",
            "community_member",
            "since",
            "until",
        ]
        field_classes = {"person": PersonChoice}
        widgets = {"since": DateInput(), "until": DateInput()}
        labels = {
            "person": _("Person"),
            "organisation": _("For the organisation"),
            "title": _("Title"),
            "since": _("Since"),
            "until": _("Until"),
        }

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        self.instance.initiative = body.initiative
        initiative = body.initiative
        self.fields["person"].queryset = (
            Person.objects.filter(memberships__initiative=initiative)
            .distinct()
            .order_by("name", "id")
        )
        self.fields["person"].error_messages["invalid_choice"] = _(
            "The seat holder must be a person of this initiative."
        )
        self.fields["organisation"].queryset = _partner_organisations(initiative)
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "That organisation is not a partner of this initiative."
        )

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("organisation") and not self.errors:
            self.add_error(
                "person", _("Name who holds the seat: a person, an organisation or both.")
            )
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("A seat cannot end before it starts."))
        return data
