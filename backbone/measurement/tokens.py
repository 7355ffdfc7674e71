"""API tokens: a partner organisation's key to the REST API.

A token is shown once, when it is made; only its SHA-256 hash and its first eight characters
(to recognise it in a list) are kept. A token acts as its partner organisation: it may read
what the organisation's own members may read and report for the organisation while it is an
active partner — the rules in backbone.permissions decide, exactly as for a partner member.
A token works only in its own initiative, and never again once revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from backbone import audit
from backbone.audit.models import Action
from backbone.initiatives.models import Partner
from backbone.permissions import partner_token_standing, pin_standing

from .models import ApiToken

TOKEN_PREFIX = "bbk_"
PREFIX_LENGTH = 8
LAST_USED_EVERY = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, partner: Partner, name: str, by) -> tuple[ApiToken, str]:
    """A new token for `partner`; returns it with the raw token, which is never kept.
    The caller checks "tokens.manage" for the partner."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        initiative_id=partner.initiative_id,
        partner=partner,
        name=name.strip()[:100],
        prefix=raw[:PREFIX_LENGTH],
        token_hash=token_hash(raw),
        created_by=by,
    )
    audit.record(
        initiative=partner.initiative,
        by=by,
        action=Action.TOKEN_CREATED,
        organisation=partner.organisation,
        subject=str(token),
        after=_state(token),
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by=None, reason: str = "") -> ApiToken:
    """Stop a token from working, for good. Revoking twice keeps the first date (and the
    audit trail its first revocation). `by`: who revokes, for the audit trail."""
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
        after = {"revoked_at": token.revoked_at.isoformat(timespec="seconds")}
        audit.record(
            initiative=token.initiative,
            by=by,
            action=Action.TOKEN_REVOKED,
            organisation=token.partner.organisation,
            subject=str(token),
            before=_state(token),
            after=after | ({"reason": reason} if reason else {}),
        )
    else:
        token.refresh_from_db(fields=["revoked_at"])
    return token


def _state(token: ApiToken) -> dict:
    return {"name": token.name, "prefix": token.prefix}


def token_authenticate(raw: str) -> ApiToken | None:
    """The valid, unrevoked token `raw` is, or None. Notes when it was last used, at most
    once a minute so that a busy client does not write on every request."""
    raw = (raw or "").strip()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("initiative", "partner__organisation", "created_by")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(partners) -> list[ApiToken]:
    """The tokens of these partners, newest first, with who made them."""
    return list(
        ApiToken.objects.filter(partner__in=partners).select_related(
            "created_by", "partner__organisation"
        )
    )


class TokenHolder:
    """Whoever presents a token, as `backbone.permissions` sees them: a member of the token's
    partner organisation in the token's initiative, and no one anywhere else. Pass it where a
    person is expected (`can`, `initiative_for`); `token` and `person` say who is behind it."""

    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_active = True

    def __init__(self, token: ApiToken):
        self.token = token
        self.person = token.created_by
        self.partner = token.partner
        pin_standing(self, partner_token_standing(token.initiative, token.partner.organisation_id))

    @property
    def pk(self) -> None:  # never a person in the database
        return None

    def __str__(self) -> str:
        return f"API token {self.token.name} ({self.token.prefix}…)"
