"""Which reports a partner owes (indicator × period) and where each stands, and whose values
a person may read: what the reporting page lists."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext

from backbone import permissions
from backbone.initiatives.models import Initiative, Partner
from backbone.measurement.completeness.selectors import owes, reporting_partners

from ..models import (
    DataValue,
    Indicator,
    Period,
    Submission,
)

S = Submission.Status
NOT_REPORTED = "missing"
RECENT_CLOSED_PER_KIND = 2
#: How a report (all its values) reads when its values disagree: the step still to do wins.
STATUS_ORDER = (S.RETURNED, S.DRAFT, S.SUBMITTED, S.APPROVED)


def status_label(status: str) -> str:
    return gettext("Not reported") if status == NOT_REPORTED else S(status).label


# --- who reports for whom ---------------------------------------------------------------


def partners_visible(*, initiative: Initiative, person) -> list[Partner]:
    """Partners whose own values this person may read: every partner for the backbone,
    evaluators and data stewards; their own organisations for partner people."""
    partners = Partner.objects.filter(initiative=initiative).select_related("organisation")
    return [p for p in partners if permissions.can(person, "values.view_partner", initiative, p)]


# --- expected reports -------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedReport:
    """One report a partner owes: an indicator for a period, and where it stands."""

    indicator: Indicator
    period: Period
    status: str  # NOT_REPORTED or a Submission.Status
    submission: Submission | None  # the latest submission carrying its values
    value_count: int
    is_late: bool

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def comment(self) -> str:
        if self.status == S.RETURNED and self.submission is not None:
            return self.submission.review_comment
        return ""


def reporting_periods(initiative: Initiative) -> list[Period]:
    """Open periods, then the most recent closed ones of each kind; newest first."""
    periods = list(Period.objects.filter(initiative=initiative).order_by("-end"))
    closed_seen: dict[str, int] = defaultdict(int)
    shown = []
    for p in periods:
        if p.is_open:
            shown.append(p)
        elif closed_seen[p.kind] < RECENT_CLOSED_PER_KIND:
            closed_seen[p.kind] += 1
            shown.append(p)
    return sorted(shown, key=lambda p: (not p.is_open, -p.end.toordinal(), p.code))


def report_status(statuses: dict[str, int]) -> str:
    """The status of a report whose values carry `statuses` (status → count)."""
    for status in STATUS_ORDER:
        if statuses.get(status):
            return status
    return NOT_REPORTED


def partner_reports(
    *, initiative: Initiative, partner: Partner, today: date | None = None
) -> list[tuple[Period, list[ExpectedReport]]]:
    """Each reporting period with the partner's report on every indicator it owes at that
    period's frequency (a monthly indicator in monthly periods, …).

    What a partner owes has one definition, `completeness.selectors.owes` (assignments,
    status, join date), so this page and the completeness pages never disagree."""
    today = today or timezone.localdate()
    assigned = reporting_partners(initiative=initiative)
    periods = reporting_periods(initiative)
    by_frequency: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(initiative=initiative):
        by_frequency[indicator.frequency].append(indicator)
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    latest: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for row in (
        DataValue.objects.filter(initiative=initiative, partner=partner, period__in=periods)
        .values("indicator_id", "period_id", "status")
        .annotate(n=Count("id"), submission_id=Max("submission_id"))
        .order_by()
    ):
        key = (row["indicator_id"], row["period_id"])
        counts[key][row["status"]] = row["n"]
        latest[key][row["status"]] = row["submission_id"]
    wanted = {sid for per_status in latest.values() for sid in per_status.values() if sid}
    submissions = Submission.objects.filter(pk__in=wanted).in_bulk() if wanted else {}
    result = []
    for period in periods:
        reports = []
        for indicator in by_frequency.get(period.kind, []):
            if not owes(partner, period, assigned.get(indicator.pk)):
                continue
            key = (indicator.pk, period.pk)
            status = report_status(counts.get(key, {}))
            submission = submissions.get(latest.get(key, {}).get(status))
            reports.append(
                ExpectedReport(
                    indicator=indicator,
                    period=period,
                    status=status,
                    submission=submission,
                    value_count=sum(counts.get(key, {}).values()),
                    is_late=bool(
                        period.due
                        and today > period.due
                        and status in {NOT_REPORTED, S.DRAFT, S.RETURNED}
                    ),
                )
            )
        if reports:
            result.append((period, reports))
    return result
