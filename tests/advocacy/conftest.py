"""Small factories for advocacy tests."""

from __future__ import annotations

from datetime import date

from backbone.advocacy import services
from backbone.advocacy.models import Commitment, Policy, PublicWillItem


def make_policy(initiative, title="Universal pre-K", **extra) -> Policy:
    fields = {"level": "local", "body": "City Council", "position": "support", **extra}
    return services.policy_save(policy=Policy(initiative=initiative, title=title, **fields))


def make_item(initiative, kind="event", title="Town hall", reach=100, **extra) -> PublicWillItem:
    fields = {"starts_on": date(2024, 2, 1), **extra}
    item = PublicWillItem(initiative=initiative, kind=kind, title=title, reach=reach, **fields)
    return services.public_will_save(item=item)


def make_commitment(partner, kind="budget", status="committed", **extra) -> Commitment:
    fields = {"description": "Move money", "starts_on": date(2024, 1, 1), **extra}
    return services.commitment_save(
        commitment=Commitment(
            initiative=partner.initiative, partner=partner, kind=kind, status=status, **fields
        )
    )
