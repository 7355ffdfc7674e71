"""`backbone compilemessages`: the catalogues (LOCALE_PATHS/<lang>/LC_MESSAGES/django.po)
into the .mo files Django reads, with polib, so a machine without GNU gettext compiles them
too. A catalogue older than its .mo is left as it is; fuzzy and untranslated entries are not
compiled (the page shows the English)."""

from __future__ import annotations

import os
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    return sorted(p for d in settings.LOCALE_PATHS for p in Path(d).glob("*/LC_MESSAGES/*.po"))


def compile_catalogue(po: Path) -> Path:
    """Write `po`'s .mo beside it, whole or not at all (a server may be reading the old)."""
    mo = po.with_suffix(".mo")
    partial = mo.with_suffix(".mo.partial")
    polib.pofile(str(po)).save_as_mofile(str(partial))
    os.replace(partial, mo)
    return mo


class Command(BaseCommand):
    help = "Compile the translation catalogues (no GNU gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale", "-l", action="append", default=[], help="Only this language (repeat)."
        )
        parser.add_argument("--force", action="store_true", help="Compile even if up to date.")

    def handle(self, *args, locale: list[str], force: bool, **options):
        for po in catalogues():
            if locale and po.parent.parent.name not in locale:
                continue
            mo = po.with_suffix(".mo")
            if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            try:
                compile_catalogue(po)
            except OSError as exc:  # an installed copy may be read-only: it keeps its .mo
                self.stderr.write(f"could not compile {po}: {exc}")
                continue
            if options["verbosity"]:
                self.stdout.write(f"compiled {mo}")
