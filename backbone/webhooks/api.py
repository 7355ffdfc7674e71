"""Webhooks over the REST API, for backbone staff (a signed-in session): list, make and
delete subscriptions, rotate a secret, and read deliveries with their outcome. The secret is
in the answer of the POST that makes it (or rotates it) and never again. Others who see the
initiative get 403; those who do not, 404.
"""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as Refused
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, initiative_of, signed_in_only
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative

from . import services
from .models import Delivery, Subscription

router = Router(tags=["webhooks"], auth=signed_in_only)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
EventChoice = Literal[  # EventName's values (a test keeps them in step)
    "submission.approved",
    "submission.returned",
    "decision.taken",
    "agenda.published",
    "action_item.overdue",
]
REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
BASE = "/initiatives/{slug}/webhooks"


class SubscriptionOut(Schema):
    uuid: UUID
    url: str
    description: str
    events: list[EventChoice]
    is_active: bool
    created_at: datetime
    secret_rotated_at: datetime | None


class SubscriptionWithSecretOut(SubscriptionOut):
    secret: str = Field(
        description="Signs every delivery (X-Backbone-Signature). Shown in this answer only."
    )


class SubscriptionIn(Schema):
    url: Annotated[str, StringConstraints(max_length=500)] = Field(
        description="https://, or http:// to a loopback or private address where allowed."
    )
    events: list[EventChoice] = Field(min_length=1)
    description: Annotated[str, StringConstraints(max_length=200)] = ""


class DeliveryOut(Schema):
    uuid: UUID
    subscription: UUID
    event: EventChoice
    event_id: UUID = Field(description="The payload's `id`; the same for a delivery sent again.")
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str
    created_at: datetime

    @staticmethod
    def resolve_subscription(obj: Delivery) -> UUID:
        return obj.subscription.uuid

    @staticmethod
    def resolve_event(obj: Delivery) -> str:
        return obj.event.name

    @staticmethod
    def resolve_event_id(obj: Delivery) -> UUID:
        return obj.event.uuid


def _initiative(request: HttpRequest, slug: str) -> Initiative:
    return initiative_of(request, slug, "webhooks.manage")


def _subscription(initiative: Initiative, uuid: UUID) -> Subscription:
    found = Subscription.objects.of(initiative).filter(uuid=uuid).first()
    if found is None:
        raise Http404("No such subscription.")
    return found


def _refused(exc: Refused) -> ValidationError:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"url": exc.messages}
    return ValidationError(
        [
            {"type": "refused", "loc": ["body", name], "msg": message}
            for name, messages in fields.items()
            for message in messages
        ]
    )


@router.get(BASE, response={200: list[SubscriptionOut], **REFUSALS})
@paginate(Page)
def list_webhooks(request: HttpRequest, slug: Slug):
    """The initiative's subscriptions, oldest first (their secrets are never shown again)."""
    return Subscription.objects.of(_initiative(request, slug)).order_by("created_at", "pk")


@router.post(BASE, response={201: SubscriptionWithSecretOut, **REFUSALS})
def create_webhook(request: HttpRequest, slug: Slug, payload: SubscriptionIn):
    """Subscribe an address to events. Keep the `secret` of the answer: it is shown once."""
    initiative = _initiative(request, slug)
    try:
        made = services.subscription_create(
            initiative=initiative,
            by=caller(request).by,
            url=payload.url,
            events=list(payload.events),
            description=payload.description,
        )
    except Refused as exc:
        raise _refused(exc) from exc
    return Status(201, made)


@router.delete(BASE + "/{uuid:uuid}", response={204: None, **REFUSALS})
def delete_webhook(request: HttpRequest, slug: Slug, uuid: UUID):
    """Delete a subscription and its deliveries; nothing more is sent to it."""
    subscription = _subscription(_initiative(request, slug), uuid)
    services.subscription_delete(subscription=subscription)
    return Status(204, None)


@router.post(BASE + "/{uuid:uuid}/rotate", response={200: SubscriptionWithSecretOut, **REFUSALS})
def rotate_webhook_secret(request: HttpRequest, slug: Slug, uuid: UUID):
    """A new secret, shown in this answer only; the old one stops signing at once."""
    subscription = _subscription(_initiative(request, slug), uuid)
    return services.subscription_rotate(subscription=subscription)


@router.get(BASE + "/deliveries", response={200: list[DeliveryOut], **REFUSALS})
@paginate(Page)
def list_webhook_deliveries(
    request: HttpRequest,
    slug: Slug,
    subscription: UUID | None = None,
    status: Literal["pending", "delivered", "failed"] | None = None,
):
    """Deliveries, newest first, with their outcome: the last answer's status code or error."""
    initiative = _initiative(request, slug)
    found = Delivery.objects.of(initiative).select_related("subscription", "event")
    if subscription:
        found = found.filter(subscription=_subscription(initiative, subscription))
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")
