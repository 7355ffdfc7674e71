"""Callers of the API, one per way in: the cast's sessions, no one, and tokens (a partner's,
a personal one, a revoked one, one of another initiative). `call(who, method, path, body)`."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from backbone.accounts.tokens import personal_token_create, personal_token_revoke
from backbone.measurement.tokens import token_create
from tests.conftest import client_as

SESSIONS = [
    "anonymous",
    "public",
    "community",
    "member_a",
    "steward_a",
    "steward_b",
    "funder",
    "evaluator",
    "staff",
    "other_staff",
]
TOKENS = ["partner_token", "personal_token", "revoked_token", "other_initiative_token"]
EVERYONE = SESSIONS + TOKENS
#: The callers a members' page or API answers at all (the rest get 404, a revoked token 401):
#: the initiative's members by role, partner A's token and steward A's personal token.
MEMBERS = frozenset(
    {
        "community",
        "member_a",
        "steward_a",
        "steward_b",
        "funder",
        "evaluator",
        "staff",
        "partner_token",
        "personal_token",
    }
)


@pytest.fixture
def tokens(cast) -> dict[str, str]:
    """partner_token: partner A's (made by steward A); personal_token: steward A's own;
    revoked_token: staff's personal token, revoked; other_initiative_token: other_staff's
    personal token in the other initiative."""
    _, partner = token_create(partner=cast.partner_a, name="sync", by=cast.steward_a)
    _, personal = personal_token_create(
        person=cast.steward_a, initiative=cast.initiative, name="mine"
    )
    revoked, revoked_raw = personal_token_create(
        person=cast.staff, initiative=cast.initiative, name="old"
    )
    personal_token_revoke(token=revoked, by=cast.staff)
    _, other = personal_token_create(
        person=cast.other_staff, initiative=cast.other_initiative, name="lakeside"
    )
    return {
        "partner_token": partner,
        "personal_token": personal,
        "revoked_token": revoked_raw,
        "other_initiative_token": other,
    }


@pytest.fixture
def call(cast, tokens):
    def send(who: str, method: str, path: str, body=None, **query):
        if who in tokens:
            client, headers = Client(), {"Authorization": f"Bearer {tokens[who]}"}
        else:
            client, headers = client_as(cast.person(who)), {}
        kwargs = {"headers": headers}
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        elif query:
            kwargs["data"] = query
        return getattr(client, method)(path, **kwargs)

    return send
