"""One rule for signed-out visitors of a public initiative: a refusal sends them to sign in.

A page refused to someone signed in says it is not theirs (403); refused to a visitor who is
not signed in, it sends them to sign in and back. After a form was sent, "back" is the page
named by `back_after_post` (the form's own address would answer a GET differently).
"""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from backbone.permissions import initiative_for


def sign_in_first(view=None, *, back_after_post: str | None = None, always: bool = False):
    """Decorate a view of `/i/<slug>/…`. `always`: the view needs someone signed in whatever
    the rules say; a visitor who may not even see the initiative still gets its 404 first."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            try:
                if always:
                    initiative_for(request.user, kwargs["slug"])
                    raise PermissionDenied
                return view(request, *args, **kwargs)
            except PermissionDenied:
                back = request.get_full_path()
                if request.method != "GET" and back_after_post:
                    back = reverse(back_after_post, args=[kwargs["slug"]])
                return redirect_to_login(back)

        return wrapper

    return decorate(view) if view is not None else decorate
