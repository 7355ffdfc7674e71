"""`backbone import FILE [--as NEW-SLUG]`: an archive written by `backbone export`, as a new
initiative of this installation, in one transaction."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backbone.archive.imports import initiative_import
from backbone.archive.manifest import ArchiveError


class Command(BaseCommand):
    help = "Import an initiative from an archive written by `backbone export`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive (.zip).")
        parser.add_argument(
            "--as",
            dest="slug",
            default="",
            metavar="NEW-SLUG",
            help="The slug of the new initiative (default: the archive's).",
        )

    def handle(self, *args, file: str, slug: str, **options):
        started = time.monotonic()
        try:
            done = initiative_import(source=Path(file), slug=slug)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        people = done.created.get("accounts.Person", 0)
        new = (
            f"{people} people new here, who set a password through “Forgot your password?”"
            if people
            else "nobody new here"
        )
        self.stdout.write(
            f"Imported {done.initiative.name} as {done.initiative.slug}: {done.rows} rows, "
            f"{done.files} files, {new}; in {time.monotonic() - started:.1f} s."
        )
