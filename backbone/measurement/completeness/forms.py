"""Forms of the completeness pages: choosing a period, and ticking who reports what."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backbone.initiatives.models import Partner
from backbone.initiatives.roles import PartnerStatus
from backbone.measurement.models import Indicator, Period


class PeriodFilterForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)

    def __init__(self, *args, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.code: p for p in periods}
        self.fields["period"].choices = [("", _("Every period due or open"))] + [
            (p.code, p.label) for p in periods
        ]

    def chosen(self) -> Period | None:
        if self.is_bound and self.is_valid() and self.cleaned_data["period"]:
            return self.periods[self.cleaned_data["period"]]
        return None


class AssignmentForm(forms.Form):
    """One set of checkboxes per indicator: the partners expected to report it."""

    def __init__(
        self,
        *args,
        indicators: list[Indicator],
        partners: list[Partner],
        assigned: dict[int, set[int]],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.partners = {str(p.pk): p for p in partners}
        choices = [
            (
                str(p.pk),
                p.organisation.name
                if p.status == PartnerStatus.ACTIVE
                else _("%(partner)s (%(status)s)")
                % {"partner": p.organisation.name, "status": p.get_status_display().lower()},
            )
            for p in partners
        ]
        for indicator in indicators:
            self.fields[self.field_name(indicator)] = forms.MultipleChoiceField(
                label=indicator.name,
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                initial=[str(pk) for pk in sorted(assigned.get(indicator.pk, ()))],
            )

    @staticmethod
    def field_name(indicator: Indicator) -> str:
        return f"reporters-{indicator.pk}"

    def rows(self):
        """(indicator, its field) in indicator order, for the template."""
        return [(i, self[self.field_name(i)]) for i in self.indicators]

    def reporters(self) -> dict[Indicator, list[Partner]]:
        return {
            i: [self.partners[pk] for pk in self.cleaned_data[self.field_name(i)]]
            for i in self.indicators
        }
