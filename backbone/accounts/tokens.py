"""Personal tokens: a person's own key to the REST API, in one initiative.

A personal token acts as the person who made it, with the roles they hold in its initiative
(read at every request, so a changed role applies at once), and as no one anywhere else. It
stops working when revoked, and when they hold no role there any more (the removal of their
last role revokes it, and a token whose person holds none is refused meanwhile). As with a
partner's token (backbone.measurement.tokens), it is shown once: only its SHA-256 hash and
its first eight characters are kept, and making and revoking one is in the audit trail.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from backbone import audit
from backbone.audit.models import Action
from backbone.initiatives.models import Initiative, Membership, hash_token
from backbone.permissions import Standing, pin_standing, standing

from .models import Person, PersonalToken

TOKEN_PREFIX = "bbp_"
PREFIX_LENGTH = 8
LAST_USED_EVERY = timedelta(minutes=1)


def _state(token: PersonalToken) -> dict:
    return {"name": token.name, "prefix": token.prefix, "kind": "personal"}


def may_hold_token(person: Person, initiative: Initiative) -> bool:
    """Whether `person` holds a role in `initiative`, which a personal token there needs."""
    return Membership.objects.filter(initiative=initiative, person=person).exists()


@transaction.atomic
def personal_token_create(
    *, person: Person, initiative: Initiative, name: str
) -> tuple[PersonalToken, str]:
    """A new token of `person` in `initiative`; returns it with the raw token, never kept.
    The caller checks that the person holds a role there (`may_hold_token`)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalToken.objects.create(
        initiative=initiative,
        person=person,
        name=name.strip()[:100],
        prefix=raw[:PREFIX_LENGTH],
        token_hash=hash_token(raw),
    )
    audit.record(
        initiative=initiative,
        by=person,
        action=Action.TOKEN_CREATED,
        person=person,
        subject=f"Personal token {token}",
        after=_state(token),
    )
    return token, raw


@transaction.atomic
def personal_token_revoke(
    *, token: PersonalToken, by: Person | None = None, reason: str = ""
) -> PersonalToken:
    """Stop a token from working, for good; revoking twice keeps the first date."""
    now = timezone.now()
    if PersonalToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
        after = {"revoked_at": now.isoformat(timespec="seconds")}
        audit.record(
            initiative=token.initiative,
            by=by,
            action=Action.TOKEN_REVOKED,
            person=token.person,
            subject=f"Personal token {token}",
            before=_state(token),
            after=after | ({"reason": reason} if reason else {}),
        )
    else:
        token.refresh_from_db(fields=["revoked_at"])
    return token


def personal_tokens_revoke_all(*, initiative: Initiative, person: Person, by, reason: str) -> int:
    """Revoke every working token of `person` in `initiative` (their last role there went)."""
    found = list(
        PersonalToken.objects.filter(
            initiative=initiative, person=person, revoked_at__isnull=True
        ).select_related("initiative", "person")
    )
    for token in found:
        personal_token_revoke(token=token, by=by, reason=reason)
    return len(found)


def personal_tokens_of(person: Person):
    """The person's tokens, newest first, with their initiatives."""
    return PersonalToken.objects.filter(person=person).select_related("initiative")


class PersonalTokenHolder:
    """Whoever presents a personal token, as `backbone.permissions` sees them: its person,
    with the roles they hold in the token's initiative, and no one in any other."""

    is_authenticated = True
    is_anonymous = False
    is_active = True

    def __init__(self, token: PersonalToken, standing_here: Standing):
        self.token = token
        self.person = token.person
        self.is_superuser = standing_here.is_platform_admin
        pin_standing(self, standing_here)

    @property
    def pk(self) -> None:  # never a person in the database: `person` is
        return None

    def __str__(self) -> str:
        return f"{self.person} (personal token {self.token.prefix}…)"


def personal_token_authenticate(raw: str) -> PersonalTokenHolder | None:
    """Who presents `raw`: None when it is unknown or revoked, or its person is inactive or
    holds no role in its initiative any more. Notes when it was last used, at most once a
    minute."""
    raw = (raw or "").strip()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        PersonalToken.objects.select_related("initiative", "person")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.person.is_active:
        return None
    here = standing(token.person, token.initiative)
    if not here.roles:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return PersonalTokenHolder(token, here)
