"""`backbone export SLUG --out FILE`: one initiative, whole, in one archive (a zip) that
`backbone import` reads back here or in another installation."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backbone.archive.export import initiative_export
from backbone.archive.manifest import ArchiveError
from backbone.initiatives.models import Initiative


class Command(BaseCommand):
    help = "Write everything an initiative holds to one archive that `backbone import` reads."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The initiative's slug.")
        parser.add_argument("--out", required=True, help="The archive to write (a .zip).")

    def handle(self, *args, slug: str, out: str, **options):
        initiative = Initiative.objects.filter(slug=slug).first()
        if initiative is None:
            raise CommandError(f"No initiative {slug!r}.")
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"No directory {path.parent} to write the archive in.")
        # Written beside its name and renamed at the end: a failed export leaves no half file.
        partial = path.with_name(f".{path.name}.partial")
        started = time.monotonic()
        try:
            with open(partial, "wb") as file:
                manifest = initiative_export(initiative=initiative, out=file)
            os.replace(partial, path)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            partial.unlink(missing_ok=True)
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Wrote {path}: {rows} rows of {initiative.name}, {sum(manifest['shared'].values())} "
            f"shared, {manifest['files']} files, {path.stat().st_size:,} bytes in "
            f"{time.monotonic() - started:.1f} s."
        )
