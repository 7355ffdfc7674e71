"""Pages of the site's own for 403, 404 and 500, and one rule for signed-out visitors.

A page that needs a member sends a signed-out visitor to sign in (and back afterwards);
signed in, it says the page is not theirs. What a reader may not know exists answers 404,
from the views themselves (`permissions.initiative_for`). The API answers in JSON, in the
shape of its own errors.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

API_PREFIX = "/api/"


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Forbidden"}, status=403)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return render(request, "404.html", status=404)


def limit_reached(
    request: HttpRequest, *, status: int, heading: str, message: str, back: str = ""
) -> HttpResponse:
    """A request refused for its size or its rate (413, 429): what happened and what to do,
    in the layout; the API answers the message in JSON."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    context = {"heading": heading, "message": message, "back": back}
    return render(request, "web/limit_reached.html", context, status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    """No request context: whatever failed may fail again in a context processor or a tag."""
    return HttpResponse(loader.get_template("500.html").render(), status=500)
