"""A person's notifications, their choices, and the one-click unsubscribe of e-mails."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import PreferencesForm


@login_required
def inbox(request):
    page = selectors.notifications_page(request.user, request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def read_all(request):
    services.mark_read(person=request.user)
    messages.success(request, _("Every notification is marked read."))
    return redirect("notifications:inbox")


@login_required
def open_one(request, pk: int):
    """Mark it read and go to the page that deals with it."""
    notification = selectors.notification_of(request.user, pk)
    services.mark_read(person=request.user, ids=[notification.pk])
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None)
    return redirect(notification.url if safe else "notifications:inbox")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.chosen().items():
            services.preference_set(person=request.user, kind=kind, delivery=delivery)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


@csrf_exempt  # mail clients post the one-click unsubscribe (RFC 8058); the token is the key
def unsubscribe(request, token: str):
    try:
        person, topic = services.unsubscribe_read(token)
    except services.BadToken as e:
        raise Http404(str(e)) from e
    done = request.method == "POST"
    if done:
        services.unsubscribe(person, topic)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"topic": services.topic_label(topic), "done": done, "token": token},
    )
