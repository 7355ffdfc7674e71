"""The audit trail of who may do what (PRODUCT.md §14, "Operating it").

Each service that changes a role, an invitation, an API token, a reporting period or a value
of a closed period calls `record(...)` once, inside its own transaction: the change and its
event are written together or not at all."""

from __future__ import annotations

from typing import Any


def record(
    *,
    initiative: Any,
    by: Any,
    action: str,
    person: Any = None,
    organisation: Any = None,
    subject: str = "",
    before: dict | None = None,
    after: dict | None = None,
):
    """Add one event. `by` is whoever acted: a person, a token holder (the token's maker is
    recorded) or no one (None, an anonymous visitor)."""
    from .models import AuditEvent

    return AuditEvent.objects.create(
        initiative=initiative,
        actor=_person(by),
        action=action,
        person=person,
        organisation=organisation,
        subject=subject[:200],
        before=before,
        after=after,
    )


def _person(by: Any):
    if by is None or getattr(by, "pk", None) is not None:
        return by
    return getattr(by, "person", None)  # a token holder; an anonymous visitor has none
