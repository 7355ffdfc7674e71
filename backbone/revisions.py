"""No lost updates: an edit saved over a newer one is refused, not written.

Each row people edit through a form counts its saves in `revision`. The form carries the
revision it was read at (backbone.web.forms.track); the service claims the next revision
with one conditional UPDATE, `… WHERE pk = … AND revision = <read>`, in its transaction and
before it writes. Of two saves read at the same revision only one can match: the other
updates no row and is refused with EditConflict, which names who saved meanwhile and when.
The UPDATE holds the row until the transaction ends, so the check and the write are one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class Revised(models.Model):
    """How many times the row was saved through a service, by whom last, and when."""

    revision = models.PositiveIntegerField(default=0, editable=False)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Saved(Protocol):
    """Who saved last and when: a Revised row has both."""

    revised_by: Any
    revised_at: datetime | None


class EditConflict(ValidationError):
    """A save refused because the row was saved since the form was read. A ValidationError,
    so the forms' helpers put it on the form; `current` is the row as it now stands, or for
    a set of rows (a partner's report) what names who saved them last and when."""

    def __init__(self, current: Revised | Saved):
        self.current = current
        who = current.revised_by or _("someone")
        if current.revised_at:
            message = _(
                "Saved meanwhile by %(who)s at %(when)s: this form was read before that save, "
                "so yours is not saved yet. What they saved is shown beside what you typed; "
                "keep what should stay and save again."
            ) % {
                "who": who,
                "when": date_format(timezone.localtime(current.revised_at), "j M Y, H:i"),
            }
        else:
            message = _(
                "Saved meanwhile by %(who)s: this form was read before that save, so yours is "
                "not saved yet. What they saved is shown beside what you typed; keep what "
                "should stay and save again."
            ) % {"who": who}
        super().__init__(message, code="edit_conflict")


def revise(obj: Revised, *, read: int | None, by=None) -> None:
    """Claim the next revision of `obj`, in the caller's transaction, before writing it.

    `read` is the revision the person's form was read at; a save since then raises
    EditConflict. None (scripts, and side effects such as a timeline event moving a policy's
    status) claims it whatever it is, so that forms read before still notice. A new row
    takes revision 1: a form read when there was none (read 0) then conflicts with it."""
    now = timezone.now()
    if obj.pk is None:
        obj.revision, obj.revised_by, obj.revised_at = 1, by, now
        return
    rows = type(obj)._base_manager.filter(pk=obj.pk)
    matching = rows if read is None else rows.filter(revision=read)
    if not matching.update(revision=F("revision") + 1, revised_by=by, revised_at=now):
        current = rows.select_related("revised_by").first()
        if current is None:
            raise ValidationError(_("It was deleted meanwhile, so nothing is saved."))
        raise EditConflict(current)
    obj.revision = read + 1 if read is not None else rows.values_list("revision", flat=True)[0]
    obj.revised_by, obj.revised_at = by, now
