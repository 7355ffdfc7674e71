from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the framework files into the database."

    def handle(self, *args, **options):
        self.stdout.write("No framework files yet.")
