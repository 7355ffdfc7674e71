"""The form for one cell of the tracker; it checks the same rules the service does."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Status


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CellForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    started_on = forms.DateField(label=_("Started"), required=False, widget=DateInput())
    completed_on = forms.DateField(
        label=_("Completed"),
        required=False,
        widget=DateInput(),
        help_text=_("Needed when the status is done."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What shows where this stands: documents, meetings, decisions, figures."),
    )
    note = forms.CharField(
        label=_("Note for the history"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why it changed; kept with this change."),
    )

    def clean(self):
        data = super().clean()
        if "status" not in data:
            return data
        problems = services.cell_problems(
            status=data["status"],
            started_on=data.get("started_on"),
            completed_on=data.get("completed_on"),
            today=timezone.localdate(),
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data
