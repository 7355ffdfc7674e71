from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backbone.initiatives.models import Initiative
from backbone.measurement.completeness.services import REMINDER_DAYS_AHEAD, reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each partner's stewards the missing and returned reports of open periods due "
        f"within {REMINDER_DAYS_AHEAD} days or overdue; each report is reminded once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--initiative", metavar="SLUG", help="Only this initiative.")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, initiative=None, dry_run=False, **options):
        initiatives = Initiative.objects.order_by("slug")
        if initiative:
            initiatives = initiatives.filter(slug=initiative)
            if not initiatives.exists():
                raise CommandError(f"No initiative {initiative!r}.")
        today = timezone.localdate()
        failed = 0
        for i in initiatives:
            summary = reminders_send(initiative=i, today=today, dry_run=dry_run)
            verb = "Would send" if dry_run else "Sent"
            for reminder in summary.sent:
                self.stdout.write(
                    f"{i.slug}: {verb} {reminder.partner.organisation.name} a reminder of "
                    f"{len(reminder.reports)} report(s) to {', '.join(reminder.recipients)}"
                )
            for reminder in summary.failed:
                self.stderr.write(
                    f"{i.slug}: could not e-mail {reminder.partner.organisation.name} "
                    f"({', '.join(reminder.recipients)}); it will be tried again next run"
                )
            for partner in summary.no_recipient:
                self.stderr.write(
                    f"{i.slug}: {partner.organisation.name} owes reports but has no steward "
                    "or member to e-mail"
                )
            failed += len(summary.failed)
        if failed:
            raise CommandError(f"{failed} reminder(s) could not be sent.")
