"""Forms for waves, the answer (one row per other partner) and the map's filters. They check
with the services' own rules, so the form and the service refuse the same things."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.initiatives.models import Initiative, Partner

from . import services
from .models import SCORE_ITEMS, SCORE_LABELS, TIE_LEVEL, Contribution, Level, Wave
from .selectors import sector_label


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class WaveForm(forms.ModelForm):
    class Meta:
        model = Wave
        fields = ["name", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}
        help_texts = {"name": _("For example “Spring 2026”.")}
        labels = {"name": _("Name")}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative

    def clean(self):
        data = super().clean()
        problems = services.wave_problems(
            initiative=self.instance.initiative,
            name=data.get("name", ""),
            opens_on=data.get("opens_on"),
            closes_on=data.get("closes_on"),
            wave=self.instance if self.instance.pk else None,
        )
        for name, message in problems.items():
            self.add_error(name, message)
        return data


LEVEL_CHOICES = [("", _("Choose…")), *[(str(v), label) for v, label in Level.choices]]
SCORE_CHOICES = [("", "–"), *[(str(n), str(n)) for n in range(1, 5)]]


@dataclass
class AnswerRow:
    partner: Partner
    level: forms.BoundField
    scores: list[tuple[str, forms.BoundField]]  # (short label, field)
    errors: list[str]


class AnswerForm(forms.Form):
    """Per other partner `<slug>__level` and the six `<slug>__<score>` fields; then the
    contributions."""

    contributions = forms.MultipleChoiceField(
        label=_("What does your organisation contribute to the initiative?"),
        choices=Contribution.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    main_contribution = forms.ChoiceField(
        label=_("Its single most important contribution"),
        choices=[("", _("Choose…")), *Contribution.choices],
        required=False,
    )
    other_contribution = forms.CharField(
        label=_("Other contribution"),
        max_length=200,
        required=False,
        help_text=_("When “Other” is ticked."),
    )

    def __init__(self, *args, others: list[Partner], **kwargs):
        super().__init__(*args, **kwargs)
        self.others = others
        for p in others:
            name = p.organisation.name
            key = p.organisation.slug
            self.fields[f"{key}__level"] = forms.TypedChoiceField(
                label=_("Level of collaboration with %(partner)s") % {"partner": name},
                choices=LEVEL_CHOICES,
                coerce=int,
                error_messages={
                    "required": _("Choose the level of collaboration with %(partner)s.")
                    % {"partner": name}
                },
            )
            for item in SCORE_ITEMS:
                self.fields[f"{key}__{item}"] = forms.TypedChoiceField(
                    label=_("%(score)s: %(partner)s")
                    % {"score": SCORE_LABELS[item], "partner": name},
                    choices=SCORE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )

    def clean(self):
        data = super().clean()
        for p in self.others:
            key = p.organisation.slug
            level = data.get(f"{key}__level")
            if level is None:
                continue
            problem = services.rating_problem(
                level, {item: data.get(f"{key}__{item}") for item in SCORE_ITEMS}
            )
            if problem:
                self.add_error(
                    f"{key}__level",
                    _("%(partner)s: %(problem)s.")
                    % {"partner": p.organisation.name, "problem": problem},
                )
        problems = services.contribution_problems(
            contributions=data.get("contributions", []),
            main_contribution=data.get("main_contribution", ""),
            other_contribution=data.get("other_contribution", ""),
        )
        for name, message in problems.items():
            self.add_error(name, message)
        return data

    def rows(self) -> list[AnswerRow]:
        result = []
        for p in self.others:
            key = p.organisation.slug
            level = self[f"{key}__level"]
            scores = [(SCORE_LABELS[item], self[f"{key}__{item}"]) for item in SCORE_ITEMS]
            errors = [e for bf in (level, *(bf for _, bf in scores)) for e in bf.errors]
            result.append(AnswerRow(p, level, scores, errors))
        return result

    def ratings(self) -> dict[int, dict]:
        data = self.cleaned_data
        out = {}
        for p in self.others:
            key = p.organisation.slug
            rating = {"level": data[f"{key}__level"]}
            if rating["level"] > Level.NONE:
                rating.update({item: data.get(f"{key}__{item}") for item in SCORE_ITEMS})
            out[p.pk] = rating
        return out

    @staticmethod
    def initial_from(answer) -> dict:
        """The form's values from an earlier answer, to revise it."""
        if answer is None:
            return {}
        initial = {
            "contributions": [c.kind for c in answer.contributions.all()],
            "main_contribution": answer.main_contribution,
            "other_contribution": answer.other_contribution,
        }
        for r in answer.ratings.select_related("rated__organisation"):
            key = r.rated.organisation.slug
            initial[f"{key}__level"] = str(r.level)
            for item in SCORE_ITEMS:
                value = getattr(r, item)
                initial[f"{key}__{item}"] = "" if value is None else str(value)
        return initial


SIZE_CHOICES = [
    ("degree", _("Degree centrality")),
    ("betweenness", _("Betweenness")),
    ("closeness", _("Closeness")),
    ("trust", _("Trust received")),
]


class SubnetworkForm(forms.Form):
    """A sector or a working group, to look at that part of the network only."""

    sector = forms.ChoiceField(label=_("Sector"), required=False)
    group = forms.ChoiceField(label=_("Working group"), required=False)

    def __init__(self, *args, sectors: list[str], groups: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.uuid): g for g in groups}
        self.fields["sector"].choices = [("", _("All sectors"))] + [
            (s, sector_label(s)) for s in sectors
        ]
        self.fields["group"].choices = [("", _("All partners"))] + [
            (str(g.uuid), g.name) for g in groups
        ]

    def clean(self):
        data = super().clean()
        if data.get("sector") and data.get("group"):
            raise forms.ValidationError(_("Choose a sector or a working group, not both."))
        return data

    def subnetwork(self):
        from .selectors import Subnetwork

        if not self.is_bound or not self.is_valid():
            return Subnetwork()
        group = self.groups.get(self.cleaned_data.get("group") or "")
        return Subnetwork(sector=self.cleaned_data.get("sector") or "", group=group)


class MapForm(SubnetworkForm):
    level = forms.TypedChoiceField(
        label=_("Minimum level"),
        choices=[(str(v), label) for v, label in Level.choices if v >= Level.AWARENESS],
        coerce=int,
        required=False,
        empty_value=int(TIE_LEVEL),
    )
    size = forms.ChoiceField(label=_("Size nodes by"), choices=SIZE_CHOICES, required=False)

    def min_level(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("level"):
            return self.cleaned_data["level"]
        return int(TIE_LEVEL)
