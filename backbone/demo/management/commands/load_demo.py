from django.core.management.base import BaseCommand

from backbone.demo.builder import PASSWORD, demo_build


class Command(BaseCommand):
    help = "Build the demo initiative (replacing an earlier demo) and print its sign-ins."

    def handle(self, *args, **options):
        initiative, sign_ins = demo_build()
        self.stdout.write(self.style.SUCCESS(f"Built the demo: {initiative.name}"))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (the password of each: {PASSWORD})")
        width = max(len(s.role) for s in sign_ins)
        for s in sign_ins:
            self.stdout.write(f"  {s.role:<{width}}  {s.email:<38} {s.name} — {s.note}")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/")
