"""Webhooks: backbone staff subscribe an address to events of their initiative; each event
is announced in the transaction of the change, and the worker sends it, signed, retrying
with back-off (backbone.webhooks.sending).

Services announce with one call, in their transaction::

    from backbone import webhooks
    webhooks.announce(initiative, webhooks.SUBMISSION_APPROVED, payloads.submission(s))
"""

from __future__ import annotations

from typing import Any

SUBMISSION_APPROVED = "submission.approved"
SUBMISSION_RETURNED = "submission.returned"
DECISION_TAKEN = "decision.taken"
AGENDA_PUBLISHED = "agenda.published"
ACTION_ITEM_OVERDUE = "action_item.overdue"


def announce(initiative: Any, event: str, data: dict, *, once_key: str = "") -> list:
    """Record `event` for every active subscription to it: one delivery each, sent once the
    caller's transaction commits. `data` holds identifiers and status only."""
    from .services import announce as _announce  # the models load after the app registry

    return _announce(initiative=initiative, event=event, data=data, once_key=once_key)
