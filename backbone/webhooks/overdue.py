"""The periodic check behind `action_item.overdue`: open action items past their due date,
each announced once per due date, in initiatives with a subscription to the event."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from backbone import webhooks
from backbone.communication.models import ActionItem

from . import payloads
from .models import Event, Subscription


def overdue_announce(*, today: date) -> int:
    initiative_ids = {
        s.initiative_id
        for s in Subscription.objects.filter(is_active=True)
        if s.wants(webhooks.ACTION_ITEM_OVERDUE)
    }
    if not initiative_ids:
        return 0
    overdue = (
        ActionItem.objects.filter(
            initiative_id__in=initiative_ids,
            status=ActionItem.Status.OPEN,
            due_on__lt=today,
        )
        .select_related("initiative", "meeting")
        .order_by("due_on", "pk")
    )
    told = set(
        Event.objects.filter(
            initiative_id__in=initiative_ids, name=webhooks.ACTION_ITEM_OVERDUE
        ).values_list("once_key", flat=True)
    )
    announced = 0
    for item in overdue:
        key = f"action_item.overdue:{item.uuid}:{item.due_on.isoformat()}"
        if key in told:
            continue
        with transaction.atomic():
            announced += bool(
                webhooks.announce(
                    item.initiative,
                    webhooks.ACTION_ITEM_OVERDUE,
                    payloads.action_item(item),
                    once_key=key,
                )
            )
    return announced
