"""Which version of an initiative's values an answer was computed from.

Every write path of values calls `values_changed` in its transaction, with the (indicator,
period) pairs it touched: their roll-ups are recomputed there and then, and readers that keep
answers (the dashboards' cache) ask `values_version` and file answers under it. An
initiative whose values were never written through these paths has no version, and nothing
of it is kept. Writers take `values_lock` on those pairs before they read what they change,
so that two writers of the same values take turns."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import connection

from .models import ValuesVersion
from .rollups import refresh

#: Beyond this many pairs a writer holds all of the initiative's values instead: advisory
#: locks are kept in a table of limited size, shared by every connection.
MANY_PAIRS = 500


def values_lock(initiative_id: int, pairs: Iterable[tuple[int, int]]) -> None:
    """Hold these (indicator id, period id) pairs until the transaction ends. Two writers of
    the same values (two submissions of one cell, an approval beside them) then take turns:
    the second reads what the first wrote — which submission holds a value, the figures its
    history keeps, what the roll-ups add up — instead of what was there before both.

    PostgreSQL advisory locks, each pair under a shared lock of the initiative (which a
    writer of very many pairs takes alone), taken in one order so writers cannot deadlock.
    SQLite lets one transaction write at a time, and the intake reads after its first write.
    """
    if connection.vendor != "postgresql":
        return
    keys = sorted(set(pairs))
    with connection.cursor() as cursor:
        if len(keys) > MANY_PAIRS:
            cursor.execute("SELECT pg_advisory_xact_lock(0, %s)", [initiative_id])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(0, %s)", [initiative_id])
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k.i, k.p) FROM unnest(%s::int[], %s::int[]) AS k(i, p)",
            [[i for i, _ in keys], [p for _, p in keys]],
        )


def values_changed(
    initiative_id: int,
    pairs: Iterable[tuple[int, int]] | None = None,
    *,
    provisional_only: bool = False,
) -> None:
    """The values of these (indicator id, period id) pairs changed — or, with None, any of
    the initiative's. `provisional_only`: no approved value changed (new values were only
    submitted or drafted), so the approved roll-ups stand as they are."""
    refresh(initiative_id, pairs, provisional_only=provisional_only)
    ValuesVersion.objects.update_or_create(
        initiative_id=initiative_id, defaults={"token": uuid.uuid4()}
    )


def values_version(initiative_id: int) -> str | None:
    token = (
        ValuesVersion.objects.filter(initiative_id=initiative_id)
        .values_list("token", flat=True)
        .first()
    )
    return token.hex if token else None
