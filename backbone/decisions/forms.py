"""Forms for proposing, voting, closing, reviewing and the rules; they call the services' own
checks, and the services check again, so no path saves bad data."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from backbone.accounts.models import Person
from backbone.agenda.models import Strategy
from backbone.communication.models import Meeting
from backbone.communication.selectors import meeting_seat
from backbone.initiatives.models import Initiative, Organisation
from backbone.measurement.models import Indicator
from backbone.permissions import can

from . import services
from .models import CHOICES_OF, GRADIENT, Choice, Method, Proposal, Unit, Vote

ALL_PARTNERS = "all"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name or obj.email


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        group = obj.group.name if obj.group_id else _("All partners")
        return pgettext("a meeting to choose", "%(title)s (%(group)s, %(date)s)") % {
            "title": obj.title,
            "group": group,
            "date": date_format(obj.local_start, "d M Y"),
        }


#: What a proposal may link to, and the refusal of one from another initiative.
NOT_OF_INITIATIVE = {
    "meeting": gettext_lazy("Choose a meeting of this initiative."),
    "strategy": gettext_lazy("Choose a strategy of this initiative."),
    # "a indicator" (sic): tests/decisions/test_pages.py reads the English as it is
    "indicator": gettext_lazy("Choose a indicator of this initiative."),
}


def _link(queryset, what: str, field=forms.ModelChoiceField, **kwargs):
    return field(
        queryset=queryset,
        required=False,
        to_field_name="uuid",
        error_messages={"invalid_choice": NOT_OF_INITIATIVE[what]},
        **kwargs,
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("Proposal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What is proposed."),
    )
    body = forms.ChoiceField(label=gettext_lazy("Put to"))
    method = forms.ChoiceField(label=gettext_lazy("Decision method"), choices=Method.choices)
    unit = forms.ChoiceField(
        label=gettext_lazy("Voting unit"),
        required=False,
        choices=[("", gettext_lazy("The body's default")), *Unit.choices],
        help_text=gettext_lazy(
            "Per organisation: a steward or member votes for the organisation; "
            "a second one changes its vote, never adds one."
        ),
    )
    options = forms.CharField(
        label=gettext_lazy("Poll options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For a poll only: one option per line."),
    )
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Opens"),
        required=False,
        widget=LocalDateTimeInput(),
        help_text=gettext_lazy("Empty: now."),
    )
    closes_at = forms.DateTimeField(label=gettext_lazy("Closing date"), widget=LocalDateTimeInput())

    def __init__(self, *args, initiative: Initiative, person, groups, may_all: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.groups = {str(g.uuid): g for g in groups}
        choices = [(ALL_PARTNERS, _("All partners"))] if may_all else []
        self.fields["body"].choices = choices + [(k, g.name) for k, g in self.groups.items()]
        restricted = []
        for group in [None, *groups] if may_all else groups:
            allowed = services.allowed_methods(initiative=initiative, group=group)
            if len(allowed) < len(Method.values):
                name = group.name if group else _("All partners")
                restricted.append(
                    pgettext("a body and the methods it allows", "%(body)s: %(methods)s")
                    % {"body": name, "methods": services.method_names(allowed)}
                )
        if restricted:
            self.fields["method"].help_text = _(
                "Some groups allow only some methods. %(restrictions)s"
            ) % {"restrictions": "; ".join(restricted)}
        meetings = (
            Meeting.objects.filter(initiative=initiative)
            .select_related("group__lead")
            .prefetch_related("group__members")
            .order_by("-starts_at")
        )
        visible = [
            m.pk for m in meetings if can(person, "group.view", initiative, meeting_seat(m, person))
        ]
        self.fields["meeting"] = _link(
            Meeting.objects.filter(pk__in=visible).select_related("group").order_by("-starts_at"),
            "meeting",
            MeetingChoiceField,
            label=_("Meeting it concerns"),
        )
        self.fields["strategy"] = _link(
            Strategy.objects.filter(initiative=initiative), "strategy", label=_("Strategy")
        )
        self.fields["indicator"] = _link(
            Indicator.objects.filter(initiative=initiative).order_by("name"),
            "indicator",
            label=_("Indicator or result"),
        )

    def clean_body(self):
        body = self.cleaned_data["body"]
        return None if body == ALL_PARTNERS else self.groups[body]

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method and "body" in data:
            problem = services.method_problem(
                initiative=self.initiative, group=data["body"], method=method
            )
            if problem:
                self.add_error("method", problem)
        if method:
            problem = services.options_problem(method=method, options=self.option_lines())
            if problem:
                self.add_error("options", problem)
        return data

    def option_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines()]


class VoteForm(forms.Form):
    """The answers a proposal's method takes; `organisation` when the person acts for more
    than one active partner in a per-organisation vote."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, proposal: Proposal, organisations=(), current: Vote | None, **kw):
        super().__init__(*args, **kw)
        self.proposal = proposal
        method = proposal.method
        if method in CHOICES_OF:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Your answer"),
                choices=[(c, Choice(c).label) for c in CHOICES_OF[method]],
                widget=forms.RadioSelect,
                initial=current.choice if current else None,
            )
        elif method == Method.GRADIENT:
            self.fields["level"] = forms.TypedChoiceField(
                label=_("Your level of agreement"),
                choices=[(k, f"{k} — {v}") for k, v in sorted(GRADIENT.items(), reverse=True)],
                coerce=int,
                widget=forms.RadioSelect,
                initial=current.level if current else None,
            )
        else:
            self.fields["option"] = forms.ModelChoiceField(
                label=_("Your choice"),
                queryset=proposal.options.all(),
                widget=forms.RadioSelect,
                empty_label=None,
                initial=current.option_id if current else None,
                error_messages={"invalid_choice": _("Choose one of this poll's options.")},
            )
        if method == Method.CONSENT:
            self.fields["reason"].help_text = _(
                "Required with an objection: what harm it would do."
            )
        elif method == Method.CONSENSUS:
            self.fields["reason"].help_text = _("Say why, especially if you disagree or block.")
        self.fields["reason"].initial = current.reason if current else ""
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("You vote for"),
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
                to_field_name="slug",
                error_messages={"invalid_choice": _("Choose an organisation you act for.")},
            )
        self.order_fields(["organisation", "choice", "level", "option", "reason"])

    def clean(self):
        data = super().clean()
        choice = data.get("choice", "")
        problem = services.reason_problem(
            method=self.proposal.method, choice=choice, reason=data.get("reason", "")
        )
        if problem:
            self.add_error("reason", problem)
        return data


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What was decided, in your words."),
    )
    owner = PersonChoiceField(
        queryset=Person.objects.none(),
        label=gettext_lazy("Owner of the outcome"),
        error_messages={
            "invalid_choice": gettext_lazy("The owner must be a person of this initiative.")
        },
    )
    review_on = forms.DateField(label=gettext_lazy("Review on"), widget=DateInput())

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            Person.objects.filter(memberships__initiative=initiative).distinct().order_by("name")
        )

    def clean_review_on(self):
        review_on = self.cleaned_data["review_on"]
        problem = services.review_date_problem(review_on=review_on, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return review_on


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What the review found"), widget=forms.Textarea(attrs={"rows": 4})
    )
    next_review_on = forms.DateField(
        label=gettext_lazy("Next review"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Empty: no more reviews."),
    )


class RulesForm(forms.Form):
    allowed_methods = forms.MultipleChoiceField(
        label=gettext_lazy("Methods allowed"),
        choices=Method.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Allow at least one decision method.")},
    )
    default_unit = forms.ChoiceField(
        label=gettext_lazy("Default voting unit"), choices=Unit.choices
    )
