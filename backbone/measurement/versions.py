"""Which version of an initiative's values an answer was computed from.

Every write path of values calls `values_changed` in its transaction, with the (indicator,
period) pairs it touched: their roll-ups are recomputed there and then, and readers that keep
answers (the dashboards' cache) ask `values_version` and file answers under it. An
initiative whose values were never written through these paths has no version, and nothing
of it is kept. Writers take `values_lock` on those pairs before they read what they change,
so that two writers of the same values take turns.

A partner's report (its values of one indicator and period) has a version of its own,
`report_revision`, which the web form is read at and the intake checks under that lock."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from backbone.revisions import EditConflict

from .models import DataValue, ValuesVersion
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
    added: int = 0,
) -> None:
    """The values of these (indicator id, period id) pairs changed — or, with None, any of
    the initiative's. `provisional_only`: no approved value changed (new values were only
    submitted or drafted), so the approved roll-ups stand as they are. `added`: how many
    value rows the change wrote anew, for the planner of the roll-ups."""
    refresh(initiative_id, pairs, provisional_only=provisional_only, added=added)
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


#: What a report's version is made of: each stored value, or why it is blank, and the
#: submission that holds it (a new one at every write, even of the same figures).
REPORT_FIELDS = (
    "cell_id",
    "value",
    "numerator",
    "denominator",
    "weight",
    "missing",
    "submission_id",
)


@dataclass(frozen=True)
class LastSave:
    """Who wrote a report's values last and when, as EditConflict names them."""

    revised_by: object | None
    revised_at: datetime | None


def _report(*, partner_id: int, indicator_id: int, period_id: int):
    return DataValue.objects.filter(
        partner_id=partner_id, indicator_id=indicator_id, period_id=period_id
    )


def report_revision(*, partner_id: int, indicator_id: int, period_id: int) -> int:
    """The version of a partner's values of one indicator and period: a fingerprint of the
    stored rows, 0 when there are none. Every write of them changes it, whichever way it
    came (the web form, a file, the API, DHIS2, a correction), and so does a value taken
    away, with no counter for each of those writers to move. An approval changes only the
    values' status, not the version."""
    rows = (
        _report(partner_id=partner_id, indicator_id=indicator_id, period_id=period_id)
        .order_by("cell_id")
        .values_list(*REPORT_FIELDS)
    )
    text = "\n".join(" ".join("" if v is None else str(v) for v in row) for row in rows)
    if not text:
        return 0
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=6).digest(), "big") or 1


def report_unchanged_since(
    read: int | None, *, partner_id: int, indicator_id: int, period_id: int
) -> None:
    """Refuse (EditConflict) a save of a report read at `read` when its values were written
    since. Called under `values_lock` of the pair, so no writer slips in between the check
    and the write. None (files, the API, scripts) checks nothing."""
    key = {"partner_id": partner_id, "indicator_id": indicator_id, "period_id": period_id}
    if read is None or report_revision(**key) == read:
        return
    latest = _report(**key).select_related("submission__created_by").order_by("-updated_at").first()
    if latest is None:
        raise EditConflict(LastSave(None, None))
    who = latest.submission.created_by if latest.submission else None
    raise EditConflict(LastSave(who, latest.updated_at))
