"""Forms of the updates pages: plain text in, validated here, written by services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import DigestSchedule, Update


def _has_text(value: str) -> str:
    if not value.strip():
        raise forms.ValidationError(_("Write something first."))
    return value


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Update.Kind.NEWS, pgettext_lazy("kind of update", "News")),
            (Update.Kind.DATA_RELEASE, pgettext_lazy("kind of update", "Data release")),
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text; line breaks are kept."),
    )

    def clean_body(self) -> str:
        return _has_text(self.cleaned_data["body"])


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        error_messages={"required": _("Write a comment first.")},
    )


class FollowingForm(forms.Form):
    news = forms.BooleanField(label=_("News"), required=False)
    data_releases = forms.BooleanField(label=_("Data releases"), required=False)
    decisions = forms.BooleanField(label=_("Decisions of meetings"), required=False)
    comments = forms.BooleanField(label=_("Comments on updates I commented on"), required=False)
    frequency = forms.ChoiceField(
        label=_("E-mail digest"),
        choices=[
            (DigestSchedule.Frequency.DAILY, pgettext_lazy("how often", "Daily")),
            (DigestSchedule.Frequency.WEEKLY, pgettext_lazy("how often", "Weekly")),
            (DigestSchedule.Frequency.NONE, _("Never: no digest")),
        ],
        widget=forms.RadioSelect,
        help_text=_("One digest covers all your initiatives."),
    )
