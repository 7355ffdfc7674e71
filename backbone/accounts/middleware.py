"""Those who must sign in with a second factor reach no page until they have: they are sent
to set it up, or to sign in again with their code. Their account pages stay open (to set it
up, or sign out); API tokens are not sessions and are not asked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from backbone.web.errors import API_PREFIX

from . import two_factor

OPEN_PREFIXES = ("/accounts/", "/static/")


class SecondFactorRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and two_factor.required_of(user)
            and not request.path.startswith(OPEN_PREFIXES)
            and not user.is_verified()
        ):
            return self.refuse(request, user)
        return self.get_response(request)

    def refuse(self, request, user):
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {"detail": "Two-factor sign-in is required: sign in with your code."}, status=403
            )
        if two_factor.uses_two_factor(user):
            logout(request)
            messages.info(request, _("Sign in again with your code to continue."))
            return redirect_to_login(request.get_full_path())
        messages.info(
            request,
            _(
                "Your role requires two-factor sign-in: set it up with an authenticator app to "
                "continue."
            ),
        )
        return redirect("accounts:security")
