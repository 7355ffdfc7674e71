"""Writes about completeness: who reports which indicator, and reminders of reports owed.

Reminders go to a partner's stewards (its members when it has no steward), one e-mail per
partner listing its missing and returned reports for open periods due within
`REMINDER_DAYS_AHEAD` days or overdue. Each report is reminded once: the `ReminderSent` rows
are written in the same transaction as the e-mail is sent, so a failed send records nothing
and a second run finds every report it already reminded.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from backbone.accounts.languages import in_language_of
from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.measurement.models import Indicator, Period
from backbone.notifications.kinds import Kind
from backbone.notifications.selectors import e_mails_stopped
from backbone.notifications.services import unsubscribe_headers
from backbone.permissions import PARTNER_ROLES
from backbone.web.links import site_url

from .models import ReminderSent, ReportingAssignment
from .selectors import Report, completeness

logger = logging.getLogger(__name__)

REMINDER_DAYS_AHEAD = 7


# --- who reports what -----------------------------------------------------------------


@transaction.atomic
def assignments_set(
    *, initiative: Initiative, reporters: Mapping[Indicator, Iterable[Partner]], by
) -> None:
    """Make each indicator's assigned partners exactly `reporters[indicator]`; an empty set
    means nobody is expected to report it."""
    for indicator, partners in reporters.items():
        partners = list(partners)
        if indicator.initiative_id != initiative.pk or any(
            p.initiative_id != initiative.pk for p in partners
        ):
            raise ValueError("Indicators and partners must belong to the initiative.")
        wanted = {p.pk for p in partners}
        current = set(
            ReportingAssignment.objects.filter(indicator=indicator).values_list(
                "partner_id", flat=True
            )
        )
        ReportingAssignment.objects.filter(
            indicator=indicator, partner_id__in=current - wanted
        ).delete()
        ReportingAssignment.objects.bulk_create(
            ReportingAssignment(
                initiative=initiative, indicator=indicator, partner_id=pk, created_by=by
            )
            for pk in sorted(wanted - current)
        )


# --- reminders ------------------------------------------------------------------------


@dataclass
class Reminder:
    """One e-mail: a partner, who it goes to, and the reports it lists."""

    partner: Partner
    recipients: list[str]
    role: str  # the role the recipients hold: partner_steward, or partner_member
    reports: list[Report]


@dataclass
class ReminderSummary:
    initiative: Initiative
    dry_run: bool
    sent: list[Reminder] = field(default_factory=list)  # on a dry run: what would be sent
    failed: list[Reminder] = field(default_factory=list)
    no_recipient: list[Partner] = field(default_factory=list)

    @property
    def reports_reminded(self) -> int:
        return sum(len(r.reports) for r in self.sent)


def partner_page_url(*, initiative: Initiative, partner: Partner) -> str:
    """The partner's completeness page, as a full link when the site's address is set."""
    path = reverse("completeness:partner", args=[initiative.slug, partner.organisation.slug])
    return site_url(path)


def _most_overdue_first(report: Report):
    return (report.period.due, report.period.end, report.indicator.position, report.indicator.name)


def reminders_due(*, initiative: Initiative, today: date) -> tuple[list[Reminder], list[Partner]]:
    """The e-mails a run on `today` would send, and the partners owing reports that have
    nobody to e-mail."""
    periods = Period.objects.filter(
        initiative=initiative,
        status=Period.Status.OPEN,
        due__isnull=False,
        due__lte=today + timedelta(days=REMINDER_DAYS_AHEAD),
    )
    found = completeness(initiative=initiative, periods=periods, today=today)
    if not found.reports:
        return [], []
    already = set(
        ReminderSent.objects.filter(
            initiative=initiative, period__in=[p.pk for p in found.periods]
        ).values_list("partner_id", "indicator_id", "period_id")
    )
    owed: dict[int, list[Report]] = defaultdict(list)
    for report in found.reports:
        if report.is_outstanding and report.key not in already:
            owed[report.partner.pk].append(report)
    if not owed:
        return [], []
    people: dict[tuple[int, str], list[str]] = defaultdict(list)
    members = Membership.objects.filter(
        initiative=initiative,
        role__in=PARTNER_ROLES,
        organisation_id__in=[p.organisation_id for p in found.partners],
        person__is_active=True,
    )
    stopped = e_mails_stopped(members.values_list("person", flat=True), Kind.REPORT_REMINDER)
    for org_id, role, email in (
        members.exclude(person_id__in=stopped)
        .order_by("person__email")
        .values_list("organisation_id", "role", "person__email")
    ):
        if email not in people[(org_id, role)]:
            people[(org_id, role)].append(email)
    reminders, nobody = [], []
    for partner in found.partners:
        if partner.pk not in owed:
            continue
        for role in PARTNER_ROLES:  # the steward first, then the organisation's members
            recipients = people.get((partner.organisation_id, role))
            if recipients:
                reports = sorted(owed[partner.pk], key=_most_overdue_first)
                reminders.append(Reminder(partner, recipients, role, reports))
                break
        else:
            nobody.append(partner)
    return reminders, nobody


def reminder_messages(
    reminder: Reminder, *, initiative: Initiative, today: date
) -> list[EmailMessage]:
    """One e-mail per recipient, each written in its reader's language."""
    partner = reminder.partner
    count = len(reminder.reports)
    context = {
        "initiative": initiative,
        "organisation": partner.organisation,
        "reports": reminder.reports,
        "today": today,
        "link": partner_page_url(initiative=initiative, partner=partner),
        "role": reminder.role,
    }
    people = {p.email: p for p in Person.objects.filter(email__in=reminder.recipients)}
    messages = []
    for email in reminder.recipients:
        person = people.get(email)
        with in_language_of(person):
            subject = ngettext(
                "%(initiative)s: %(count)d report to send for %(organisation)s",
                "%(initiative)s: %(count)d reports to send for %(organisation)s",
                count,
            ) % {
                "initiative": initiative.name,
                "count": count,
                "organisation": partner.organisation.name,
            }
            body = render_to_string("completeness/reminder_email.txt", context)
        messages.append(
            EmailMessage(
                subject=subject,
                body=body,
                to=[email],
                headers=unsubscribe_headers(person, Kind.REPORT_REMINDER),
            )
        )
    return messages


def reminders_send(
    *, initiative: Initiative, today: date, dry_run: bool = False
) -> ReminderSummary:
    """E-mail each partner the reports it owes that have not been reminded yet. A partner
    whose e-mail fails is logged and skipped (its reports stay unreminded, for the next run);
    the others are still sent. A dry run sends and records nothing."""
    summary = ReminderSummary(initiative=initiative, dry_run=dry_run)
    reminders, summary.no_recipient = reminders_due(initiative=initiative, today=today)
    for reminder in reminders:
        if dry_run:
            summary.sent.append(reminder)
            continue
        messages = reminder_messages(reminder, initiative=initiative, today=today)
        try:
            with transaction.atomic():
                # Written first: a concurrent run that already reminded these reports makes
                # the insert fail before anything is sent.
                ReminderSent.objects.bulk_create(
                    ReminderSent(
                        initiative=initiative,
                        partner=r.partner,
                        period=r.period,
                        indicator=r.indicator,
                        sent_at=timezone.now(),
                        recipients="\n".join(reminder.recipients),
                    )
                    for r in reminder.reports
                )
                for message in messages:
                    message.send()
        except IntegrityError:
            logger.info("Reminder to %s already sent by another run", reminder.partner)
        except OSError:  # smtplib's errors and the socket's
            logger.exception(
                "Could not send the report reminder to %s (%s)",
                reminder.partner.organisation.name,
                ", ".join(reminder.recipients),
            )
            summary.failed.append(reminder)
        else:
            summary.sent.append(reminder)
    return summary
