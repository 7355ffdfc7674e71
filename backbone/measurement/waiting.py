"""What of the shared measurement waits for one person, for their home page: submissions to
approve (for those who approve) and their own organisations' reports that are late, returned
or due in an open period (for those who report). Counts come from the same selectors as the
reporting and submissions pages, so home never disagrees with them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, standing

from .models import DataValue, Submission
from .reporting import NOT_REPORTED, partner_reports

S = DataValue.Status


@dataclass(frozen=True)
class Waiting:
    """One line of a person's to-do list: what, how many, the page that does it, and that
    page's section of the navigation (which shows the count)."""

    initiative: Initiative
    text: str
    count: int
    href: str
    section: str


def waiting_for(person, initiatives: list[Initiative]) -> list[Waiting]:
    """Everything of measurement waiting for `person` in these initiatives."""
    if person is None or not person.is_authenticated:
        return []
    found: list[Waiting] = []
    for initiative in initiatives:
        found += _approvals(person, initiative)
        found += _reports(person, initiative)
    return found


def _approvals(person, initiative: Initiative) -> list[Waiting]:
    if not can(person, "values.approve", initiative):
        return []
    count = Submission.objects.filter(initiative=initiative, status=S.SUBMITTED).count()
    if not count:
        return []
    href = reverse("measurement:submissions", args=[initiative.slug]) + "?status=submitted"
    text = ngettext(
        "%(count)s submission waits for approval",
        "%(count)s submissions wait for approval",
        count,
    ) % {"count": count}
    return [Waiting(initiative, text, count, href, "submissions")]


def _reports(person, initiative: Initiative) -> list[Waiting]:
    """The reports of the organisations this person acts for, where they may submit."""
    acts_for = {o for ids in standing(person, initiative).organisation_ids.values() for o in ids}
    if not acts_for:
        return []
    partners = Partner.objects.filter(
        initiative=initiative, organisation_id__in=acts_for
    ).select_related("organisation")
    today = timezone.localdate()
    found = []
    for partner in partners:
        if not can(person, "values.submit", initiative, partner):
            continue
        late = returned = due = 0
        for period, reports in partner_reports(initiative=initiative, partner=partner, today=today):
            for report in reports:
                if report.is_late:
                    late += 1
                elif report.status == S.RETURNED:
                    returned += 1
                elif period.is_open and report.status in (NOT_REPORTED, S.DRAFT):
                    due += 1
        parts = [
            text % {"count": n}
            for n, text in (
                (late, ngettext("%(count)s report late", "%(count)s reports late", late)),
                (
                    returned,
                    ngettext("%(count)s report returned", "%(count)s reports returned", returned),
                ),
                (due, ngettext("%(count)s report due", "%(count)s reports due", due)),
            )
            if n
        ]
        if parts:
            href = (
                reverse("measurement:report", args=[initiative.slug])
                + f"?partner={partner.organisation.slug}"
            )
            text = gettext("%(partner)s: %(reports)s") % {
                "partner": partner.organisation.name,
                "reports": ", ".join(parts),
            }
            found.append(Waiting(initiative, text, late + returned + due, href, "reporting"))
    return found
