"""What two initiatives (or two archives) hold, in a form where one that is a copy of the
other reads the same: ids become positions, UUIDs and the slug become placeholders."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models.functions import Cast

from backbone.archive import graph
from backbone.archive.values import UUID_TEXT
from backbone.initiatives.models import Initiative
from tests.pages import without_csrf

# A row without a UUID (a meeting's decision) may be named by its database id in an anchor.
ANCHOR = re.compile(r'((?:id|for|href)="#?[a-z_]+(?:-[a-z_]+)*-)\d+"')


def page_text(text: str, initiative: Initiative) -> str:
    """A page or an API answer with what differs between an initiative and its copy (slug,
    UUIDs, uploaded file names, CSRF tokens) replaced by placeholders."""
    if initiative.logo:
        text = text.replace(initiative.logo.url, "LOGO").replace(initiative.logo.name, "LOGO")
    text = text.replace(initiative.slug, "SLUG")
    text = UUID_TEXT.sub("UUID", text)
    text = ANCHOR.sub(r'\1N"', text)
    return without_csrf(text)


def canonical_rows(initiative: Initiative) -> dict[str, list[tuple]]:
    """Every row the initiative owns, per model in id order, with keys to its own rows as
    (model, position), UUIDs in texts as the same, and its slug as SLUG. Roll-ups, left out
    of the archive and rebuilt on import, are read too."""
    owned = [*graph.exported(), _rollups()]
    position: dict[tuple[str, Any], str] = {}
    found: dict[str, list[dict]] = {}
    for o in owned:
        rows = o.model._base_manager.filter(
            **({o.path: initiative.pk} if o.path else {"pk": initiative.pk})
        )
        # Decimals as their digits: roll-ups keep exact sums SQLite reads back only as text.
        exact = {
            f"x_{f.attname}": Cast(f.attname, models.CharField())
            for f in o.model._meta.concrete_fields
            if isinstance(f, models.DecimalField)
        }
        plain_fields = [
            f.attname for f in o.model._meta.concrete_fields if f"x_{f.attname}" not in exact
        ]
        found[o.label] = list(rows.order_by("pk").values(*plain_fields, **exact))
        for index, row in enumerate(found[o.label]):
            position[(o.label, row["id"])] = f"{o.label}#{index}"
            if row.get("uuid"):
                position[("uuid", str(row["uuid"]))] = f"{o.label}#{index}"

    def text(value: str) -> str:
        value = UUID_TEXT.sub(lambda m: position.get(("uuid", m[0]), m[0]), value)
        return value.replace(f"/i/{initiative.slug}/", "/i/SLUG/")

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {text(k): plain(v) for k, v in value.items()}
        return value

    links: dict[tuple[str, str], dict] = {}
    for o in owned:
        for field in o.m2m:
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            label = field.related_model._meta.label
            by_row = links[(o.label, field.name)] = {}
            pairs = through.objects.filter(**{f"{source}__in": [r["id"] for r in found[o.label]]})
            for pk, other in pairs.order_by("pk").values_list(f"{source}_id", f"{target}_id"):
                by_row.setdefault(pk, []).append(position.get((label, other), other))

    canonical: dict[str, list[tuple]] = {}
    for o in owned:
        secret = graph.SECRETS.get(o.label, ())
        rows = []
        for row in found[o.label]:
            values = []
            for field in o.model._meta.concrete_fields:
                value = row.get(field.attname, row.get(f"x_{field.attname}"))
                if field.name in secret or field.primary_key:
                    continue
                if field.is_relation and value is not None:
                    target = field.related_model._meta.label
                    value = position.get((target, value), value)
                elif field.name == "slug" and o.label == graph.INITIATIVE:
                    value = "SLUG"
                elif o.label in graph.ID_TEXT and field.name == "key":  # a cell's group ids
                    value = [position[("measurement.Group", int(i))] for i in value.split(".") if i]
                elif isinstance(field, models.FileField):
                    value = field.storage.open(value).read() if value else b""
                elif isinstance(value, str) or isinstance(field, models.JSONField):
                    value = plain(value)
                elif isinstance(field, models.UUIDField):
                    value = position.get(("uuid", str(value)), str(value))
                values.append((field.name, value))
            for field in o.m2m:
                values.append((field.name, links[(o.label, field.name)].get(row["id"], [])))
            rows.append(tuple(values))
        # Rows keyed by a random UUID (assessment responses) come in no meaningful order.
        canonical[o.label] = sorted(rows, key=repr) if o.uuid == "pk" else rows
    return canonical


def _rollups() -> graph.Owned:
    from backbone.measurement.models import Rollup

    return graph.Owned(Rollup, "initiative", (), (), "", frozenset())


def _key(shared: dict, position: dict, target: str, value: Any) -> Any:
    """A key in an archive, as it reads whatever the database that wrote it."""
    if value is None or isinstance(value, str):  # none, or a UUID: kept across databases
        return value
    if target in shared:
        return shared[target][value]  # the natural key
    return position[(target, value)]


def archive_data(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("data.json"))


def canonical_archive(data: dict) -> dict[str, list[dict]]:
    """An archive's rows with ids read as positions and keys to shared rows as natural keys:
    two archives of one initiative from different databases then read the same."""
    shared = {
        label: {row["id"]: row[graph.SHARED[label].key] for row in rows}
        for label, rows in data["shared"].items()
    }
    position = {
        (label, row["id"]): index
        for label, rows in data["models"].items()
        for index, row in enumerate(rows)
    }
    canonical = {}
    for o in graph.exported():
        rows = []
        for row in data["models"].get(o.label, []):
            out = {"id": row["id"] if o.uuid else position[(o.label, row["id"])]}
            for name, value in row.items():
                if name == "id":
                    continue
                field = o.model._meta.get_field(name)
                if field.is_relation:
                    target = field.related_model._meta.label
                    ids = value if field.many_to_many else [value]
                    keys = [_key(shared, position, target, v) for v in ids]
                    value = keys if field.many_to_many else keys[0]
                out[name] = value
            rows.append(out)
        canonical[o.label] = rows
    canonical["shared"] = {
        label: sorted(
            (
                row[graph.SHARED[label].key],
                json.dumps({k: v for k, v in row.items() if k != "id"}, sort_keys=True),
            )
            for row in rows
        )
        for label, rows in data["shared"].items()
    }
    return canonical
