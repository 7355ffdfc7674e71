"""The archive file: a zip holding `manifest.json`, `data.json` and `files/…`.

The manifest says which format the archive is in, which Backbone wrote it from which kind of
database, when, and which initiative it holds. An archive is refused before anything is
read from it when it is no archive, or when a newer Backbone wrote it: its rows may hold
fields this version does not know, and dropping them would lose what the archive promised
to carry whole.
"""

from __future__ import annotations

import json
import zipfile
from importlib import metadata
from pathlib import Path
from typing import IO, Any

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.json"
FILES = "files/"


class ArchiveError(Exception):
    """An archive refused, or an import that failed: one line an operator can act on."""


def backbone_version() -> str:
    try:
        return metadata.version("backbone")
    except metadata.PackageNotFoundError:
        return "unknown"


def archive_open(source: Path | IO[bytes]) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """The zip and its manifest, once both are known to be an archive this code reads."""
    name = source if isinstance(source, Path) else getattr(source, "name", "The file")
    if isinstance(source, Path) and not source.is_file():
        raise ArchiveError(f"No archive file {source}.")
    try:
        archive = zipfile.ZipFile(source)
        manifest = json.loads(archive.read(MANIFEST))
        archive.getinfo(DATA)
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"{name} is not a Backbone initiative archive.") from exc
    version = manifest.get("format") if isinstance(manifest, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ArchiveError(f"{name} is not a Backbone initiative archive (no format).")
    if version > FORMAT:
        raise ArchiveError(
            f"This archive was written by a newer Backbone (format {version}); "
            "upgrade Backbone to import it."
        )
    if not isinstance(manifest.get("initiative"), str):
        raise ArchiveError(f"{name} is not a Backbone initiative archive (no initiative).")
    return archive, manifest
