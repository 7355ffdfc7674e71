"""The language a page or an e-mail is written in.

A visitor gets the language they chose with the switcher (its cookie), else their browser's
(Accept-Language): Django's LocaleMiddleware. A signed-in person gets the language saved on
their account, the same on every device, and their e-mails are written in it. A link may
name a language for its one page with `?lang=es` (the public scorecard and its embed are
shared that way), without changing anyone's choice.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

CODES = {code for code, _ in settings.LANGUAGES}


def known(code: str | None) -> str | None:
    """`code` if it is one of the site's languages ("es", "fr"…), else None."""
    return code if code in CODES else None


class PersonLanguage:
    """After LocaleMiddleware and AuthenticationMiddleware: `?lang=` for the page asked,
    else a signed-in person's saved language. A person's language also goes in the cookie,
    so that the pages they read after signing out stay in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        asked = known(request.GET.get("lang"))
        user = request.user
        saved = known(user.language) if user.is_authenticated else None
        if asked or saved:
            translation.activate(asked or saved)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if saved and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != saved:
            _remember(response, saved)
        return response


def _remember(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's set_language (the cookie, then back to `next`); a
    signed-in person's choice is saved on their account too."""
    response = set_language(request)
    code = known(request.POST.get("language"))
    if code and request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    return response


@contextmanager
def in_language_of(person):
    """Write what is inside (an e-mail) in `person`'s saved language, or in the site's
    default language when they chose none: an e-mail has no browser to ask."""
    code = known(getattr(person, "language", None)) or settings.LANGUAGE_CODE
    with translation.override(code):
        yield


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    """The language chosen on the account page; blank follows the browser again."""
    code = request.POST.get("language", "")
    if code and not known(code):
        return HttpResponseBadRequest("No such language.")
    request.user.language = code
    request.user.save(update_fields=["language"])
    response = redirect("accounts:security")
    if code:
        _remember(response, code)
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
    return response
