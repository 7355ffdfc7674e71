"""While the database cannot be reached, a short 503 page rather than the 500 page.

PostgreSQL restarting, a failover, no connection slot left: every request fails until it is
back, and nothing is wrong with Backbone. The reader gets "try again in a minute" with a
Retry-After header (the API the same as `{"detail": …}`). Backbone needs no restart
afterwards: each request connects again.

The database may fail in a view (`process_exception` answers) or in a middleware that reads
it (the session of a signed-in person, for instance). Django turns the latter into a 500
where it happens, out of reach of any other middleware, but first logs it and says so on
`got_request_exception`, which marks the request; this middleware, the outermost, then
answers the 503 instead. Only errors of reaching the database count: a deadlock or a
serialization failure (also an `OperationalError`) stays a 500.
"""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation

from .errors import API_PREFIX

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
MESSAGE = "Backbone cannot reach its database; try again in a minute."
MARK = "_backbone_database_unreachable"
#: SQLSTATEs of a lost or refused connection: class 08 (connection exception), 57P (operator
#: intervention: shutdown, crash, starting up, database dropped), 53300 (too many connections).
UNREACHABLE_SQLSTATES = ("08", "57P", "53300")


def is_unreachable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached (rather than refusing a query)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    # The driver raises errors of connecting without a SQLSTATE; SQLite has none at all.
    return sqlstate is None or sqlstate.startswith(UNREACHABLE_SQLSTATES)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON under /api/, else a page that needs neither the database nor a
    request context."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        # Outside LocaleMiddleware: the reader's language from their cookie or browser.
        with translation.override(translation.get_language_from_request(request)):
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@receiver(got_request_exception, dispatch_uid="backbone.web.unavailable")
def _mark_unreachable(sender, request=None, **kwargs) -> None:
    """Sent while Django handles an exception that no middleware answered: note a lost
    database on the request for the middleware below."""
    if request is not None and is_unreachable(sys.exc_info()[1]):
        setattr(request, MARK, True)


class DatabaseUnavailableMiddleware:
    """First in MIDDLEWARE, so that it sees every other middleware's answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, MARK, False):  # Django has logged the exception
            return database_unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_unreachable(exception):
            return None
        logger.warning(
            "Database unreachable: %s %s answered 503 (%s)",
            request.method,
            request.path,
            str(exception).splitlines()[0] if str(exception) else type(exception).__name__,
        )
        return database_unavailable(request)
