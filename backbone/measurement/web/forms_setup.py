"""Forms of the measurement set-up pages. They validate with the services' own checks;
services write. This module holds the indicator's form; `forms_setup_groups` those of
dimensions and groups, `forms_setup_periods` those of periods, baselines and targets, and
series breaks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.agenda.models import Goal, Strategy
from backbone.initiatives.models import Initiative, Organisation

from ..models import Dimension, Indicator
from ..services_setup import dimension_problems, indicator_problems

MAX_DIMENSIONS = 4


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
