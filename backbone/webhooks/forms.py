"""The subscription form: the address (checked by the validator the API uses too) and the
events it receives."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .addresses import validate_url
from .models import EventName


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        validators=[validate_url],
        help_text=_(
            "Where Backbone POSTs each event: https://, or http:// only to a receiver on "
            "a loopback or private address where this installation allows it. Redirects are "
            "not followed."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What receives it, for your team: “Evaluation partner's data warehouse”."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventName.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
