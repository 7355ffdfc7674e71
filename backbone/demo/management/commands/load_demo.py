from django.core.management.base import BaseCommand, CommandError

from backbone.demo.builder import PASSWORD, demo_build, demo_prerequisites
from backbone.frameworks.loader import FrameworkFileError
from backbone.web.links import site_url


class Command(BaseCommand):
    help = "Build the demo initiative (replacing an earlier demo) and print its sign-ins."

    def handle(self, *args, **options):
        try:
            loaded = demo_prerequisites()
        except FrameworkFileError as exc:
            raise CommandError(str(exc)) from exc
        for framework in loaded:
            self.stdout.write(f"Loaded the framework {framework.name} ({framework.slug}).")
        initiative, sign_ins = demo_build()
        self.stdout.write(self.style.SUCCESS(f"Built the demo: {initiative.name}"))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (the password of each: {PASSWORD})")
        width = max(len(s.role) for s in sign_ins)
        for s in sign_ins:
            self.stdout.write(f"  {s.role:<{width}}  {s.email:<38} {s.name} — {s.note}")
        self.stdout.write("")
        self.stdout.write(f"Open {site_url('/')}")
