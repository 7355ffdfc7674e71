"""Which version of an initiative's values an answer was computed from.

Every write path of values calls `values_changed` in its transaction, with the (indicator,
period) pairs it touched: their roll-ups are recomputed there and then, and readers that keep
answers (the dashboards' cache) ask `values_version` and file answers under it. An
initiative whose values were never written through these paths has no version, and nothing
of it is kept."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from .models import ValuesVersion
from .rollups import refresh


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
