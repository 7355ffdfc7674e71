"""Forms of the reporting pages: the web form of one indicator and period, the filters of
the submissions list, and the comment that returns a submission."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext, gettext_lazy, pgettext

from backbone.initiatives.models import Partner

from .. import missing
from ..intake import Reported
from ..models import Submission
from ..numbers import as_typed_in
from ..problems import Problem
from ..reporting import FormCell, FormLayout, Input

NUMBER_WIDGET = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
REASON_CHOICES = missing.CHOICES


@dataclass(frozen=True)
class CellView:
    """One cell as the form draws it: its inputs (with their bound fields) and the ids of
    the headers that name it."""

    cell: FormCell
    inputs: list[tuple[Input, BoundField]]
    reason: BoundField  # why the cell is blank, when it is
    labelledby: str


@dataclass(frozen=True)
class ShownProblem:
    """A problem as the form shows it: where (an input's label or a cell's) and why."""

    text: str
    input_id: str | None  # the input it concerns, to link to


class ReportForm(forms.Form):
    """All cells of one indicator for one period, as text: the intake reads the numbers, so
    the web form and files give the same messages."""

    narrative = forms.CharField(
        label=gettext_lazy("The story behind the numbers"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "What is behind these numbers: what changed, what works, who has a role to play."
        ),
    )

    def __init__(
        self, *args, layout: FormLayout, period_code: str, correction: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.layout = layout
        self.period_code = period_code
        for cell in layout.all_cells:
            for i in cell.inputs:
                self.fields[i.name] = forms.CharField(
                    label=i.label,
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(attrs=NUMBER_WIDGET),
                )
            self.fields[cell.missing_name] = forms.ChoiceField(
                label=gettext("%(cell)s — if blank, why") % {"cell": cell.label},
                required=False,
                choices=REASON_CHOICES,
            )
        if correction:
            self.fields["reason"] = forms.CharField(
                label=gettext("Reason for the correction"),
                max_length=500,
                help_text=gettext("Kept with every value this correction changes."),
            )

    # --- drawing ---------------------------------------------------------------------

    def _view(self, cell: FormCell, labelledby: str) -> CellView:
        inputs = [(i, self[i.name]) for i in cell.inputs]
        return CellView(cell, inputs, self[cell.missing_name], labelledby)

    def total_view(self) -> CellView:
        return self._view(self.layout.total, "total-head")

    def list_views(self) -> list[CellView]:
        """One dimension: a row per group."""
        return [self._view(c, f"row-{c.row}") for c in self.layout.cells]

    def grid_views(self) -> list[tuple[str, str, list[CellView]]]:
        """A cross-tab: (row header id, row header, cells in column order)."""
        return [
            (
                f"rh-{r}",
                header,
                [self._view(c, f"rh-{r} ch-{k}") for k, c in enumerate(cells)],
            )
            for r, (header, cells) in enumerate(self.layout.grid())
        ]

    def text_fields(self) -> list[BoundField]:
        return [self[name] for name in ("reason", "narrative") if name in self.fields]

    # --- reading -----------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        if not self._errors and not self.reported_rows():
            raise forms.ValidationError(gettext("Enter at least one value before saving."))
        return cleaned

    def reported_rows(self) -> list[Reported]:
        """One row per cell with anything typed in or a reason for its blank chosen; each
        input's label is its column."""
        ind = self.layout.indicator
        data = getattr(self, "cleaned_data", {})
        rows = []
        for cell in self.layout.all_cells:
            typed = {i.field: as_typed_in((data.get(i.name) or "").strip()) for i in cell.inputs}
            reason = data.get(cell.missing_name) or ""
            if not any(typed.values()) and not reason:
                continue
            rows.append(
                Reported(
                    indicator=ind.code,
                    period=self.period_code,
                    groups=cell.groups,
                    value=typed.get("value"),
                    numerator=typed.get("numerator"),
                    denominator=typed.get("denominator"),
                    weight=typed.get("n"),
                    missing=reason,
                    row=cell.row,
                    columns={
                        **{i.field: i.label for i in cell.inputs},
                        "missing": self.fields[cell.missing_name].label,
                    },
                )
            )
        return rows

    def add_problems(self, problems: list[Problem]) -> None:
        """Put each problem of the intake beside its input, or above the form when it
        concerns no single input."""
        by_label: dict[str, str] = {}  # the column a problem names → the field
        by_place: dict[tuple[int, str], str] = {}
        cells = {}
        for cell in self.layout.all_cells:
            cells[cell.row] = cell
            for i in cell.inputs:
                by_label[i.label] = i.name
                by_place[(cell.row, i.field)] = i.name
            by_label[self.fields[cell.missing_name].label] = cell.missing_name
            by_place[(cell.row, "missing")] = cell.missing_name
        for p in problems:
            found = by_label.get(p.column or "")
            if found is None and p.row is not None:
                found = by_place.get((p.row, p.column or ""))
            if found is not None:
                self.add_error(found, p.reason)
            elif p.column and p.row in cells:
                self.add_error(
                    None,
                    gettext("%(cell)s — %(column)s: %(reason)s")
                    % {"cell": cells[p.row].label, "column": p.column, "reason": p.reason},
                )
            else:
                self.add_error(None, p.reason)

    def summary(self) -> list[ShownProblem]:
        """Every error of the form, for the summary at the top, each linked to its input."""
        shown = [ShownProblem(str(e), None) for e in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            field = self[name]
            shown.extend(
                ShownProblem(
                    pgettext("a problem and the input it concerns", "%(input)s: %(problem)s")
                    % {"input": field.label, "problem": e},
                    field.auto_id,
                )
                for e in errors
            )
        return shown


class SubmissionFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any status")), *Submission.Status.choices],
    )
    partner = forms.ChoiceField(required=False, label=gettext_lazy("Partner"))
    channel = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Sent by"),
        choices=[("", gettext_lazy("Any way")), *Submission.Channel.choices],
    )

    def __init__(self, *args, partners: list[Partner], **kwargs):
        super().__init__(*args, **kwargs)
        if len(partners) < 2:
            del self.fields["partner"]
            return
        self.fields["partner"].choices = [
            ("", gettext("Every partner")),
            *((p.organisation.slug, p.organisation.name) for p in partners),
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What needs fixing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
