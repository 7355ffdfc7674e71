"""Forms of the common agenda. They validate; services sanitise and save."""

from __future__ import annotations

from django import forms
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _

from .models import AgendaVersion, AgreedAction, Goal
from .services import editable_text, has_text, rich_text

RICH_HELP = _(
    "Plain text; a blank line starts a new paragraph. "
    "Simple HTML formatting (bold, lists, links) is kept."
)
NOTE_HELP = _("Shown with the version on the agenda page and in the version history.")
TITLE_MAX = Goal._meta.get_field("title").max_length
NOTE_MAX = AgendaVersion._meta.get_field("note").max_length


def _rich(label: str, help_text: str = RICH_HELP, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class RichTextForm(forms.Form):
    """A form whose rich-text fields show stored HTML as editable text, and give the stored
    HTML back untouched when the person did not change the field (so saving without changes
    leaves the draft as it was)."""

    rich_fields: tuple[str, ...] = ("description",)

    def __init__(self, *args, stored: dict | None = None, **kwargs):
        self.stored = stored or {}
        initial = dict(kwargs.pop("initial", None) or {})
        initial.update(
            {
                name: editable_text(value) if name in self.rich_fields else value
                for name, value in self.stored.items()
            }
        )
        super().__init__(*args, initial=initial, **kwargs)

    def values(self) -> dict:
        """cleaned_data, with the stored HTML for rich fields the person left as they were."""
        values = dict(self.cleaned_data)
        for name in self.rich_fields:
            shown = normalize_newlines(str(self.initial.get(name, ""))).strip()
            if name in self.stored and normalize_newlines(values[name]).strip() == shown:
                values[name] = self.stored[name]
        return values


class AgendaForm(RichTextForm):
    rich_fields = ("problem_statement", "vision", "community_aspirations")

    problem_statement = _rich(_("Problem statement"), rows=6)
    vision = _rich(_("Vision"), rows=4)
    community_aspirations = _rich(_("Community aspirations"), rows=5)


class GoalForm(RichTextForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_(
            'A population-level result, e.g. "All children enter kindergarten ready to learn".'
        ),
    )
    description = _rich(_("Description"), rows=4)


class StrategyForm(RichTextForm):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = _rich(_("Description"), rows=4)


class ActionForm(RichTextForm):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = _rich(_("Description"), rows=3)
    status = forms.ChoiceField(label=_("Status"), choices=AgreedAction.Status.choices)


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed and why"),
        required=False,
        max_length=NOTE_MAX,
        help_text=NOTE_HELP,
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text; members of the initiative will read it."),
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not has_text(rich_text(body)):
            raise forms.ValidationError(_("Write a comment first."))
        return body
