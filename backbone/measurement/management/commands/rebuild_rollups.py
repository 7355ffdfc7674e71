"""`backbone rebuild_rollups [SLUG]`: recompute the roll-ups from the values, from scratch."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from backbone.initiatives.models import Initiative
from backbone.measurement.rollups import rebuild


class Command(BaseCommand):
    help = "Recompute the roll-ups of every initiative's values (or of one) from scratch."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="Only this initiative.")

    def handle(self, *args, slug=None, **options):
        initiative_id = None
        if slug:
            initiative_id = (
                Initiative.objects.filter(slug=slug).values_list("id", flat=True).first()
            )
            if initiative_id is None:
                raise CommandError(f"No initiative {slug!r}.")
        with transaction.atomic():
            rows = rebuild(initiative_id)
        self.stdout.write(f"{rows} roll-up rows written.")
