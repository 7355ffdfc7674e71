"""`backbone backup [--out FILE|FOLDER]`: the database and the uploads in one archive, safe to run
while Backbone serves (from cron, say)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backbone.operations.backups import backup_create, backup_name
from backbone.operations.databases import VENDORS, BackupError, first_line


def size_in_words(size: int) -> str:
    """In decimal units, as `ls --si` and file managers say it."""
    if size < 1000:
        return f"{size} bytes"
    units = ("kB", "MB", "GB", "TB")
    power = min(int(math.log10(size)) // 3, len(units))
    return f"{size / 1000**power:.1f} {units[power - 1]}"


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."
    # A backup is taken before fixing whatever a system check reports, and it need not load
    # the URLs and views the checks import: seconds in a cron job.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            default="",
            help="The archive to write, or a folder for it (default: "
            "backbone-backup-<UTC time>.tar.gz in the current folder).",
        )

    def handle(self, *args, **options):
        now = datetime.now(UTC)
        out = Path(options["out"] or ".").resolve()
        if out.is_dir():
            out = out / backup_name(now)
        try:
            written = backup_create(out=out, now=now)
        except (BackupError, OSError, DatabaseError) as exc:
            raise CommandError(first_line(str(exc), type(exc).__name__)) from exc
        manifest = written.manifest
        uploads = manifest["media_files"]
        self.stdout.write(
            f"Wrote {written.path} ({size_in_words(written.size)}): the "
            f"{VENDORS[manifest['vendor']]} database and {uploads} uploaded "
            f"file{'' if uploads == 1 else 's'}."
        )
