"""Forms for working groups, meetings, decisions and action items.

People are chosen from the initiative's own people; anyone else is refused with an error on
the field. Meeting times are typed as wall-clock times in the meeting's time zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.agenda.models import Strategy
from backbone.initiatives.models import Initiative
from backbone.links import KeyedLinksForm

from . import selectors
from .models import ActionItem, Decision, Meeting, WorkingGroup, validate_time_zone

NOT_OF_INITIATIVE = _("Choose a person of this initiative.")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name or obj.email


class WorkingGroupForm(KeyedLinksForm, forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "purpose", "strategy", "lead", "members", "is_private"]
        labels = {
            "name": _("Name"),
            "purpose": _("Purpose"),
            "strategy": _("Strategy"),
            "is_private": _("Private: only its members and the backbone see it"),
            "lead": _("Lead"),
            "members": _("Members"),
        }
        help_texts = {"is_private": ""}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        people = selectors.group_candidates(initiative)
        self.fields["strategy"].queryset = Strategy.objects.filter(initiative=initiative)
        self.fields["lead"] = PersonChoiceField(
            queryset=people,
            label=_("Lead"),
            error_messages={"invalid_choice": NOT_OF_INITIATIVE},
        )
        self.fields["members"] = PeopleChoiceField(
            queryset=people,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Members"),
            error_messages={"invalid_choice": NOT_OF_INITIATIVE},
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = WorkingGroup.objects.filter(initiative=self.initiative, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("The initiative already has a working group by that name.")
            )
        return name


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(KeyedLinksForm, forms.ModelForm):
    """Start and end are wall-clock times where the meeting is held (`time_zone`)."""

    start = forms.DateTimeField(label=_("Starts"), widget=LocalDateTimeInput())
    end = forms.DateTimeField(label=_("Ends"), widget=LocalDateTimeInput())
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("An IANA name, such as America/Chicago or Europe/London."),
    )

    class Meta:
        model = Meeting
        fields = ["title", "place", "agenda", "minutes", "is_private", "attendees"]
        labels = {
            "title": _("Title"),
            "place": _("Place or link"),
            "agenda": pgettext_lazy("of a meeting", "Agenda"),
            "minutes": _("Minutes"),
            "is_private": _("Private: only the group's members and the backbone see it"),
            "attendees": _("Attendees"),
        }
        help_texts = {"is_private": ""}
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"] = PeopleChoiceField(
            queryset=selectors.people_of(initiative),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Attendance: who came"),
            error_messages={"invalid_choice": NOT_OF_INITIATIVE},
        )
        self.order_fields(["title", "start", "end", "time_zone", "place"])
        if self.instance.pk:
            self.initial.update(
                start=self.instance.local_start.replace(tzinfo=None),
                end=self.instance.local_end.replace(tzinfo=None),
                time_zone=self.instance.time_zone,
            )

    @staticmethod
    def _aware(value: datetime, zone: ZoneInfo) -> datetime:
        return value.replace(tzinfo=None).replace(tzinfo=zone)

    def clean(self):
        data = super().clean()
        zone_name, start, end = data.get("time_zone"), data.get("start"), data.get("end")
        if zone_name and start and end:
            zone = ZoneInfo(zone_name)
            data["starts_at"], data["ends_at"] = self._aware(start, zone), self._aware(end, zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("The meeting must end after it starts."))
        return data

    def save(self, commit=True):
        self.instance.starts_at = self.cleaned_data["starts_at"]
        self.instance.ends_at = self.cleaned_data["ends_at"]
        self.instance.time_zone = self.cleaned_data["time_zone"]
        return super().save(commit=commit)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "decided_on", "decided_by"]
        labels = {
            "text": _("Decision"),
            "decided_on": _("Decided on"),
            "decided_by": _("Who decided"),
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "decided_on": forms.DateInput(attrs={"type": "date"}),
        }


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["text", "owner", "due_on"]
        labels = {"text": _("Action"), "due_on": _("Due"), "owner": _("Owner")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = PersonChoiceField(
            queryset=selectors.people_of(initiative),
            label=_("Owner"),
            error_messages={"invalid_choice": NOT_OF_INITIATIVE},
        )
