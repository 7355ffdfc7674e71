"""Limits on what can be tried or sent without end: sign-in failures, password resets.

Failed sign-ins are counted by django-axes, per account and per address, each against its
own limit: one office behind one address holds many people, so the address may fail more
often than one account before it waits. A lockout expires by itself; a password reset
lifts the account's at once. Password-reset e-mails are counted here, in the database, so
every server worker sees the same count.
"""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone

from .models import LimitedRequest

LOOPBACK = ("127.0.0.1", "::1")


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from. Through a proxy — one on this machine (the request
    comes over loopback), or one elsewhere that BACKBONE_BEHIND_PROXY vouches for — the last
    X-Forwarded-For entry: the one the proxy itself added. Earlier entries are whatever the
    client sent, so an attacker could choose them. None when there is no address to tell."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded.strip() and (settings.BACKBONE_BEHIND_PROXY or remote in LOOPBACK):
        return _address(forwarded.split(",")[-1]) or remote
    return remote


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def sign_in_name(request: HttpRequest, credentials: dict | None) -> str | None:
    """The e-mail address tried, as the sign-in form reads it: "A@x.org " and "a@x.org" are
    one account, so they share one count."""
    name = (credentials or {}).get("username") or request.POST.get("username")
    return name.strip().lower() if name else None


def failure_limit(request, credentials) -> int:
    """Axes' one limit: the product of the account's and the address's (SignInLimits)."""
    return settings.BACKBONE_SIGN_IN_FAILURES_PER_ACCOUNT * (
        settings.BACKBONE_SIGN_IN_FAILURES_PER_ADDRESS
    )


class SignInLimits(AxesDatabaseHandler):
    """Axes' database handler with a limit per lockout parameter. Axes compares one count
    with one limit; here each parameter's failures within the cool-off are weighed by the
    other's limit, so the product of the two limits (`failure_limit`) is reached exactly
    when the account or the address reaches its own."""

    def get_failures(self, request, credentials=None) -> int:
        weights = {
            "username": settings.BACKBONE_SIGN_IN_FAILURES_PER_ADDRESS,
            "ip_address": settings.BACKBONE_SIGN_IN_FAILURES_PER_ACCOUNT,
        }
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        return max(
            (found.aggregate(n=Sum("failures_since_start"))["n"] or 0) * weights[parameter]
            for parameter, found in zip(parameters, attempts, strict=True)
        )


def locked_out(request: HttpRequest, original_response=None, credentials=None):
    """The sign-in page again, saying why and until when, with the way out (a password
    reset), answered 429."""
    from .forms import SignInForm

    minutes = settings.BACKBONE_SIGN_IN_COOL_OFF_MINUTES
    context = {
        "form": SignInForm(request),
        "next": request.POST.get("next", ""),
        "locked_minutes": minutes,
    }
    return render(request, "accounts/login.html", context, status=429)


def _digest(text: str) -> str:
    """What is kept of an e-mail address or a network address: enough to count, no more."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{text}".encode()).hexdigest()


def within_limit(kind: str, key: str, *, limit: int, per: timedelta) -> bool:
    """Count one more request of `kind` for `key`; False when there were already `limit`
    within `per`. Requests past the window are forgotten as new ones come."""
    now = timezone.now()
    digest = _digest(f"{kind}:{key}")
    LimitedRequest.objects.filter(kind=kind, at__lt=now - per).delete()
    if LimitedRequest.objects.filter(kind=kind, key=digest, at__gte=now - per).count() >= limit:
        return False
    LimitedRequest.objects.create(kind=kind, key=digest, at=now)
    return True
