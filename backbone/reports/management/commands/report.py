"""`backbone report <initiative> --start YYYY-MM-DD --end YYYY-MM-DD --out file.pdf`: the
progress report of a period as a PDF, read as backbone staff read it (the full report)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backbone.accounts.languages import in_language_of
from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative
from backbone.permissions import STAFF_ROLES
from backbone.reports import periods, selectors, services
from backbone.reports.models import Report
from backbone.reports.pdf import render_pdf


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = "Write the progress report of a period as a PDF, as backbone staff read it."

    def add_arguments(self, parser):
        parser.add_argument("initiative", help="The initiative's slug.")
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--out", required=True, help="Where to write the PDF.")
        parser.add_argument("--title", default="", help="The report's title.")
        parser.add_argument(
            "--as",
            dest="reader",
            default="",
            help="E-mail of the backbone staff member to read as.",
        )

    def handle(self, *args, **options):
        initiative = Initiative.objects.filter(slug=options["initiative"]).first()
        if initiative is None:
            raise CommandError(f"No initiative {options['initiative']!r}.")
        start, end = _day(options["start"]), _day(options["end"])
        problem = services.period_problem(start=start, end=end)
        if problem:
            raise CommandError(problem)
        reader = self._reader(initiative, options["reader"])
        report = Report(
            initiative=initiative,
            title=options["title"] or periods.suggested_title(start, end),
            period_start=start,
            period_end=end,
            created_by=reader,
        )
        try:
            report.full_clean(exclude=["created_by"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        out = Path(options["out"])
        with in_language_of(reader):  # in the language the reader chose
            out.write_bytes(render_pdf(selectors.build_report(report, reader)))
        self.stdout.write(f"Wrote {out} ({out.stat().st_size:,} bytes).")

    def _reader(self, initiative: Initiative, email: str) -> Person:
        staff = Person.objects.filter(
            memberships__initiative=initiative, memberships__role__in=STAFF_ROLES
        ).distinct()
        if email:
            found = staff.filter(email__iexact=email).first()
            if found is None:
                raise CommandError(f"{email} is not backbone staff of {initiative.name}.")
            return found
        found = staff.order_by("name", "id").first()
        if found is None:
            raise CommandError(f"{initiative.name} has no backbone staff to read the report as.")
        return found
