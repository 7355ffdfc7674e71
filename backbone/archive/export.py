"""An initiative written whole to one archive (see manifest.py for the file's shape).

`data.json` holds, per model in the order an import writes them, every row the initiative
owns (graph.exported) under an archive id: its UUID where it has one, else its id at the
source. A key to another row is that row's archive id; a key to a shared row (a person, an
organisation, a framework, a questionnaire) is its id in the `shared` section, which holds
the natural key the import matches it by. Rows are written as the database holds them, and
nothing joins rows the database keeps apart: an assessment's answers go out exactly as
`assessments.Response` holds them, in the order of their random ids.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from typing import IO, Any
from uuid import UUID

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection, models, transaction

from backbone.initiatives.models import Initiative

from . import graph
from .manifest import DATA, FILES, FORMAT, MANIFEST, ArchiveError, backbone_version
from .values import encode

CHUNK = 2000


def initiative_export(
    *,
    initiative: Initiative,
    out: IO[bytes],
    withhold: bool = False,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Write the archive of `initiative` to `out` (a binary file); returns its manifest.
    `withhold`: leave out the rows the pages refuse backbone staff (graph.WITHHELD), for the
    staff's download.

    Read in one transaction, on PostgreSQL a repeatable-read one when it starts here, so
    the archive is one moment of the initiative even while people keep working."""
    now = now or datetime.now(UTC)
    outermost = not connection.in_atomic_block
    with transaction.atomic(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        reader = _Reader(initiative, withhold)
        with archive.open(_member(DATA, now), "w", force_zip64=True) as data:
            rows, shared, files = reader.write(data)
        files, missing = list(dict.fromkeys(files)), []
        for name in files:
            if not default_storage.exists(name):
                missing.append(name)  # gone at the source too: the import keeps its name
                continue
            member = _member(FILES + name, now)
            with default_storage.open(name) as source, archive.open(member, "w") as copy:
                shutil.copyfileobj(source, copy)
        manifest = {
            "format": FORMAT,
            "backbone": backbone_version(),
            "vendor": connection.vendor,
            "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "initiative": initiative.slug,
            "name": initiative.name,
            "rows": rows,
            "shared": shared,
            "files": len(files) - len(missing),
            "missing_files": missing,
            "withheld": {label: why for label, (_, why) in graph.WITHHELD.items() if withhold},
        }
        text = json.dumps(manifest, indent=2, ensure_ascii=False)
        archive.writestr(_member(MANIFEST, now), text)
    return manifest


def _member(name: str, now: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


class _Reader:
    def __init__(self, initiative: Initiative, withhold: bool):
        self.initiative = initiative
        self.withhold = withhold
        self.shared: dict[str, set] = defaultdict(set)
        self.files: list[str] = []
        # A key to a row with a UUID is written as that UUID: read them all first.
        self.uuids = {
            owned.label: dict(self.rows(owned).values_list("pk", "uuid"))
            for owned in graph.exported()
            if owned.uuid == "uuid"
        }

    def rows(self, owned: graph.Owned) -> models.QuerySet:
        manager = owned.model._base_manager
        if not owned.path:
            return manager.filter(pk=self.initiative.pk)
        rows = manager.filter(**{owned.path: self.initiative.pk})
        if self.withhold and owned.label in graph.WITHHELD:
            rows = rows.exclude(**graph.WITHHELD[owned.label][0])
        return rows

    def write(self, data: IO[bytes]) -> tuple[dict[str, int], dict[str, int], list[str]]:
        counts: dict[str, int] = {}
        data.write(b'{"models": {')
        for index, owned in enumerate(graph.exported()):
            data.write(b"," if index else b"")
            data.write(f"\n{json.dumps(owned.label)}: [".encode())
            counts[owned.label] = self._write_model(data, owned)
            data.write(b"]")
        data.write(b'},\n"shared": {')
        shared_counts: dict[str, int] = {}
        for index, (label, pks) in enumerate(sorted(self.shared.items())):
            data.write(b"," if index else b"")
            data.write(f"\n{json.dumps(label)}: [".encode())
            shared_counts[label] = self._write_shared(data, label, pks)
            data.write(b"]")
        data.write(b"}}\n")
        return counts, shared_counts, self.files

    def _write_model(self, data: IO[bytes], owned: graph.Owned) -> int:
        links = {field.name: self._links(owned, field) for field in owned.m2m}
        names = ["pk", *(["uuid"] if owned.uuid == "uuid" else []), *_attnames(owned.fields)]
        count = 0
        for values in self.rows(owned).order_by("pk").values_list(*names).iterator(CHUNK):
            pk, rest = values[0], values[1:]
            if owned.uuid == "uuid":
                archive_id, rest = str(rest[0]), rest[1:]
            else:
                archive_id = str(pk) if owned.uuid == "pk" else pk
            row: dict[str, Any] = {"id": archive_id}
            for field, value in zip(owned.fields, rest, strict=True):
                row[field.name] = self._value(owned, field, value)
            for name, by_row in links.items():
                row[name] = by_row.get(pk, [])
            data.write(b"," * bool(count) + b"\n" + _dumps(row))
            count += 1
        return count

    def _value(self, owned: graph.Owned, field: models.Field, value: Any) -> Any:
        if field.is_relation:
            return self._ref(owned, field, value)
        if isinstance(field, models.FileField) and value:
            self.files.append(value)
        return encode(field, value)

    def _ref(self, owned: graph.Owned, field: models.Field, pk: Any) -> Any:
        if pk is None:
            return None
        target = field.related_model._meta.label
        if target in graph.SHARED:
            self.shared[target].add(pk)
            return pk
        if target in self.uuids:
            try:
                return str(self.uuids[target][pk])
            except KeyError:
                raise ArchiveError(
                    f"{owned.label}.{field.name} points at {target} {pk}, which belongs to "
                    "another initiative: the archive would not hold it."
                ) from None
        return str(pk) if isinstance(pk, UUID) else pk

    def _links(self, owned: graph.Owned, field: models.ManyToManyField) -> dict[Any, list]:
        """A many-to-many field's links per row, in the order they were made."""
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        found: dict[Any, list] = defaultdict(list)
        rows = through._base_manager.filter(**{f"{source}__in": self.rows(owned).values("pk")})
        pairs = rows.order_by("pk").values_list(f"{source}_id", f"{target}_id")
        for pk, other in pairs.iterator(CHUNK):
            found[pk].append(self._ref(owned, through._meta.get_field(target), other))
        return found

    def _write_shared(self, data: IO[bytes], label: str, pks: set) -> int:
        model = apps.get_model(label)
        fields = shared_fields(label)
        ordered = sorted(pks)
        count = 0
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            found = model._base_manager.filter(pk__in=chunk).order_by("pk")
            for values in found.values_list("pk", *_attnames(fields)):
                row = {"id": values[0]}
                row |= {f.name: encode(f, v) for f, v in zip(fields, values[1:], strict=True)}
                data.write(b"," * bool(count) + b"\n" + _dumps(row))
                count += 1
        return count


def shared_fields(label: str) -> tuple[models.Field, ...]:
    model, spec = apps.get_model(label), graph.SHARED[label]
    if spec.fields is not None:
        return tuple(model._meta.get_field(name) for name in spec.fields)
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


def _attnames(fields) -> list[str]:
    return [f.attname for f in fields]


def _dumps(row: dict) -> bytes:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()
