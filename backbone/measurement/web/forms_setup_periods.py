"""Forms of the set-up by period: generating a run of reporting periods, an indicator's
baselines and targets for each period, and the period its series starts again from. They
validate with the services' own checks; services write."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Group, Indicator, Period, Target
from ..numbers import as_text
from ..services_setup import SCHOOL_AND_FISCAL, TargetEntry, target_value_problem

MONTH_CHOICES = list(MONTHS.items())


class PeriodsGenerateForm(forms.Form):
    kind = forms.ChoiceField(choices=Period.Kind.choices, label=_("Kind of period"))
    first = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A day in the first period."),
    )
    last = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A day in the last period."),
    )
    start_month = forms.TypedChoiceField(
        choices=MONTH_CHOICES,
        coerce=int,
        initial=8,
        label=_("School and fiscal years start in"),
        help_text=_("Only for school years and fiscal years."),
    )
    due_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=730,
        label=_("Reports due, days after the period ends"),
        help_text=_("Blank: no due date."),
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and last < first:
            self.add_error("last", _("The run must end after it starts."))
        if cleaned.get("kind") not in SCHOOL_AND_FISCAL:
            cleaned["start_month"] = 1
        return cleaned


@dataclass(frozen=True)
class TargetCell:
    """One input of the targets grid."""

    kind: str
    period: Period
    group: Group | None

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.period.pk}-{self.group.pk if self.group else 'total'}"


class TargetsForm(forms.Form):
    """Baselines and targets of one indicator: a row per period, a baseline and a target per
    group of one dimension (or for the total). Blank removes."""

    def __init__(
        self,
        *args,
        indicator: Indicator,
        periods: list[Period],
        groups: list[Group | None],
        existing: dict[tuple[str, int, int | None], Decimal],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.periods = periods
        self.groups = groups
        self.cells: dict[str, TargetCell] = {}
        self.before: dict[str, Decimal | None] = {}
        for period in periods:
            for group in groups:
                for kind, word in Target.Kind.choices:
                    cell = TargetCell(kind, period, group)
                    label = _("%(kind)s, %(group)s, %(period)s") % {
                        "kind": word,
                        "group": group.name if group else pgettext_lazy("all groups", "total"),
                        "period": period.label,
                    }
                    before = existing.get((kind, period.pk, group.pk if group else None))
                    self.before[cell.name] = before
                    self.fields[cell.name] = forms.DecimalField(
                        required=False,
                        max_digits=20,
                        decimal_places=6,
                        label=label,
                        initial=as_text(before),
                        widget=forms.TextInput(
                            attrs={
                                "inputmode": "decimal",
                                "size": "7",
                                "aria-label": label,
                            }
                        ),
                    )
                    self.cells[cell.name] = cell

    def rows(self):
        """For the template: per period, per group, the (baseline, target) bound fields."""
        for period in self.periods:
            yield (
                period,
                [
                    (
                        self[TargetCell(Target.Kind.BASELINE, period, g).name],
                        self[TargetCell(Target.Kind.TARGET, period, g).name],
                    )
                    for g in self.groups
                ],
            )

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if value is not None:
                problem = target_value_problem(self.indicator, value)
                if problem:
                    self.add_error(name, problem)
        return cleaned

    def entries(self) -> list[TargetEntry]:
        """The baselines and targets that changed."""
        changed = []
        for name, cell in self.cells.items():
            value = self.cleaned_data.get(name)
            before = self.before[name]
            if value == before or (value is None and before is None):
                continue
            changed.append(TargetEntry(cell.kind, cell.period, value, cell.group))
        return changed


class PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Period) -> str:
        return obj.label


class SeriesBreakForm(forms.Form):
    """Where an indicator's series starts again, and why; the service checks the rest."""

    period = PeriodChoice(
        queryset=Period.objects.none(),
        label=_("First period of the new series"),
        empty_label="—",
        help_text=_("Values from this period on are not compared with those before it."),
    )
    reason = forms.CharField(
        max_length=300,
        label=_("Reason"),
        help_text=_("What changed: a new test, a new definition, a new data source."),
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(
            initiative_id=indicator.initiative_id, kind=indicator.frequency
        ).order_by("-start")
