"""A person's own API tokens: make one for an initiative they belong to (shown once), see
them, revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backbone.initiatives.models import Initiative
from backbone.initiatives.selectors import initiatives_of
from backbone.web.confirm import Confirmation, confirm_page

from .selectors import own_personal_token
from .tokens import personal_token_create, personal_token_revoke, personal_tokens_of


class PersonalTokenForm(forms.Form):
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.none(), label=gettext_lazy("Initiative")
    )
    name = forms.CharField(
        max_length=100,
        label=gettext_lazy("Name"),
        help_text=gettext_lazy("What uses it, to recognise it later."),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives_of(person).order_by("name")


@login_required
def personal_tokens(request):
    """Tokens that act as you, with your roles, in one initiative each."""
    form = PersonalTokenForm(request.POST or None, person=request.user)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = personal_token_create(
            person=request.user,
            initiative=form.cleaned_data["initiative"],
            name=form.cleaned_data["name"],
        )
        form = PersonalTokenForm(person=request.user)
    response = render(
        request,
        "accounts/tokens.html",
        {
            "section": "security",
            "form": form,
            "raw": raw,
            "tokens": personal_tokens_of(request.user),
            "api_docs": request.build_absolute_uri("/api/docs"),
        },
    )
    if raw:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def personal_token_revoke_view(request, token):
    """Asked first (a GET shows the question), revoked by the POST of its button."""
    found = own_personal_token(request.user, token)
    if request.method != "POST":
        return confirm_page(
            request,
            Confirmation(
                question=_("Revoke the token “%(name)s”?") % {"name": found.name},
                explanation=_(
                    "Programs using it are refused from their next request. This cannot be "
                    "undone; make a new token for a program that still needs one."
                ),
                button=_("Revoke the token"),
                cancel_url=reverse("accounts:personal_tokens"),
            ),
            section="security",
        )
    personal_token_revoke(token=found, by=request.user)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": found.name})
    return redirect("accounts:personal_tokens")
