"""Deleting what other records still hold. A PROTECT or RESTRICT foreign key makes Django
refuse the delete (ProtectedError, RestrictedError); this turns that into a DeleteRefused
that names the holders, so a page or the API can say why instead of answering 500."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import router
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector

#: How a holder holds what it points at, singular and plural; others "depend on" it.
VERBS = {"workplan.grant": ("funds", "fund")}
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
        parts, nouns = [], []
        for model, found in by_model.items():
            n = len(found)
            meta = model._meta
            noun = str(meta.verbose_name if n == 1 else meta.verbose_name_plural)
            verb = VERBS.get(meta.label_lower, ("depends on", "depend on"))[n != 1]
            part = f"{n} {noun} {verb} it"
            if names:
                shown = ", ".join(sorted(str(h) for h in found)[:NAMED])
                part += f" ({shown}{', …' if n > NAMED else ''})"
            parts.append(part)
            nouns.append(f"that {noun}" if n == 1 else f"those {noun}")
        must = "must" if len(self.holders) == 1 else "must all"
        those = " and ".join(nouns)
        return (
            f"This {self.kind} cannot be deleted: {'; '.join(parts)}. "
            f"{those[0].upper()}{those[1:]} {must} be moved elsewhere or deleted first."
        )


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
