"""Forms for policies, public will and commitments; they call the services' own rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative

from . import services
from .models import Commitment, CommitmentUpdate, Policy, PolicyEvent, PublicWillItem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OwnerChoice(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("The owner of the next step must be a person of this initiative.")
    }

    def label_from_instance(self, obj):
        return obj.name or obj.email


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = [
            "title",
            "level",
            "body",
            "position",
            "position_statement",
            "status",
            "next_step",
            "next_step_owner",
            "is_public",
        ]
        field_classes = {"next_step_owner": OwnerChoice}
        labels = {
            "title": _("Title"),
            "level": _("Level"),
            "body": _("Body"),
            "status": _("Status"),
            "next_step": _("Next step"),
        }

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        self.fields["next_step_owner"].queryset = (
            Person.objects.filter(memberships__initiative=initiative).distinct().order_by("name")
        )

    def clean_next_step_owner(self):
        owner = self.cleaned_data.get("next_step_owner")
        problem = services.owner_problem(initiative=self.instance.initiative, person=owner)
        if problem:
            raise forms.ValidationError(problem)
        return owner


class PolicyEventForm(forms.ModelForm):
    class Meta:
        model = PolicyEvent
        fields = ["happened_on", "description", "status_after"]
        widgets = {"happened_on": DateInput()}
        help_texts = {"status_after": _("Leave empty when the status does not change.")}


class PublicWillForm(forms.ModelForm):
    reach = forms.IntegerField(required=False, label=_("Reach"), help_text=_("People reached."))
    link = forms.URLField(required=False, assume_scheme="https", label=_("Link"))

    class Meta:
        model = PublicWillItem
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "audience",
            "reach",
            "reach_basis",
            "link",
            "notes",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "kind": _("Kind"),
            "title": _("Title"),
            "audience": _("Audience"),
            "reach_basis": _("Reach basis"),
            "notes": _("Notes"),
        }

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative

    def clean_reach(self):
        reach = self.cleaned_data.get("reach")
        problem = services.reach_problem(reach=reach)
        if problem:
            raise forms.ValidationError(problem)
        return reach

    def clean(self):
        data = super().clean()
        problems = services.dates_problem(
            kind=data.get("kind", ""), starts_on=data.get("starts_on"), ends_on=data.get("ends_on")
        )
        for name, message in problems.items():
            self.add_error(name, message)
        return data


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["kind", "description", "starts_on", "status"]
        widgets = {"starts_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"kind": _("Kind"), "description": _("Description"), "status": _("Status")}


class CommitmentUpdateForm(forms.ModelForm):
    status = forms.ChoiceField(
        choices=[("", _("Unchanged")), *Commitment.Status.choices],
        required=False,
        label=_("Status now"),
    )

    class Meta:
        model = CommitmentUpdate
        fields = ["on", "text", "status"]
        widgets = {"on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}
