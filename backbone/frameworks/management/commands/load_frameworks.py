from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backbone.frameworks.loader import FrameworkFileError, load_all


class Command(BaseCommand):
    help = "Check the framework files and store them, all or none (one framework per slug)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            dest="directory",
            help=f"Read the framework files from DIR instead of {settings.FRAMEWORKS_DIR}.",
        )

    def handle(self, *args, directory=None, **options):
        try:
            frameworks = load_all(directory)
        except FrameworkFileError as exc:
            raise CommandError(str(exc)) from exc
        if not frameworks:
            self.stdout.write(f"No framework files in {directory or settings.FRAMEWORKS_DIR}.")
        for framework in frameworks:
            sections = framework.data["sections"]
            elements = sum(len(section["elements"]) for section in sections)
            self.stdout.write(
                f"Loaded {framework.name} ({framework.slug}, version {framework.version}) "
                f"from {framework.source_file}: {len(sections)} sections, {elements} elements."
            )
