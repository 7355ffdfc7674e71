"""Deleting what other records still hold. A PROTECT or RESTRICT foreign key makes Django
refuse the delete (ProtectedError, RestrictedError); this turns that into a DeleteRefused
that names the holders, so a page or the API can say why instead of answering 500."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import router
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy

#: How a holder holds what it points at, in words counted by the holders; others "depend on"
#: it. The noun is the holder's verbose name, singular or plural.
HOLD = {
    "workplan.grant": ngettext_lazy(
        "%(count)s %(noun)s funds it", "%(count)s %(noun)s fund it", "count"
    ),
}
DEPEND = ngettext_lazy(
    "%(count)s %(noun)s depends on it", "%(count)s %(noun)s depend on it", "count"
)
#: What cannot be deleted, a sentence per kind so a translation agrees with it.
REFUSED = {
    "goal": gettext_lazy("This goal cannot be deleted: %(holders)s."),
    "strategy": gettext_lazy("This strategy cannot be deleted: %(holders)s."),
    "activity": gettext_lazy("This activity cannot be deleted: %(holders)s."),
}
#: Holders' nouns, singular and plural, in the reader's language.
NOUNS = {"workplan.grant": (gettext_lazy("grant"), gettext_lazy("grants"))}
NAMED = 5  # holders named in the message; the count says how many more


class DeleteRefused(Exception):
    """`kind` ("goal") cannot be deleted while `holders` point at it (or at what deleting it
    would also delete). str() gives the message without the holders' names."""

    def __init__(self, kind: str, holders: list[Model]) -> None:
        self.kind = kind
        self.holders = holders
        super().__init__(self.message(names=False))

    def message(self, *, names: bool = True) -> str:
        """Why, for a person: "This goal cannot be deleted: 2 grants fund it (A, B). …".
        `names=False` for someone who may not see the holders themselves."""
        by_model: dict[type[Model], list[Model]] = defaultdict(list)
        for holder in self.holders:
            by_model[type(holder)].append(holder)
        parts = []
        for model, found in by_model.items():
            n = len(found)
            meta = model._meta
            noun = _noun(meta, n)
            part = HOLD.get(meta.label_lower, DEPEND) % {"count": n, "noun": noun}
            if names:
                shown = ", ".join(sorted(str(h) for h in found)[:NAMED])
                part += f" ({shown}{', …' if n > NAMED else ''})"
            parts.append(part)
        refused = REFUSED.get(self.kind, gettext_lazy("This cannot be deleted: %(holders)s."))
        first = str(refused) % {"holders": "; ".join(parts)}
        if len(by_model) == 1:  # `n` and `noun` are the one kind of holder's
            then = ngettext(
                "That %(noun)s must be moved elsewhere or deleted first.",
                "Those %(noun)s must all be moved elsewhere or deleted first.",
                n,
            ) % {"noun": noun}
        else:
            then = gettext("They must all be moved elsewhere or deleted first.")
        return f"{first} {then}"


def _noun(meta, count: int) -> str:
    one, many = NOUNS.get(meta.label_lower, (meta.verbose_name, meta.verbose_name_plural))
    return str(one if count == 1 else many)


def _holders(exc: ProtectedError | RestrictedError) -> list[Model]:
    found = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    return list(dict.fromkeys(found))


def delete_refusal(obj: Model, *, kind: str) -> DeleteRefused | None:
    """What a delete of `obj` would be refused for, found without deleting: for a confirm
    page to say so before anyone presses the button."""
    collector = Collector(using=router.db_for_write(type(obj), instance=obj))
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError) as exc:
        return DeleteRefused(kind, _holders(exc))
    return None


def delete_or_refuse(obj: Model, *, kind: str) -> Any:
    """obj.delete(), or DeleteRefused naming what holds it. Django refuses before it deletes
    anything, so the caller's transaction is left as it was."""
    try:
        return obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise DeleteRefused(kind, _holders(exc)) from exc
