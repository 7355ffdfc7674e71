"""Reads about people and their own tokens, for the accounts pages."""

from __future__ import annotations

import uuid

from django.http import Http404

from .models import Person, PersonalToken


def account_exists(email: str) -> bool:
    return Person.objects.filter(email__iexact=email).exists()


def active_person(pk) -> Person | None:
    return Person.objects.filter(pk=pk, is_active=True).first()


def own_personal_token(person: Person, token) -> PersonalToken:
    """One of the person's own tokens, or 404 (another's answers the same)."""
    try:
        key = uuid.UUID(str(token))
    except ValueError as exc:
        raise Http404("No such token.") from exc
    return (
        PersonalToken.objects.filter(person=person)
        .select_related("initiative", "person")
        .one(uuid=key)
    )
