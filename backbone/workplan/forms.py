"""Forms of the work plan and funding; each calls the service's validator so both refuse the
same input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.activities.models import Activity
from backbone.agenda.models import Strategy
from backbone.initiatives.models import Initiative, Organisation

from . import selectors, services
from .models import BackboneTask, Funder, Grant, default_currency


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _add_problems(form: forms.Form, problems: dict[str, list[str]]) -> None:
    for name, messages in problems.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    role = forms.ChoiceField(label=_("Backbone role"))
    owner = forms.ModelChoiceField(queryset=None, label=_("Owner"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=BackboneTask.Status.choices)
    estimated_hours = forms.DecimalField(
        label=_("Estimated effort (hours)"), required=False, max_digits=7, decimal_places=1
    )

    def __init__(self, *args, initiative: Initiative, task: BackboneTask | None = None, **kw):
        if task is not None and "initial" not in kw:
            kw["initial"] = {n: getattr(task, n) for n in services.TaskData.__dataclass_fields__}
        super().__init__(*args, **kw)
        self.initiative = initiative
        self.fields["role"].choices = [
            (r["key"], r["name"]) for r in services.backbone_roles(initiative)
        ]
        self.fields["owner"].queryset = selectors.staff_people(initiative)
        self.fields["owner"].label_from_instance = lambda p: p.name or p.email

    def task_data(self) -> services.TaskData:
        return services.TaskData(**{n: self.cleaned_data.get(n) for n in self.fields})

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            _add_problems(
                self, services.task_problems(initiative=self.initiative, data=self.task_data())
            )
        return cleaned


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *BackboneTask.Status.choices],
        required=False,
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        empty_label=_("Anyone"),
    )

    def __init__(self, *args, initiative: Initiative, **kw):
        super().__init__(*args, **kw)
        self.fields["owner"].queryset = selectors.staff_people(initiative)
        self.fields["owner"].label_from_instance = lambda p: p.name or p.email

    def chosen(self) -> dict:
        if not self.is_valid():
            return {}
        return {"status": self.cleaned_data["status"], "owner": self.cleaned_data["owner"]}


class EffortForm(forms.Form):
    worked_on = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, today, **kw):
        super().__init__(*args, **kw)
        self.today = today
        self.fields["worked_on"].initial = today

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            _add_problems(
                self,
                services.effort_problems(
                    worked_on=cleaned.get("worked_on"), hours=cleaned.get("hours"), today=self.today
                ),
            )
        return cleaned


class GrantForm(forms.Form):
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        help_text=_("Three-letter ISO code, such as USD."),
    )
    starts_on = forms.DateField(label=_("Period starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Period ends"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=Grant.Status.choices)
    restrictions = forms.CharField(
        label=_("Restrictions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    funds = forms.ChoiceField(label=_("What it funds"), choices=Grant.Funds.choices)
    strategy = forms.ModelChoiceField(
        label=_("Strategy"), queryset=None, required=False, help_text=_("When it funds a strategy.")
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=None,
        required=False,
        help_text=_("When it funds a partner's activity."),
    )
    private_note = forms.CharField(
        label=_("Private note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only backbone staff see this."),
    )

    def __init__(self, *args, initiative: Initiative, grant: Grant | None = None, **kw):
        if grant is not None and "initial" not in kw:
            kw["initial"] = {n: getattr(grant, n) for n in services.GrantData.__dataclass_fields__}
        super().__init__(*args, **kw)
        self.initiative = initiative
        self.fields["currency"].initial = default_currency()
        self.fields["funder"].queryset = Funder.objects.filter(initiative=initiative)
        self.fields["strategy"].queryset = Strategy.objects.filter(initiative=initiative)
        self.fields["activity"].queryset = Activity.objects.filter(initiative=initiative)

    def grant_data(self) -> services.GrantData:
        data = {n: self.cleaned_data.get(n) for n in self.fields}
        data["currency"] = (data["currency"] or "").upper()
        data["restrictions"] = data["restrictions"] or ""
        data["private_note"] = data["private_note"] or ""
        return services.GrantData(**data)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            _add_problems(
                self, services.grant_problems(initiative=self.initiative, data=self.grant_data())
            )
        return cleaned


class FunderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("The organisation it is, when it is one of the initiative's partners."),
    )

    def __init__(self, *args, initiative: Initiative, **kw):
        super().__init__(*args, **kw)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            partnerships__initiative=initiative
        )


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount_needed = forms.DecimalField(label=_("Amount needed"), max_digits=14, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["currency"].initial = default_currency()

    def clean_amount_needed(self):
        amount = self.cleaned_data["amount_needed"]
        if amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount

    def clean_currency(self):
        currency = self.cleaned_data["currency"].upper()
        if not services.CURRENCY.match(currency):
            raise forms.ValidationError(_("Give a three-letter ISO currency code, such as USD."))
        return currency
