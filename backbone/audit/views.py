"""The audit trail's page, for backbone staff: newest first, by action."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone.initiatives.roles import Role
from backbone.permissions import initiative_for

from .models import Action, AuditEvent

PAGE_SIZE = 50
ROLE_LABELS = dict(Role.choices)
#: The names of what an event's before and after states hold, as a person reads them.
STATE_LABELS = {
    "role": _("role"),
    "organisation": _("organisation"),
    "email": _("e-mail address"),
    "expires_at": _("expires"),
    "name": _("name"),
    "prefix": _("prefix"),
    "kind": _("kind"),
    "revoked_at": _("revoked"),
    "reason": _("reason"),
    "status": _("status"),
}


class ActionFilter(forms.Form):
    action = forms.ChoiceField(
        choices=[("", _("Every action")), *Action.choices],
        required=False,
        label=pgettext_lazy("an event of the audit trail", "Action"),
    )


def described(state: dict | None) -> list[tuple[str, str]]:
    """A before or after state as (name, value) pairs a person reads: roles by their label."""
    if not state:
        return []
    pairs = []
    for name, value in state.items():
        if name == "role":
            value = ROLE_LABELS.get(value, value)
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif value is None or value == "":
            value = "—"
        pairs.append((str(STATE_LABELS.get(name, name.replace("_", " "))), str(value)))
    return pairs


@login_required
def events(request, slug):
    initiative = initiative_for(request.user, slug, "audit.view")
    form = ActionFilter(request.GET or None)
    found = AuditEvent.objects.of(initiative).select_related("actor", "person", "organisation")
    action = form.cleaned_data["action"] if form.is_valid() else ""
    if action:
        found = found.filter(action=action)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.before_pairs = described(event.before)
        event.after_pairs = described(event.after)
    return render(
        request,
        "audit/events.html",
        {
            "initiative": initiative,
            "section": "audit",
            "form": form,
            "page": page,
            "action": action,
        },
    )
