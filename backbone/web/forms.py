"""What every form view does with a service's refusal, and how an edit form notices that
someone else saved the row since it was read (backbone.revisions)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from backbone.revisions import EditConflict

REVISION = "revision"  # the hidden input with the revision the form was read at
READ = "revision_read"  # and the one with a digest of each field as it was shown


class Versioned(Protocol):
    """What an edit form is read at: a row's revision (backbone.revisions.Revised), or the
    version of many rows (a partner's report, measurement.versions.report_revision)."""

    revision: int


@dataclass
class Tracked:
    """An edit form's hidden inputs, and after a refusal what the other person saved."""

    revision_name: str
    read_name: str
    revision: int  # what the form carries: the revision its values were read at
    read: str
    posted: int | None  # the revision the person's form was read at, when posted
    stored: dict[str, str]  # digest of each field as the row stands for this request
    stored_revision: int
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, theirs, yours
    conflict: bool = False


def track(form: forms.Form, obj: Versioned | None) -> forms.Form:
    """Make `form` an edit form of `obj` that carries the revision it was read at, and a
    digest of each field as shown, in hidden inputs (web/_revision.html). Nothing to track
    for a form that creates (`obj` None). Returns the form."""
    if obj is None:
        return form
    stored = {name: _digest(form[name].initial) for name in form.fields}
    names = form.add_prefix(REVISION), form.add_prefix(READ)
    posted = _whole(form.data.get(names[0])) if form.is_bound else None
    form.tracked = Tracked(
        revision_name=names[0],
        read_name=names[1],
        revision=obj.revision if posted is None else posted,
        read=form.data.get(names[1], "") if posted is not None else _pack(stored),
        posted=posted,
        stored=stored,
        stored_revision=obj.revision,
    )
    return form


def read_revision(form: forms.Form) -> int | None:
    """The revision the posted form was read at, for the service; None when it did not say
    (a form that creates, or a script posting without it)."""
    tracked = getattr(form, "tracked", None)
    return tracked.posted if tracked else None


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    that field, on the whole form otherwise. A refusal for a save made meanwhile also shows
    what was saved (`_show_conflict`)."""
    if isinstance(exc, EditConflict):
        _show_conflict(form)
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


def _show_conflict(form: forms.Form) -> None:
    """List the fields whose stored value differs from what the form was read with: what
    is stored now beside what the person typed, which stays in the form. The form then
    carries the revision of those stored values, so saving it again saves over them."""
    tracked = getattr(form, "tracked", None)
    if tracked is None:
        return
    read = _unpack(form.data.get(tracked.read_name, ""))
    for name, digest in tracked.stored.items():
        bound = form[name]
        if read.get(name) == digest or bound.is_hidden or isinstance(bound.field, forms.FileField):
            continue
        theirs, yours = _text(bound.field, bound.initial), _text(bound.field, bound.value())
        if name in read or theirs != yours:
            tracked.changes.append((str(bound.label), theirs, yours))
    tracked.conflict = True
    tracked.revision, tracked.read = tracked.stored_revision, _pack(tracked.stored)


def _plain(value) -> str | list:
    """A field's value as comparable text: a chosen row by its key, many values sorted."""
    if isinstance(value, list | tuple | set | frozenset | QuerySet):
        return sorted(str(_plain(v)) for v in value)
    if isinstance(value, Model):
        return str(value.pk)
    return "" if value is None else str(value)


def _digest(value) -> str:
    return hashlib.blake2b(json.dumps(_plain(value)).encode(), digest_size=5).hexdigest()


def _pack(digests: dict[str, str]) -> str:
    return " ".join(f"{name}:{digest}" for name, digest in digests.items())


def _unpack(text: str) -> dict[str, str]:
    return dict(part.split(":", 1) for part in text.split() if ":" in part)


def _whole(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def _labels(choices: Iterable) -> Iterable[tuple[str, str]]:
    for key, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            yield from _labels(label)
        else:
            yield str(key), str(label)


def _text(field: forms.Field, value) -> str:
    """A value as a person reads it: labels for choices, as the input would show it else."""
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    plain = _plain(value)
    if plain in ("", []):
        return _("(empty)")
    if getattr(field, "choices", None) is not None:
        labels = dict(_labels(field.choices))
        chosen = plain if isinstance(plain, list) else [plain]
        return ", ".join(str(labels.get(v, v)) for v in chosen)
    return str(field.widget.format_value(field.prepare_value(value)))
