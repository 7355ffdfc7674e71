"""Writes: each checks the same rules the forms show, so no path saves bad data."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.revisions import revise

from .models import Commitment, CommitmentUpdate, Policy, PolicyEvent, PublicWillItem


def owner_problem(*, initiative: Initiative, person: Any) -> str | None:
    """The owner of a next step must hold a role in the initiative, or nobody will see it."""
    if person is None:
        return None
    if not Membership.objects.filter(initiative=initiative, person=person).exists():
        return "The owner of the next step must be a person of this initiative."
    return None


def dates_problem(*, kind: str, starts_on: date | None, ends_on: date | None) -> dict:
    """Only campaigns last; a campaign cannot end before it starts."""
    if ends_on is None or starts_on is None:
        return {}
    if kind != PublicWillItem.Kind.CAMPAIGN:
        return {"ends_on": "Only a campaign has an end date."}
    if ends_on < starts_on:
        return {"ends_on": "A campaign cannot end before it starts."}
    return {}


def reach_problem(*, reach: int | None) -> str | None:
    if reach is not None and reach < 0:
        return "Reach is a count of people: zero or more."
    return None


def _check(obj, problems: dict) -> None:
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        raise ValidationError(problems)
    obj.full_clean()


@transaction.atomic
def policy_save(*, policy: Policy, by=None, read_revision: int | None = None) -> Policy:
    """Create or change a policy; a change is refused (EditConflict) when the policy was
    saved since the form was read at `read_revision`."""
    _check(
        policy,
        {
            "next_step_owner": owner_problem(
                initiative=policy.initiative, person=policy.next_step_owner
            )
        },
    )
    revise(policy, read=read_revision, by=by)
    policy.save()
    return policy


@transaction.atomic
def policy_event_add(
    *, policy: Policy, happened_on: date, description: str, status_after: str = "", by=None
) -> PolicyEvent:
    """An event with a status moves the policy there; the status it left is kept on it."""
    event = PolicyEvent(
        initiative_id=policy.initiative_id,
        policy=policy,
        happened_on=happened_on,
        description=description,
        status_before=policy.status,
        status_after=status_after,
        recorded_by=by,
    )
    event.full_clean()
    event.save()
    if status_after and status_after != policy.status:
        revise(policy, read=None, by=by)
        policy.status = status_after
        policy.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def public_will_save(
    *, item: PublicWillItem, by=None, read_revision: int | None = None
) -> PublicWillItem:
    problems = dates_problem(kind=item.kind, starts_on=item.starts_on, ends_on=item.ends_on)
    problems["reach"] = reach_problem(reach=item.reach)
    _check(item, problems)
    revise(item, read=read_revision, by=by)
    item.save()
    return item


@transaction.atomic
def commitment_save(
    *, commitment: Commitment, by=None, read_revision: int | None = None
) -> Commitment:
    partner: Partner = commitment.partner
    if partner.initiative_id != commitment.initiative_id:
        raise ValidationError({"partner": "That organisation is not a partner here."})
    commitment.full_clean()
    revise(commitment, read=read_revision, by=by)
    commitment.save()
    return commitment


@transaction.atomic
def commitment_update_add(
    *, commitment: Commitment, on: date, text: str, by=None, status: str = ""
) -> CommitmentUpdate:
    """A progress report, optionally moving the commitment's status with it."""
    update = CommitmentUpdate(
        initiative_id=commitment.initiative_id, commitment=commitment, on=on, text=text, by=by
    )
    update.full_clean()
    update.save()
    if status and status != commitment.status:
        revise(commitment, read=None, by=by)
        commitment.status = status
        commitment.full_clean()
        commitment.save(update_fields=["status"])
    return update
