"""An archive written back as a new initiative, in one transaction: a failure writes nothing.

Shared rows are matched by natural key (people by e-mail, organisations, frameworks and
questionnaires by slug) and created when missing, people without a usable password. The
initiative's rows are inserted model by model in the archive's order (graph.exported), in
batches; their ids are new, their UUIDs kept unless this installation already holds one,
and texts naming a UUID or a page of the initiative follow the new ones (values.Rewriter).
Times the database would stamp on insert (auto_now) keep the archive's.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_slug
from django.db import DatabaseError, models, transaction
from django.db.models.functions import Lower

from backbone.accounts.models import Person
from backbone.accounts.two_factor import GUARDED_ROLES, refresh_requirement
from backbone.initiatives.models import Initiative
from backbone.links import Link
from backbone.measurement.rollups import rebuild

from . import graph
from .export import shared_fields
from .manifest import DATA, FILES, ArchiveError, archive_open
from .values import Rewriter, decode

BATCH = 1000
CHUNK = 2000


@dataclass(frozen=True)
class Imported:
    initiative: Initiative
    rows: int
    created: dict[str, int]  # shared rows made here, per model
    files: int


def initiative_import(*, source: Path | IO[bytes], slug: str = "") -> Imported:
    """Import the archive at `source` as a new initiative, under `slug` or the archive's.

    Refused when the slug is taken: an import never merges into an initiative, which would
    make two of every goal and value. Nothing is written unless everything is."""
    archive, manifest = archive_open(source)
    with archive:
        try:
            data = json.loads(archive.read(DATA))
            rows, shared = data["models"], data["shared"]
            if len(rows[graph.INITIATIVE]) != 1:
                raise ValueError("one initiative")
        except (ValueError, KeyError, TypeError) as exc:
            raise ArchiveError("The archive's data.json holds no initiative.") from exc
        slug = slug or manifest["initiative"]
        try:
            validate_slug(slug)
        except ValidationError as exc:
            raise ArchiveError(f"{slug!r} is not a slug (letters, digits, - and _).") from exc
        if Initiative.objects.filter(slug=slug).exists():
            raise ArchiveError(
                f"An initiative {slug!r} exists here already; import the archive as another "
                "with --as NEW-SLUG."
            )
        known = {owned.label for owned in graph.exported()}
        unknown = sorted(set(rows) - known) + sorted(set(shared) - set(graph.SHARED))
        if unknown:
            raise ArchiveError(f"The archive holds {', '.join(unknown)}, unknown to this Backbone.")
        writer = _Writer(archive, rows, shared, slug)
        try:
            with transaction.atomic(), _times_as_written():
                initiative = writer.write()
        except (DatabaseError, ValidationError, ArchiveError, KeyError, TypeError) as exc:
            for name in writer.saved_files:
                default_storage.delete(name)
            if isinstance(exc, ArchiveError):
                raise
            why = " ".join(str(exc).split())  # one line, whatever the database said
            raise ArchiveError(
                f"Nothing was imported: a row of {writer.current} was refused ({why})."
            ) from exc
    return Imported(initiative, writer.count, writer.created, len(writer.saved_files))


@contextmanager
def _times_as_written() -> Iterator[None]:
    """`bulk_create` stamps auto_now and auto_now_add fields with the time of the insert; an
    import keeps the times the archive holds, so they are switched off while it runs. The
    switch holds for the whole process: imports run in a command of their own, never
    beside the requests of a server."""
    labels = [owned.label for owned in graph.exported()] + list(graph.SHARED)
    stamped = [
        field
        for label in labels
        for field in apps.get_model(label)._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    was = [(field, field.auto_now, field.auto_now_add) for field in stamped]
    try:
        for field in stamped:
            field.auto_now = field.auto_now_add = False
        yield
    finally:
        for field, auto_now, auto_now_add in was:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def unguessable_hash() -> str:
    """The hash of a secret nobody holds: a token's row without a token that opens it."""
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


class _Writer:
    def __init__(self, archive, rows: dict[str, list], shared: dict[str, list], slug: str):
        self.archive, self.rows, self.shared, self.slug = archive, rows, shared, slug
        self.members = set(archive.namelist())
        self.ids: dict[str, dict[Any, Any]] = defaultdict(dict)  # archive id → new id
        self.saved_files: list[str] = []
        self.created: dict[str, int] = {}
        self.count = 0
        self.current = ""
        self.initiative_id = None

    def write(self) -> Initiative:
        for label in graph.SHARED:
            self.current = label
            self._match_shared(label, self.shared.get(label, []))
        fresh = self._fresh_uuids()
        (root,) = self.rows[graph.INITIATIVE]
        self.rewriter = Rewriter(fresh, root.get("slug", self.slug), self.slug)
        self.fresh = fresh
        later: list[tuple[graph.Owned, Any, models.Field, Any]] = []
        for owned in graph.exported():
            self.current = owned.label
            self._insert(owned, self.rows.get(owned.label, []), later)
        self.current = "keys set after their rows"
        self._set_later(later)
        self.current = "many-to-many links"
        for owned in graph.exported():
            self._links(owned, self.rows.get(owned.label, []))
        initiative = Initiative.objects.get(pk=self.ids[graph.INITIATIVE][root["id"]])
        self.current = "roll-ups"
        rebuild(initiative.pk)  # left out of the archive: derived from the values
        refresh_requirement(
            Person.objects.filter(
                memberships__initiative=initiative, memberships__role__in=GUARDED_ROLES
            ).distinct()
        )
        return initiative

    def _match_shared(self, label: str, rows: list[dict]) -> None:
        """Map each shared row to this installation's row with the same natural key; make
        the missing ones."""
        model, key = apps.get_model(label), graph.SHARED[label].key
        wanted = {str(row[key]).lower(): row for row in rows}
        here: dict[str, Any] = {}
        keys = list(wanted)
        for start in range(0, len(keys), CHUNK):
            found = model._base_manager.annotate(natural=Lower(key)).filter(
                natural__in=keys[start : start + CHUNK]
            )
            here |= dict(found.values_list("natural", "pk"))
        missing = [row for natural, row in wanted.items() if natural not in here]
        fields = shared_fields(label)
        taken = self._taken(model, [row["uuid"] for row in missing if row.get("uuid")])
        made = []
        for row in missing:
            values = {f.attname: decode(f, row[f.name]) for f in fields if f.name in row}
            if "uuid" in values and str(values["uuid"]) in taken:
                values["uuid"] = uuid.uuid4()
            if model is Person:
                values["email"] = values["email"].lower()
                values["password"] = make_password(None)  # they reset it to sign in
            made.append(model(**values))
        model._base_manager.bulk_create(made, batch_size=BATCH)
        for obj in made:
            here[str(getattr(obj, key)).lower()] = obj.pk
        for natural, row in wanted.items():
            self.ids[label][row["id"]] = here[natural]
        self.created[label] = len(made)

    def _taken(self, model, ids: list[str], field: str = "uuid") -> set[str]:
        taken: set[str] = set()
        for start in range(0, len(ids), CHUNK):
            found = model._base_manager.filter(**{f"{field}__in": ids[start : start + CHUNK]})
            taken |= {str(value) for value in found.values_list(field, flat=True)}
        return taken

    def _fresh_uuids(self) -> dict[str, str]:
        """Archive UUIDs this installation already holds (a copy beside its original) →
        fresh ones; every other row keeps its UUID."""
        fresh: dict[str, str] = {}
        for owned in graph.exported():
            if owned.uuid:
                ids = [str(row["id"]) for row in self.rows.get(owned.label, [])]
                # an archive written before the model took a UUID names its rows otherwise
                for archive_id in ids:
                    if not _is_uuid(archive_id):
                        fresh[archive_id] = str(uuid.uuid4())
                ids = [archive_id for archive_id in ids if archive_id not in fresh]
                for taken in self._taken(
                    owned.model, ids, "uuid" if owned.uuid == "uuid" else "pk"
                ):
                    fresh[taken] = str(uuid.uuid4())
        return fresh

    def _insert(self, owned: graph.Owned, rows: list[dict], later: list) -> None:
        """Insert the model's rows in the archive's order (so ids keep their order), a chunk
        of model instances at a time: a million values never sit in memory as objects."""
        model, label = owned.model, owned.label
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            made = [model(**self._values(owned, row, later)) for row in chunk]
            model._base_manager.bulk_create(made, batch_size=BATCH)
            for obj, row in zip(made, chunk, strict=True):
                self.ids[label][row["id"]] = obj.pk
            if label == graph.INITIATIVE:
                self.initiative_id = made[0].pk
            self.count += len(made)

    def _values(self, owned: graph.Owned, row: dict, later: list) -> dict[str, Any]:
        """The row's values by attribute name, keys already this installation's ids."""
        values: dict[str, Any] = {}
        for field in owned.fields:
            if field.name not in row:
                # A field added since the archive was written: its default, or for a key to
                # the initiative (copied onto more tables over time), this one.
                if field.is_relation and field.related_model is Initiative:
                    values[field.attname] = self.initiative_id
                continue
            raw = row[field.name]
            if field.is_relation and field.name in owned.deferred and raw is not None:
                later.append((owned, row["id"], field, raw))
                values[field.attname] = None
            elif field.is_relation:
                values[field.attname] = self._resolve(owned, row, field, raw)
            else:
                value = self.rewriter.field(field, decode(field, raw))
                values[field.attname] = self._file(value) if _is_file(field) else value
        for name in graph.SECRETS.get(owned.label, ()):
            values[owned.model._meta.get_field(name).attname] = unguessable_hash()
        if owned.uuid:
            archive_id = str(row["id"])
            values["uuid" if owned.uuid == "uuid" else "pk"] = self.fresh.get(
                archive_id, archive_id
            )
        if owned.label == graph.INITIATIVE:
            values["slug"] = self.slug
        if hook := graph.ID_TEXT.get(owned.label):
            hook(values, {f.name: self._targets(owned, row, f) for f in owned.m2m})
        return values

    def _resolve(self, owned: graph.Owned, row: dict, field: models.Field, raw: Any) -> Any:
        if raw is None:
            return None
        target = field.related_model._meta.label
        try:
            return self.ids[target][raw]
        except (KeyError, TypeError):
            raise ArchiveError(
                f"Nothing was imported: {owned.label} {row.get('id')!r} points "
                f"({field.name}) at {target} {raw!r}, which the archive does not hold."
            ) from None

    def _targets(self, owned: graph.Owned, row: dict, field: models.ManyToManyField) -> list:
        through = field.remote_field.through
        target = through._meta.get_field(field.m2m_reverse_field_name())
        return [self._resolve(owned, row, target, raw) for raw in row.get(field.name, [])]

    def _file(self, name: str) -> str:
        """The uploaded file, saved under its name or, where that is taken, a free one; a
        file the archive lacks (missing at the source too) keeps its name."""
        if not name or FILES + name not in self.members:
            return name
        saved = default_storage.save(name, ContentFile(self.archive.read(FILES + name)))
        self.saved_files.append(saved)
        return saved

    def _set_later(self, later: list) -> None:
        by_field: dict[tuple, list] = defaultdict(list)
        for owned, archive_id, field, raw in later:
            pk = self.ids[owned.label][archive_id]
            value = self._resolve(owned, {"id": archive_id}, field, raw)
            by_field[(owned.model, field.name)].append(owned.model(pk=pk, **{field.attname: value}))
        for (model, name), objs in by_field.items():
            model._base_manager.bulk_update(objs, [name], batch_size=BATCH)

    def _links(self, owned: graph.Owned, rows: list[dict]) -> None:
        for field in owned.m2m:
            through = field.remote_field.through
            source = f"{field.m2m_field_name()}_id"
            target = f"{field.m2m_reverse_field_name()}_id"
            key = {"initiative_id": self.initiative_id} if issubclass(through, Link) else {}
            links = [
                through(**key, **{source: self.ids[owned.label][row["id"]], target: other})
                for row in rows
                for other in self._targets(owned, row, field)
            ]
            through._base_manager.bulk_create(links, batch_size=BATCH)


def _is_file(field: models.Field) -> bool:
    return isinstance(field, models.FileField)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
