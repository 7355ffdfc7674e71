"""Forms: opening a round, and answering one. Both end in the services, which check again."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.frameworks.texts import text_in
from backbone.initiatives.models import Initiative, Partner
from backbone.initiatives.roles import PLURALS, PartnerStatus
from backbone.permissions import PARTNER_ROLES

from . import services
from .models import Questionnaire
from .scoring import Item


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PartnerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


class QuestionnaireChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return text_in(obj.data.get("name")) or obj.name


class RoundForm(forms.Form):
    questionnaire = QuestionnaireChoice(
        queryset=Questionnaire.objects.none(), label=_("Questionnaire")
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the questionnaire's name and month."),
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput())
    closes_on = forms.DateField(
        label=_("Closes"), widget=DateInput(), help_text=_("The last day to answer.")
    )
    roles = forms.MultipleChoiceField(
        label=_("Ask these roles"),
        required=False,
        choices=[(r.value, PLURALS.get(r, r.label)) for r in services.RESPONDENT_ROLES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Stewards and members are asked for the partners chosen below."),
    )
    partners = PartnerChoice(
        label=_("Of these partners"),
        required=False,
        queryset=Partner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to ask every active partner."),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: nobody, the backbone included, sees who gave which answer"),
        required=False,
        initial=True,
    )
    results_shared = forms.BooleanField(
        label=_("Share the results with partners, community members and funders once it closes"),
        required=False,
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        fitting = [q.pk for q in services.questionnaires_for(initiative)]
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(pk__in=fitting)
        self.fields["partners"].queryset = (
            Partner.objects.filter(initiative=initiative)
            .exclude(status=PartnerStatus.WITHDRAWN)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + timedelta(days=21)
        self.fields["roles"].initial = list(PARTNER_ROLES)


class ClosingDateForm(forms.Form):
    closes_on = forms.DateField(label=_("New closing date"), widget=DateInput())


def _escape(text: str) -> str:
    return text.replace("%", "%%")


def item_field(item: Item) -> forms.Field:
    """One form field per item; its errors name the item, as the service's do."""
    name = _escape(services.item_name(item))
    required = {"required": _("%(item)s: please choose an answer.") % {"item": name}}
    if item.type == "scale":
        scale = item.scale
        return forms.TypedChoiceField(
            label=item.text,
            help_text=item.help,
            choices=[(str(v), f"{v} — {label}") for v, label in scale.points],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={
                **required,
                "invalid_choice": _(
                    "%(item)s: %(value)s is not on the scale "
                    "(%(low)s %(low_label)s to %(high)s %(high_label)s)."
                )
                % {
                    "item": name,
                    "value": "%(value)s",
                    "low": scale.low,
                    "low_label": _escape(scale.label(scale.low).lower()),
                    "high": scale.high,
                    "high_label": _escape(scale.label(scale.high).lower()),
                },
            },
        )
    invalid = {
        "invalid_choice": _("%(item)s: %(value)s is not one of the options.")
        % {"item": name, "value": "%(value)s"}
    }
    if item.type == "single_choice":
        return forms.ChoiceField(
            label=item.text,
            help_text=item.help,
            choices=list(item.options),
            widget=forms.RadioSelect,
            error_messages={**required, **invalid},
        )
    if item.type == "multiple_choice":
        return forms.MultipleChoiceField(
            label=item.text,
            help_text=item.help,
            choices=list(item.options),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            error_messages=invalid,
        )
    return forms.CharField(
        label=item.text,
        help_text=item.help or _("Optional."),
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    def __init__(self, *args, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.key] = item_field(item)

    def grouped(self, names: dict[str, tuple[str, str]]):
        """(element name, [bound fields]) in the questionnaire's order."""
        groups: dict[str, list] = {}
        for item in self.items:
            groups.setdefault(item.element, []).append((item, self[item.key]))
        return [(names[element][0], fields) for element, fields in groups.items()]
