"""Forms for questions, the evaluation plan and the log; they call the services' own rules.

Every choice of a linked object is limited to the initiative (and, for meetings and
decisions, to those the person may see), so a foreign id is refused as not a valid choice
before the service's own check is reached.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from backbone.accounts.models import Person
from backbone.activities.models import Activity
from backbone.communication.models import Meeting
from backbone.decisions.models import Proposal
from backbone.initiatives.models import Initiative
from backbone.links import KeyedLinksForm
from backbone.measurement.models import Indicator
from backbone.permissions import can

from . import selectors, services
from .models import LearningQuestion, LogEntry, PlanItem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoice(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("The owner must be a person of this initiative.")}

    def label_from_instance(self, obj):
        return obj.name or obj.email


class Choices(forms.ModelMultipleChoiceField):
    """Several linked objects, labelled by a function of each."""

    def __init__(self, *args, label_of=str, **kwargs):
        self.label_of = label_of
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 6}))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self.label_of(obj)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = LearningQuestion
        fields = ["text", "why", "owner", "status", "answer", "answered_on"]
        field_classes = {"owner": PersonChoice}
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 4}),
            "answered_on": DateInput(),
        }
        help_texts = {"answer": _("Only once the question is answered.")}
        labels = {"owner": _("Owner"), "status": _("Status"), "answer": _("Answer")}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        self.fields["owner"].queryset = (
            Person.objects.filter(memberships__initiative=initiative).distinct().order_by("name")
        )

    def clean(self):
        data = super().clean()
        if "status" in data:
            problems = services.question_problems(
                status=data["status"],
                answer=data.get("answer", ""),
                answered_on=data.get("answered_on"),
                today=timezone.localdate(),
            )
            for name, message in problems.items():
                if name not in self.errors:
                    self.add_error(name, message)
        return data


def _question_choices(initiative: Initiative, **kwargs) -> Choices:
    return Choices(
        queryset=LearningQuestion.objects.filter(initiative=initiative).order_by("created_at"),
        **kwargs,
    )


class PlanItemForm(KeyedLinksForm, forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["title", "stage", "evaluation_type", "questions", "method", "evaluator", "timing"]
        widgets = {"method": forms.Textarea(attrs={"rows": 3})}
        labels = {"stage": _("Stage"), "method": _("Method"), "timing": _("Timing")}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        self.fields["questions"] = _question_choices(
            initiative,
            label=_("Learning questions it answers"),
            help_text=_("Choose one or more; hold Ctrl (⌘ on a Mac) to choose several."),
        )


def _activity_label(activity: Activity) -> str:
    return f"{activity.name} — {activity.partner.organisation.name}"


def _meeting_label(meeting: Meeting) -> str:
    start = meeting.local_start
    return f"{meeting.title} ({date_format(start, 'j M Y')})"


LINK_FIELDS = ("indicators", "activities", "meetings", "proposals", "questions")


class LogEntryForm(KeyedLinksForm, forms.ModelForm):
    class Meta:
        model = LogEntry
        fields = ["happened_on", "title", "tried", "data_showed", "changed"]
        widgets = {
            "happened_on": DateInput(),
            "tried": forms.Textarea(attrs={"rows": 3}),
            "data_showed": forms.Textarea(attrs={"rows": 3}),
            "changed": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("What a reader of the log should see first."),
            "changed": _("What the partners do differently now, if anything yet."),
        }

    def __init__(self, *args, initiative: Initiative, person: Any, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        self.initiative = initiative
        hint = _("Optional; hold Ctrl (⌘ on a Mac) to choose several.")
        indicators = [
            i
            for i in Indicator.objects.filter(initiative=initiative).order_by("position", "name")
            if can(person, "indicator.results", initiative, i)
        ]
        meetings = [
            m
            for m in Meeting.objects.filter(initiative=initiative)
            .select_related("group")
            .prefetch_related("group__members")
            .order_by("-starts_at")
            if selectors.meeting_visible(initiative, person, m)
        ]
        proposals = [
            p
            for p in Proposal.objects.filter(initiative=initiative)
            .select_related("group")
            .prefetch_related("group__members")
            .order_by("-opens_at")
            if selectors.proposal_visible(initiative, person, p)
        ]
        self.fields["indicators"] = Choices(
            queryset=Indicator.objects.filter(pk__in=[i.pk for i in indicators]).order_by(
                "position", "name"
            ),
            label_of=lambda i: i.name,
            help_text=hint,
        )
        self.fields["activities"] = Choices(
            queryset=Activity.objects.filter(initiative=initiative)
            .select_related("partner__organisation")
            .order_by("name", "id"),
            label_of=_activity_label,
            help_text=hint,
        )
        self.fields["meetings"] = Choices(
            queryset=Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by("-starts_at"),
            label_of=_meeting_label,
            help_text=hint,
        )
        self.fields["proposals"] = Choices(
            queryset=Proposal.objects.filter(pk__in=[p.pk for p in proposals]).order_by(
                "-opens_at"
            ),
            label=_("Decisions"),
            label_of=lambda p: p.title,
            help_text=_(
                "Proposals put to a working group or the partners. Optional; hold Ctrl "
                "(⌘ on a Mac) to choose several."
            ),
        )
        self.fields["questions"] = _question_choices(
            initiative, label=_("Learning questions"), help_text=hint
        )
        # What the entry is linked to but this person may not see stays linked, untouched.
        self.kept: dict[str, list] = {name: [] for name in LINK_FIELDS}
        if self.instance.pk:
            for name in LINK_FIELDS:
                linked = list(getattr(self.instance, name).all())
                offered = set(self.fields[name].queryset.values_list("pk", flat=True))
                self.initial[name] = [o.pk for o in linked if o.pk in offered]
                self.kept[name] = [o for o in linked if o.pk not in offered]

    def clean_happened_on(self):
        day = self.cleaned_data.get("happened_on")
        problem = services.entry_date_problem(happened_on=day, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return day

    def links(self) -> dict[str, list]:
        return {name: [*self.cleaned_data.get(name, []), *self.kept[name]] for name in LINK_FIELDS}


class LogFilterForm(forms.Form):
    """Narrow the log to one indicator, activity or learning question (by their uuid)."""

    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        to_field_name="uuid",
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"), queryset=Activity.objects.none(), required=False, to_field_name="uuid"
    )
    question = forms.ModelChoiceField(
        queryset=LearningQuestion.objects.none(),
        required=False,
        to_field_name="uuid",
        label=_("Learning question"),
    )

    def __init__(self, *args, initiative: Initiative, person: Any, **kwargs):
        super().__init__(*args, **kwargs)
        shown = [
            i.pk
            for i in Indicator.objects.filter(initiative=initiative)
            if can(person, "indicator.results", initiative, i)
        ]
        self.fields["indicator"].queryset = Indicator.objects.filter(pk__in=shown).order_by(
            "position", "name"
        )
        self.fields["indicator"].label_from_instance = lambda i: i.name
        self.fields["activity"].queryset = (
            Activity.objects.filter(initiative=initiative)
            .select_related("partner__organisation")
            .order_by("name", "id")
        )
        self.fields["activity"].label_from_instance = _activity_label
        self.fields["question"].queryset = LearningQuestion.objects.filter(
            initiative=initiative
        ).order_by("created_at")
        for field in self.fields.values():
            field.empty_label = _("Any")
