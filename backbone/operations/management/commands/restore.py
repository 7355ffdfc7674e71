"""`backbone restore FILE [--yes]`: put back what `backbone backup` wrote, then migrate it
up to this version. Stop `backbone serve` and `backbone worker` while it runs."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backbone.operations.backups import backup_restore
from backbone.operations.databases import BackupError, first_line


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup."
    # Putting a backup back must not wait for a broken setting to be fixed, nor load every
    # view to check the URLs: `backbone serve` checks afterwards.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="An archive written by `backbone backup`.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace a database that already holds initiatives, people or uploads.",
        )

    def handle(self, *args, **options):
        try:
            manifest = backup_restore(path=Path(options["file"]), replace=options["yes"])
        except (BackupError, OSError, DatabaseError) as exc:
            raise CommandError(first_line(str(exc), type(exc).__name__)) from exc
        uploads = manifest.get("media_files", 0)
        self.stdout.write(
            f"Restored the backup of {manifest.get('created', '?')} (Backbone "
            f"{manifest.get('backbone', '?')}) with {uploads} uploaded "
            f"file{'' if uploads == 1 else 's'}, and migrated it to this version."
        )
