"""The report form: a title, a period (with quick choices) and who it is shared with."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Report


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = list(services.FIELDS)
        widgets = {"period_start": DateInput(), "period_end": DateInput()}
        labels = {"title": _("Title"), "introduction": _("Introduction")}

    def clean(self):
        data = super().clean()
        problem = services.period_problem(
            start=data.get("period_start"), end=data.get("period_end")
        )
        if problem:
            self.add_error("period_end", problem)
        return data
