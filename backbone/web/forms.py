"""What every form view does with a service's refusal."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    that field, on the whole form otherwise."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


def saved(form: forms.Form, save: Callable[[], object]) -> bool:
    """Run a service; when it refuses, its errors land on the form and nothing is saved
    (services write in one transaction)."""
    try:
        save()
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    return True
