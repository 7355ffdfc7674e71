"""A partner steward's API tokens page: make one (shown once), revoke one; the tokens
themselves are written through `tokens`. Apart from DHIS2's pages: a token serves the REST
API as much as DHIS2."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, initiative_for, require
from backbone.web.confirm import Confirmation, confirm_page

from ..models import ApiToken
from ..tokens import token_create, token_revoke, tokens_of


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, so you know which one to revoke (“Case management sync”)."),
    )
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label=_("Organisation"))

    def __init__(self, *args, initiative: Initiative, partners: list[Partner], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.of(initiative).filter(
            pk__in=[p.pk for p in partners]
        )
        self.fields["partner"].label_from_instance = lambda p: p.organisation.name
        if len(partners) == 1:
            self.fields["partner"].initial = partners[0]
            self.fields["partner"].widget = forms.HiddenInput()


def _token_partners(user, initiative: Initiative) -> list[Partner]:
    return [
        p
        for p in Partner.objects.of(initiative).select_related("organisation")
        if can(user, "tokens.manage", initiative, p)
    ]


def _own_token(user, initiative: Initiative, partners: list[Partner], text: str) -> ApiToken:
    """A token of one of the steward's organisations, or 404."""
    token = ApiToken.objects.of(initiative).filter(partner__in=partners, uuid=_uuid(text)).first()
    if token is None:
        raise Http404(gettext("No such token."))
    require(user, "tokens.manage", initiative, token.partner)
    return token


@login_required
def tokens(request, slug):
    """A partner steward's API tokens: make one (shown once), revoke one."""
    initiative = initiative_for(request.user, slug, "tokens.manage")
    partners = _token_partners(request.user, initiative)
    if not partners:
        raise PermissionDenied
    form = TokenForm(initiative=initiative, partners=partners)
    raw = None
    if request.method != "POST" and "revoke" in request.GET:
        token = _own_token(request.user, initiative, partners, request.GET["revoke"])
        return confirm_page(
            request,
            Confirmation(
                question=gettext("Revoke the token “%(name)s”?") % {"name": token.name},
                explanation=gettext(
                    "Programs using it are refused from their next request. This "
                    "cannot be undone; make a new token for a program that still needs one."
                ),
                button=gettext("Revoke the token"),
                cancel_url=reverse("measurement:tokens", args=[initiative.slug]),
                fields=(("revoke", str(token.uuid)),),
            ),
            initiative=initiative,
            section="tokens",
        )
    if request.method == "POST" and "revoke" in request.POST:
        token = _own_token(request.user, initiative, partners, request.POST["revoke"])
        token_revoke(token=token, by=request.user)
        messages.success(
            request, gettext("The token “%(name)s” no longer works.") % {"name": token.name}
        )
        return redirect("measurement:tokens", initiative.slug)
    if request.method == "POST":
        form = TokenForm(request.POST, initiative=initiative, partners=partners)
        if form.is_valid():
            partner = form.cleaned_data["partner"]
            require(request.user, "tokens.manage", initiative, partner)
            _, raw = token_create(partner=partner, name=form.cleaned_data["name"], by=request.user)
            form = TokenForm(initiative=initiative, partners=partners)
    response = render(
        request,
        "measurement/exchange/tokens.html",
        {
            "initiative": initiative,
            "section": "tokens",
            "form": form,
            "raw": raw,
            "tokens": tokens_of(partners),
            "several": len(partners) > 1,
            "api_base": request.build_absolute_uri(f"/api/initiatives/{initiative.slug}/"),
        },
    )
    if raw:
        response["Cache-Control"] = "no-store"
    return response


def _uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None
