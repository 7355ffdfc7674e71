"""Forms of the updates pages: plain text in, validated here, written by services."""

from __future__ import annotations

from django import forms

from .models import DigestSchedule, Update


def _has_text(value: str) -> str:
    if not value.strip():
        raise forms.ValidationError("Write something first.")
    return value


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Update.Kind.choices)
    title = forms.CharField(label="Title", max_length=200)
    body = forms.CharField(
        label="Text",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text; line breaks are kept.",
    )

    def clean_body(self) -> str:
        return _has_text(self.cleaned_data["body"])


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=5000,
        error_messages={"required": "Write a comment first."},
    )


class FollowingForm(forms.Form):
    news = forms.BooleanField(label="News", required=False)
    data_releases = forms.BooleanField(label="Data releases", required=False)
    decisions = forms.BooleanField(label="Decisions of meetings", required=False)
    comments = forms.BooleanField(label="Comments on updates I commented on", required=False)
    frequency = forms.ChoiceField(
        label="E-mail digest",
        choices=DigestSchedule.Frequency.choices,
        widget=forms.RadioSelect,
        help_text="One digest covers all your initiatives.",
    )
