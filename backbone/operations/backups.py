"""`backbone backup` and `backbone restore`: one archive holding the database, the uploaded
files and a manifest of what wrote them, so that a restore refuses what it cannot load
rather than half-loading it.

The archive is a .tar.gz: manifest.json first (read without unpacking the rest), then the
database (databases.DUMP_NAMES), then the uploads under media/.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from io import BytesIO
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative

from .databases import DUMP_NAMES, VENDORS, BackupError, database_dump, database_load, vendor

FORMAT = 1  # raise it when an older Backbone could no longer read what this one writes
MANIFEST = "manifest.json"
MEDIA = "media"


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    manifest: dict


def backup_name(now: datetime) -> str:
    return f"backbone-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def backbone_version() -> str:
    try:
        return metadata.version("backbone")
    except metadata.PackageNotFoundError:
        return "unknown"


def migration_state() -> dict[str, str]:
    """The latest applied migration of each app (Django's names sort by their number)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(name, latest.get(app, ""))
    return dict(sorted(latest.items()))


def media_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def backup_create(*, out: Path, now: datetime | None = None) -> Written:
    """Write the archive to `out` through a temporary file beside it, renamed at the end:
    a failed backup leaves no half archive under the awaited name."""
    now = now or datetime.now(UTC)
    if not out.parent.is_dir():
        raise BackupError(f"No directory {out.parent} to write the backup in.")
    media_root = Path(settings.MEDIA_ROOT)
    manifest = {
        "format": FORMAT,
        "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "backbone": backbone_version(),
        "vendor": vendor(),
        "migrations": migration_state(),
        "media_files": len(media_files(media_root)),
    }
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backbone-backup-") as work:
        dump = Path(work) / DUMP_NAMES[manifest["vendor"]]
        database_dump(dump)
        partial = Path(work) / "partial.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(dump, arcname=dump.name)
            if media_root.is_dir():
                tar.add(media_root, arcname=MEDIA, filter=_files_and_folders)
        partial.chmod(0o600)  # the database whole: password hashes, sessions, every figure
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, out)
    return Written(path=out, size=out.stat().st_size, manifest=manifest)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o644
    tar.addfile(info, BytesIO(data))


def _files_and_folders(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    """Uploads are files in folders; a link or device there is no upload, and a restore
    refuses archives holding one."""
    return info if info.isfile() or info.isdir() else None


def manifest_read(path: Path) -> dict:
    """The manifest of the backup at `path`, refused if this Backbone cannot read it."""
    if not path.is_file():
        raise BackupError(f"No backup file {path}.")
    try:
        with tarfile.open(path, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{path} is not a Backbone backup: it has no {MANIFEST}.")
            manifest = json.load(tar.extractfile(first))
    except (OSError, EOFError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{path} is not a Backbone backup ({exc}).") from exc
    version = manifest.get("format") if isinstance(manifest, dict) else None
    if not isinstance(version, int) or version < 1:
        raise BackupError(f"{path} is not a Backbone backup: its manifest has no format.")
    if version == FORMAT and not isinstance(manifest.get("migrations"), dict):
        raise BackupError(f"{path} is not a Backbone backup: its manifest lists no migrations.")
    if version > FORMAT:
        raise BackupError(
            f"{path} is in backup format {version}, written by Backbone "
            f"{manifest.get('backbone', '?')}; this Backbone ({backbone_version()}) reads "
            f"format {FORMAT} at most. Restore it with that version or a later one."
        )
    return manifest


def restore_refusal(manifest: dict) -> str | None:
    """Why this code cannot load the backup into the configured database, or None."""
    theirs, ours = manifest.get("vendor"), vendor()
    if theirs != ours:
        return (
            f"The backup holds a {VENDORS.get(theirs, theirs)} database and this Backbone uses "
            f"{VENDORS[ours]}: a backup restores only into the same kind of database."
        )
    newer = migrations_unknown(manifest["migrations"])
    if newer:
        more = f" and {len(newer) - 3} more" if len(newer) > 3 else ""
        return (
            f"The backup was written by Backbone {manifest.get('backbone', '?')} with migrations "
            f"this version ({backbone_version()}) does not have ({', '.join(newer[:3])}{more}): "
            "a database cannot be migrated backwards. Upgrade Backbone, then restore."
        )
    return None


def migrations_unknown(latest: dict[str, str]) -> list[str]:
    """The backup's latest migrations that this code does not have: it is newer. Older
    ones are known, and `migrate` brings them up after the restore."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return [f"{app}.{name}" for app, name in sorted(latest.items()) if (app, name) not in known]


def holdings() -> str:
    """What a restore would replace, in words ("2 initiatives (…), 16 people"); empty for a
    database with nobody in it yet (migrated, frameworks loaded)."""
    tables = set(connection.introspection.table_names())
    held = []
    if Initiative._meta.db_table in tables and (names := _names(Initiative.objects.all())):
        held.append(names)
    if Person._meta.db_table in tables and (people := Person.objects.count()):
        held.append(_count(people, "person", "people"))
    if uploads := len(media_files(Path(settings.MEDIA_ROOT))):
        held.append(_count(uploads, "uploaded file", "uploaded files"))
    return ", ".join(held)


def _names(initiatives) -> str:
    names = list(initiatives.values_list("name", flat=True)[:4])
    if not names:
        return ""
    shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
    return f"{_count(initiatives.count(), 'initiative', 'initiatives')} ({shown})"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def backup_restore(*, path: Path, replace: bool = False) -> dict:
    """Replace the database and the uploads with the backup's, then migrate them up to this
    version. Without `replace`, refuses a database that holds anything."""
    manifest = manifest_read(path)
    if refusal := restore_refusal(manifest):
        raise BackupError(refusal)
    if (held := holdings()) and not replace:
        raise BackupError(
            f"The database holds {held}. Restoring replaces them with the backup of "
            f"{manifest.get('created', '?')}: run again with --yes to go ahead."
        )
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".backbone-restore-") as work:
        _unpack(path, Path(work))
        dump = Path(work) / DUMP_NAMES[manifest["vendor"]]
        if not dump.is_file():
            raise BackupError(f"{path} holds no database.")
        database_load(dump)
        _replace_folder(media_root, Path(work) / MEDIA)
    ContentType.objects.clear_cache()  # the ids are the backup's now
    for cache in caches.all(initialized_only=True):
        cache.clear()  # answers filed under a values version the backup may reuse
    call_command("migrate", interactive=False, verbosity=0)
    return manifest


def _unpack(path: Path, into: Path) -> None:
    """Unpack files and folders only, inside `into`: an archive is data, not instructions."""
    with tarfile.open(path, "r:gz") as tar:
        members = tar.getmembers()
        for member in members:
            name = PurePosixPath(member.name)
            if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
                raise BackupError(f"{path} holds {member.name!r}, which no backup holds.")
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(into, members=members, **safe)


def _replace_folder(root: Path, new: Path) -> None:
    """Empty `root` and move `new`'s contents in: `root` itself stays (it may be a mount
    point, or the folder the web server serves)."""
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()
    if new.is_dir():
        for item in new.iterdir():
            item.rename(root / item.name)
