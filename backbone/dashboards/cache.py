"""The engine's answers for dashboards, kept in Django's cache under the version of the
initiative's values (`measurement.versions`): the first reader after a change pays for the
grouping queries, the next ones read the answer back. A change of values files new answers
under a new version; the old ones are never read again and expire."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from backbone.measurement import aggregation as engine
from backbone.measurement.versions import values_version

TIMEOUT = 60 * 60  # an hour; a change of values makes them unreachable sooner


def _key(kind: str, version: str, indicators, periods, extra: str = "") -> str:
    ids = ",".join(str(i.pk) for i in indicators) + "|" + ",".join(str(p.pk) for p in periods)
    digest = hashlib.sha256(f"{ids}|{extra}".encode()).hexdigest()[:32]
    return f"backbone:{kind}:{version}:{digest}"


def version_of(layout) -> str | None:
    """The version the answers of one page are filed under: read once per page."""
    return values_version(layout.initiative_id)


def series_many(indicators, *, periods, layout, version: str | None):
    if version is None or not indicators:
        return engine.series_many(indicators, periods=periods, layout=layout)
    key = _key("series", version, indicators, periods)
    found = cache.get(key)
    if found is None:
        found = engine.series_many(indicators, periods=periods, layout=layout)
        cache.set(key, found, TIMEOUT)
    return found


def cells_many(indicators, *, periods, layout, version: str | None) -> engine.CellTable:
    if version is None or not indicators:
        return engine.cells_many(indicators, periods=periods, layout=layout)
    key = _key("cells", version, indicators, periods)
    rows = cache.get(key)
    if rows is None:
        rows = engine.cells_many(indicators, periods=periods, layout=layout).rows
        cache.set(key, rows, TIMEOUT)
    return engine.CellTable(layout, indicators, rows)
