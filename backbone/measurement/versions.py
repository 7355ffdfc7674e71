"""Which version of an initiative's values an answer was computed from.

Every write path of values calls `values_changed` in its transaction; readers that keep
answers (the dashboards' cache) ask `values_version` and file answers under it. An
initiative whose values were never written through these paths has no version, and nothing
of it is kept."""

from __future__ import annotations

import uuid

from .models import ValuesVersion


def values_changed(initiative_id: int) -> None:
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
