"""Forms of the measurement set-up pages. They validate with the services' own checks;
services write."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.agenda.models import Goal, Strategy
from backbone.initiatives.models import Initiative, Organisation

from .models import Dimension, Group, Indicator, Period, Target
from .numbers import as_text
from .selectors import group_tree
from .services_setup import (
    SCHOOL_AND_FISCAL,
    TargetEntry,
    dimension_problems,
    group_problems,
    indicator_problems,
    target_value_problem,
)

MAX_DIMENSIONS = 4
MONTH_CHOICES = list(MONTHS.items())


class StrategyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Strategy) -> str:
        return f"{obj.goal.title} › {obj.title}"


class IndicatorForm(forms.ModelForm):
    """Every field of an indicator, with its dimensions chosen in order."""

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "kind",
            "unit",
            "rate_per",
            "numerator_definition",
            "denominator_definition",
            "direction",
            "aggregation",
            "decimals",
            "minimum",
            "maximum",
            "source",
            "frequency",
            "owner",
            "goal",
            "strategy",
            "visibility",
            "all_cells_required",
        ]
        labels = {
            "code": _("Code"),
            "rate_per": _("Per how many"),
            "direction": _("Direction of good"),
            "aggregation": _("How values add up"),
            "decimals": _("Decimals shown"),
            "source": _("Data source"),
            "frequency": _("Reporting frequency"),
            "owner": _("Owner"),
            "all_cells_required": _("Every combination of groups is required in a report"),
            "name": _("Name"),
            "definition": _("Definition"),
            "kind": _("Kind"),
            "unit": _("Unit"),
            "numerator_definition": _("Numerator definition"),
            "denominator_definition": _("Denominator definition"),
            "minimum": _("Minimum"),
            "maximum": _("Maximum"),
            "goal": _("Goal"),
            "strategy": _("Strategy"),
            "visibility": _("Visibility"),
        }
        help_texts = {
            "code": _(
                "Short, lower case, with hyphens (kindergarten-readiness). "
                "Files and the API use it."
            ),
            "definition": _(
                "What is measured, precisely enough that every partner counts it the same way."
            ),
            "numerator_definition": _("For rates: who or what is counted on top."),
            "denominator_definition": _("For rates: out of whom or what."),
            "minimum": _(
                "Lowest acceptable value; reports below it are refused. "
                "Blank: 0 for counts, percents and rates."
            ),
            "maximum": _("Highest acceptable value. Blank: 100 for percents, no limit otherwise."),
            "owner": _("The partner that answers for this indicator's data."),
            "goal": _("The population result it measures."),
            "strategy": _("Or the strategy it tracks (then it shows under that strategy's goal)."),
        }
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator_definition": forms.Textarea(attrs={"rows": 2}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2}),
        }

    FIELDSETS = [
        (_("What it measures"), ["code", "name", "definition", "kind", "direction", "source"]),
        (
            _("Unit and how values add up"),
            [
                "unit",
                "rate_per",
                "numerator_definition",
                "denominator_definition",
                "aggregation",
                "decimals",
                "minimum",
                "maximum",
            ],
        ),
        (_("Reporting"), ["frequency", "owner", "goal", "strategy", "visibility"]),
    ]

    def __init__(self, *args, initiative: Initiative, has_values: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.has_values = has_values
        self.fields["owner"].queryset = Organisation.objects.filter(
            partnerships__initiative=initiative
        ).order_by("name")
        self.fields["goal"].queryset = Goal.objects.filter(initiative=initiative)
        self.fields["strategy"] = StrategyChoice(
            queryset=Strategy.objects.filter(initiative=initiative)
            .select_related("goal")
            .order_by("goal__position", "goal_id", "position", "id"),
            required=False,
            label=_("Strategy"),
            help_text=self.Meta.help_texts["strategy"],
        )
        self.all_dimensions = list(Dimension.objects.filter(initiative=initiative))
        current = []
        if self.instance.pk:
            current = [
                link.dimension
                for link in self.instance.indicatordimension_set.select_related(
                    "dimension"
                ).order_by("position")
            ]
        self.dimension_fields = []
        for n in range(min(len(self.all_dimensions), MAX_DIMENSIONS)):
            name = f"dimension_{n + 1}"
            self.fields[name] = forms.ModelChoiceField(
                queryset=Dimension.objects.filter(initiative=initiative),
                required=False,
                label=_("Reported by") if n == 0 else _("and by"),
                empty_label="—",
                initial=current[n].pk if n < len(current) else None,
            )
            self.dimension_fields.append(name)
        if self.dimension_fields:
            self.fields[self.dimension_fields[0]].help_text = _(
                "Values are reported for every combination of the groups of the dimensions "
                "chosen (race × income), in this order."
            )

    def fieldsets(self):
        sets = [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]
        sets.append(
            (
                _("Disaggregation"),
                [self[name] for name in [*self.dimension_fields, "all_cells_required"]],
            )
        )
        return sets

    def clean_code(self):
        return self.cleaned_data["code"].strip().lower()

    def dimensions(self) -> list[Dimension]:
        """The chosen dimensions in order, gaps closed."""
        return [
            self.cleaned_data[name]
            for name in self.dimension_fields
            if self.cleaned_data.get(name) is not None
        ]

    def indicator_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in self.Meta.fields if name in cleaned}
        instance = self.instance if self.instance.pk else None
        for name, message in indicator_problems(
            values, initiative=self.initiative, instance=instance
        ).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
            elif name not in self.fields:
                self.add_error(None, message)
        if self.dimension_fields and all(name not in self.errors for name in self.dimension_fields):
            problem = dimension_problems(
                self.dimensions(), initiative=self.initiative, instance=instance
            )
            if problem:
                self.add_error(self.dimension_fields[0], problem)
        return cleaned

    def _post_clean(self):
        # The services save; the model's own unique checks need the initiative, which the
        # form does not carry, so only the fields are checked here.
        pass


class DimensionForm(forms.ModelForm):
    class Meta:
        model = Dimension
        fields = ["key", "name", "is_geography"]
        labels = {
            "is_geography": _("A geography: places that sit inside one another"),
            "key": _("Key"),
            "name": _("Name"),
        }
        help_texts = {
            "key": _(
                "Short, lower case (race, income, place). "
                "Files and the API use it; it cannot change later."
            ),
            "name": _("As people read it: Race/ethnicity, Family income, Place."),
            "is_geography": _("City › district › neighbourhood."),
        }

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        if self.instance.pk:
            del self.fields["key"]

    def clean_key(self):
        key = self.cleaned_data["key"].strip().lower()
        if Dimension.objects.filter(initiative=self.initiative, key=key).exists():
            raise forms.ValidationError(
                _("Another dimension already uses the key %(key)s.") % {"key": key}
            )
        return key

    def _post_clean(self):
        pass


class GroupChoice(forms.ModelChoiceField):
    def __init__(self, *args, depths: dict[int, int] | None = None, **kwargs):
        self.depths = depths or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Group) -> str:
        return "— " * self.depths.get(obj.pk, 0) + obj.name


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["key", "name", "parent"]
        help_texts = {
            "key": _(
                "Short, lower case (black, low-income, northside). "
                "Files and the API use it; it cannot change later."
            ),
            "name": _("As people read it."),
        }
        labels = {"key": _("Key"), "name": _("Name"), "parent": _("Parent")}

    def __init__(self, *args, dimension: Dimension, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension = dimension
        if self.instance.pk:
            del self.fields["key"]
        if dimension.is_geography:
            tree = group_tree(list(Group.objects.filter(dimension=dimension)))
            field = GroupChoice(
                queryset=Group.objects.filter(dimension=dimension),
                required=False,
                label=_("Inside"),
                depths={g.pk: depth for g, depth in tree},
                help_text=_(
                    "The place this one belongs to: a district's city, a neighbourhood's district."
                ),
            )
            # The places in tree order, indented by depth.
            field.choices = [("", _("— (a top-level place)"))] + [
                (g.pk, field.label_from_instance(g)) for g, _depth in tree
            ]
            field.initial = self.instance.parent_id
            self.fields["parent"] = field
        else:
            del self.fields["parent"]

    def clean_key(self):
        return self.cleaned_data["key"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        problems = group_problems(
            dimension=self.dimension,
            key=cleaned.get("key"),
            parent=cleaned.get("parent"),
            instance=self.instance if self.instance.pk else None,
        )
        for name, message in problems.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
            elif name not in self.fields:
                self.add_error(None, message)
        return cleaned

    def _post_clean(self):
        pass


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
