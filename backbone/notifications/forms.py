from __future__ import annotations

from django import forms

from .kinds import Kind
from .selectors import settings_rows


class PreferencesForm(forms.Form):
    """One radio group per kind: how it reaches the person."""

    def __init__(self, *args, person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for row in settings_rows(person):
            self.fields[row["kind"].value] = forms.ChoiceField(
                label=row["label"],
                choices=row["choices"],
                initial=row["delivery"],
                widget=forms.RadioSelect,
            )

    def chosen(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind.values if kind in self.cleaned_data}
