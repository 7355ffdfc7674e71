"""Asking before a destructive action, the one way Backbone does it: the action's own address
answers GET with a page that says what is lost, and only that page's form posts the action.
It needs no JavaScript, a keyboard or a screen reader meets it like any page, and a stray click
on a list never deletes anything."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Confirmation:
    question: str  # "Withdraw the invitation to ana@example.org?"
    explanation: str  # what is lost, and whether it can be undone
    button: str  # names the action, never just "OK": "Withdraw the invitation"
    cancel_url: str
    fields: tuple[tuple[str, str], ...] = ()  # posted with the button, e.g. which token
    action: str = ""  # where the form posts; the page's own address (without query) if empty


def confirm_page(
    request: HttpRequest, confirmation: Confirmation, *, status: int = 200, **context
) -> HttpResponse:
    """The confirmation page; `context` adds what base.html needs (initiative, section)."""
    if not confirmation.action:
        confirmation = Confirmation(**{**confirmation.__dict__, "action": request.path})
    return render(request, "web/confirm.html", {"confirm": confirmation, **context}, status=status)
