from django.core.management.base import BaseCommand, CommandError

from backbone.assessments.services import reminders_send
from backbone.initiatives.models import Initiative


class Command(BaseCommand):
    help = (
        "E-mail everyone who has not yet answered an open assessment round: when it opens, "
        "every week, and on its last two days; never twice in one day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--initiative", metavar="SLUG", help="Only this initiative.")

    def handle(self, *args, initiative=None, **options):
        initiatives = Initiative.objects.order_by("slug")
        if initiative:
            initiatives = initiatives.filter(slug=initiative)
            if not initiatives.exists():
                raise CommandError(f"No initiative {initiative!r}.")
        failed = 0
        for found in initiatives:
            summary = reminders_send(initiative=found)
            for respondent in summary.sent:
                self.stdout.write(
                    f"{found.slug}: reminded {respondent.person.email} of “{respondent.round}”"
                )
            for respondent in summary.failed:
                self.stderr.write(
                    f"{found.slug}: could not e-mail {respondent.person.email}; "
                    "tried again next run"
                )
            failed += len(summary.failed)
        if failed:
            raise CommandError(f"{failed} reminder(s) could not be sent.")
