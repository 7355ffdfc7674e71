"""The webhooks page, for backbone staff: subscriptions (make, pause, rotate the secret,
delete after a confirmation), the latest deliveries with their outcome, and resending one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from backbone.initiatives.models import Initiative
from backbone.permissions import initiative_for
from backbone.web.confirm import Confirmation, confirm_page

from . import services
from .forms import SubscriptionForm
from .models import MAX_ATTEMPTS, RETRY_AFTER, Delivery, Subscription

RECENT = 50


def _subscription(initiative: Initiative, uuid) -> Subscription:
    found = Subscription.objects.of(initiative).filter(uuid=uuid).first()
    if found is None:
        raise Http404("No such subscription.")
    return found


def _page(request, initiative: Initiative, *, form=None, secret_of=None, status=200):
    deliveries = (
        Delivery.objects.of(initiative)
        .select_related("subscription", "event")
        .order_by("-created_at", "-pk")[:RECENT]
    )
    response = render(
        request,
        "webhooks/subscriptions.html",
        {
            "initiative": initiative,
            "section": "webhooks",
            "form": form or SubscriptionForm(),
            "subscriptions": Subscription.objects.of(initiative).select_related("created_by"),
            "deliveries": deliveries,
            "recent": RECENT,
            "secret_of": secret_of,
            "max_attempts": MAX_ATTEMPTS,
            "waits": RETRY_AFTER,
        },
        status=status,
    )
    if secret_of is not None:
        response["Cache-Control"] = "no-store"  # the secret is on this page, once
    return response


@login_required
def subscriptions(request, slug):
    initiative = initiative_for(request.user, slug, "webhooks.manage")
    if request.method != "POST":
        return _page(request, initiative)
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _page(request, initiative, form=form, status=422)
    made = services.subscription_create(
        initiative=initiative,
        by=request.user,
        url=form.cleaned_data["url"],
        events=form.cleaned_data["events"],
        description=form.cleaned_data["description"],
    )
    return _page(request, initiative, secret_of=made)


@login_required
def subscription_delete(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "webhooks.manage")
    subscription = _subscription(initiative, uuid)
    if request.method == "POST":
        services.subscription_delete(subscription=subscription)
        messages.success(request, f"Nothing more goes to {subscription.url}.")
        return redirect("webhooks:subscriptions", initiative.slug)
    return confirm_page(
        request,
        Confirmation(
            question=f"Delete the webhook to {subscription.url}?",
            explanation="Nothing more is sent to it, deliveries still waiting are dropped, "
            "and its list of deliveries goes with it. This cannot be undone.",
            button="Delete the webhook",
            cancel_url=reverse("webhooks:subscriptions", args=[initiative.slug]),
        ),
        initiative=initiative,
        section="webhooks",
    )


@login_required
def subscription_rotate(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "webhooks.manage")
    subscription = _subscription(initiative, uuid)
    if request.method == "POST":
        services.subscription_rotate(subscription=subscription)
        return _page(request, initiative, secret_of=subscription)
    return confirm_page(
        request,
        Confirmation(
            question=f"Make a new secret for {subscription.url}?",
            explanation="The current secret stops signing at once: deliveries from now on, "
            "and those still waiting, are signed with the new one, shown once. Put it in "
            "the receiver straight away.",
            button="Make a new secret",
            cancel_url=reverse("webhooks:subscriptions", args=[initiative.slug]),
        ),
        initiative=initiative,
        section="webhooks",
    )


@login_required
@require_POST
def subscription_active(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "webhooks.manage")
    subscription = _subscription(initiative, uuid)
    active = request.POST.get("active") == "1"
    services.subscription_set_active(subscription=subscription, active=active)
    if active:
        messages.success(request, f"Events go to {subscription.url} again.")
    else:
        messages.success(request, f"Paused: nothing goes to {subscription.url} until resumed.")
    return redirect("webhooks:subscriptions", initiative.slug)


@login_required
@require_POST
def delivery_resend(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "webhooks.manage")
    delivery = (
        Delivery.objects.of(initiative)
        .filter(uuid=uuid)
        .select_related("subscription", "event")
        .first()
    )
    if delivery is None:
        raise Http404("No such delivery.")
    services.delivery_resend(delivery=delivery)
    messages.success(request, f"“{delivery.event.name}” goes to {delivery.subscription.url} again.")
    return redirect("webhooks:subscriptions", initiative.slug)
