"""Reads of dashboards and of the API from a read replica (BACKBONE_REPLICA_URL).

Those are most of a network's reads and none of its writes. The rest stays on the primary:
every write, every page that may write, and anything a just-made change must show at once.
Sessions, accounts and sign-in limits are read on the primary always — a session saved a
moment ago may not have reached the replica yet. Someone who has just changed something
reads the primary for a few seconds (a cookie, no query), so their own change never seems
lost while the replica catches up.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
WROTE_COOKIE = "backbone_wrote"
#: The pages whose reads may come from the replica: dashboards and the API.
REPLICA_PATHS = re.compile(r"^/(api/|i/[^/]+/scorecard/)")
#: Apps whose rows must be read as just written: sessions, people, sign-in state, tasks.
PRIMARY_APPS = frozenset(
    {"sessions", "accounts", "auth", "axes", "otp_totp", "otp_static", "django_tasks_database"}
)

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def reads_from_replica(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and WROTE_COOKIE not in request.COOKIES
        and bool(REPLICA_PATHS.match(request.path))
    )


class ReplicaRouter:
    """Sends the reads of a replica request to the replica, all else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and model._meta.app_label not in PRIMARY_APPS:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReadFromReplica:
    """Marks the requests whose reads may use the replica; after a change, the browser
    reads the primary for BACKBONE_REPLICA_LAG_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reading_replica.set(reads_from_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _reading_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            response.set_cookie(
                WROTE_COOKIE,
                "1",
                max_age=settings.BACKBONE_REPLICA_LAG_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
