"""The webhooks page, for backbone staff: subscriptions (make, pause, rotate the secret,
delete after a confirmation), the latest deliveries with their outcome, and resending one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
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
        raise Http404(_("No such subscription."))
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
        messages.success(request, _("Nothing more goes to %(url)s.") % {"url": subscription.url})
        return redirect("webhooks:subscriptions", initiative.slug)
    return confirm_page(
        request,
        Confirmation(
            question=_("Delete the webhook to %(url)s?") % {"url": subscription.url},
            explanation=_(
                "Nothing more is sent to it, deliveries still waiting are dropped, "
                "and its list of deliveries goes with it. This cannot be undone."
            ),
            button=_("Delete the webhook"),
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
            question=_("Make a new secret for %(url)s?") % {"url": subscription.url},
            explanation=_(
                "The current secret stops signing at once: deliveries from now on, "
                "and those still waiting, are signed with the new one, shown once. Put it in "
                "the receiver straight away."
            ),
            button=_("Make a new secret"),
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
        messages.success(request, _("Events go to %(url)s again.") % {"url": subscription.url})
    else:
        messages.success(
            request,
            _("Paused: nothing goes to %(url)s until resumed.") % {"url": subscription.url},
        )
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
        raise Http404(_("No such delivery."))
    services.delivery_resend(delivery=delivery)
    messages.success(
        request,
        _("“%(event)s” goes to %(url)s again.")
        % {"event": delivery.event.name, "url": delivery.subscription.url},
    )
    return redirect("webhooks:subscriptions", initiative.slug)
