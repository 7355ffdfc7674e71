"""The subscription form: the address (checked by the validator the API uses too) and the
events it receives."""

from __future__ import annotations

from django import forms

from .addresses import validate_url
from .models import EventName


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label="Address",
        max_length=500,
        assume_scheme="https",
        validators=[validate_url],
        help_text="Where Backbone POSTs each event: https://, or http:// only to a receiver on "
        "a loopback or private address where this installation allows it. Redirects are "
        "not followed.",
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
    )
    description = forms.CharField(
        label="Description",
        max_length=200,
        required=False,
        help_text="What receives it, for your team: “Evaluation partner's data warehouse”.",
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=EventName.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )
