"""Completeness: which reports the partners owe (partner × indicator × period) and where each
stands, with the figures the backbone follows.

Expected: a partner owes a report on an indicator for a period when
- the period's kind is the indicator's reporting frequency;
- the partner is active and had joined by the period's last day (a partner that joins
  mid-way owes nothing for the periods that ended before it joined);
- the indicator has no reporting assignments, or the partner is one of its assigned partners.

State, read from the partner's current values for that indicator and period:
- ``returned``: some value sits in a returned submission not yet submitted again;
- ``received``: otherwise, some value is submitted or approved;
- ``missing``: no values, or only drafts.

A value left blank with a reason (not collected, suppressed at the source, not applicable) is
the partner's answer: it makes a report received like any value, never missing or late.

Received when: the earliest ``submitted_at`` of the submissions that carry the report's
current submitted or approved values (a value whose submission is gone counts from its last
change). A later correction of a few cells keeps the report's first date; a report sent again
in full replaces its values and counts from the new submission; a returned submission sent
again counts from when it was sent again, since submitting moves its ``submitted_at``.

Late: received after the period's due date (sent on the due day, in the site's time zone,
is on time), or not received and today is after the due date. A period without a due
date is never late.

Everything is read in a fixed number of queries, whatever the number of partners, indicators
and periods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from backbone.initiatives.models import Initiative, Partner
from backbone.initiatives.roles import PartnerStatus
from backbone.measurement.models import DataValue, Indicator, Period, Submission

from .models import ReportingAssignment

S = Submission.Status
MISSING = "missing"
RETURNED = "returned"
RECEIVED = "received"
STATE_LABELS = {MISSING: "Missing", RETURNED: "Returned", RECEIVED: "Received"}
OUTSTANDING = frozenset({MISSING, RETURNED})


@dataclass(frozen=True, slots=True)
class Report:
    """One report a partner owes: an indicator for a period, and where it stands."""

    partner: Partner
    indicator: Indicator
    period: Period
    state: str
    received_at: datetime | None
    is_late: bool
    comment: str = ""  # the backbone's comment when returned

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.partner.pk, self.indicator.pk, self.period.pk)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_received(self) -> bool:
        return self.state == RECEIVED

    @property
    def is_outstanding(self) -> bool:
        return self.state in OUTSTANDING

    @property
    def on_time(self) -> bool:
        return self.state == RECEIVED and not self.is_late


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(slots=True)
class Figures:
    """Counts over a set of expected reports. `late` counts reports received late and
    reports still outstanding after their due date."""

    expected: int = 0
    received: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0

    def add(self, report: Report) -> None:
        self.expected += 1
        self.received += report.state == RECEIVED
        self.on_time += report.on_time
        self.late += report.is_late
        self.missing += report.state == MISSING
        self.returned += report.state == RETURNED

    @property
    def share_received(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def share_on_time(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def percent_received(self) -> int | None:
        return _percent(self.received, self.expected)

    @property
    def percent_on_time(self) -> int | None:
        return _percent(self.on_time, self.expected)


@dataclass(frozen=True, slots=True)
class GridRow:
    partner: Partner
    cells: list[Report | None]  # one per indicator of the grid; None: not expected


@dataclass(frozen=True, slots=True)
class PeriodGrid:
    """One period: its indicators across, its partners down, each report's state inside."""

    period: Period
    figures: Figures
    indicators: list[Indicator]
    rows: list[GridRow]

    @property
    def outstanding(self) -> list[tuple[Partner, list[Report]]]:
        """Who has not sent what: each partner with its missing and returned reports."""
        out = []
        for row in self.rows:
            owed = [r for r in row.cells if r is not None and r.is_outstanding]
            if owed:
                out.append((row.partner, owed))
        return out


@dataclass
class Completeness:
    today: date
    periods: list[Period]  # newest first
    indicators: list[Indicator]
    partners: list[Partner]  # partners owing at least one report, by name
    reports: list[Report]  # by period (newest first), partner, indicator
    overall: Figures = field(default_factory=Figures)
    by_partner: dict[int, Figures] = field(default_factory=dict)
    by_indicator: dict[int, Figures] = field(default_factory=dict)
    by_period: dict[int, Figures] = field(default_factory=dict)
    by_partner_period: dict[tuple[int, int], Figures] = field(default_factory=dict)

    def partner_rows(self) -> list[tuple[Partner, Figures]]:
        return [(p, self.by_partner[p.pk]) for p in self.partners]

    def indicator_rows(self) -> list[tuple[Indicator, Figures]]:
        return [(i, self.by_indicator[i.pk]) for i in self.indicators if i.pk in self.by_indicator]

    def period_rows(self) -> list[tuple[Period, Figures]]:
        return [(p, self.by_period[p.pk]) for p in self.periods if p.pk in self.by_period]

    def by_period_reports(self) -> list[tuple[Period, list[Report]]]:
        """Each period that has expected reports, with them."""
        grouped: dict[int, list[Report]] = defaultdict(list)
        for r in self.reports:
            grouped[r.period.pk].append(r)
        return [(p, grouped[p.pk]) for p in self.periods if grouped.get(p.pk)]

    def grids(self) -> list[PeriodGrid]:
        """Partners × indicators for each period that has expected reports."""
        found = {r.key: r for r in self.reports}
        grids = []
        for period in self.periods:
            if period.pk not in self.by_period:
                continue
            indicators = [i for i in self.indicators if i.frequency == period.kind]
            rows = []
            for partner in self.partners:
                cells = [found.get((partner.pk, i.pk, period.pk)) for i in indicators]
                if any(cells):
                    rows.append(GridRow(partner=partner, cells=cells))
            grids.append(
                PeriodGrid(
                    period=period,
                    figures=self.by_period[period.pk],
                    indicators=indicators,
                    rows=rows,
                )
            )
        return grids


# --- which periods, which partners ----------------------------------------------------


def default_periods(*, initiative: Initiative, today: date) -> list[Period]:
    """Periods open for reporting or whose due date has passed, most recent first."""
    return list(
        Period.objects.filter(initiative=initiative)
        .filter(Q(status=Period.Status.OPEN) | Q(due__lt=today))
        .order_by("-end", "kind", "code")
    )


def reporting_partners(*, initiative: Initiative) -> dict[int, set[int]]:
    """Indicator id → the ids of its assigned partners (indicators without any are absent)."""
    assigned: dict[int, set[int]] = defaultdict(set)
    for indicator_id, partner_id in ReportingAssignment.objects.filter(
        initiative=initiative
    ).values_list("indicator_id", "partner_id"):
        assigned[indicator_id].add(partner_id)
    return dict(assigned)


def unassigned_indicators(*, initiative: Initiative) -> list[Indicator]:
    """Indicators nobody is expected to report: no active partner is assigned to them."""
    return list(
        Indicator.objects.filter(initiative=initiative)
        .exclude(
            assignments__partner__status=PartnerStatus.ACTIVE,
        )
        .order_by("name")
    )


def owes(partner: Partner, period: Period, assigned: set[int] | None) -> bool:
    """Whether an active `partner` owes `period`'s report on an indicator whose assigned
    partners are `assigned` (None: the indicator has no assignments). Only an assigned partner
    owes a report: until staff say who reports what, nobody is late. A partner owes the
    periods that start on or after the day it joined: nobody can report a month it was not
    there for the whole of."""
    if partner.status != PartnerStatus.ACTIVE or partner.joined_on > period.start:
        return False
    return assigned is not None and partner.pk in assigned


# --- the reports and their figures ----------------------------------------------------


@dataclass(slots=True)
class _Seen:
    """What the values of one report say, gathered from grouped rows."""

    statuses: set[str] = field(default_factory=set)
    received_at: datetime | None = None
    returned_submission: int | None = None


def _values_seen(
    *, initiative: Initiative, period_ids: list[int], partner: Partner | None
) -> dict[tuple[int, int, int], _Seen]:
    values = DataValue.objects.filter(initiative=initiative, period_id__in=period_ids)
    if partner is not None:
        values = values.filter(partner=partner)
    rows = (
        values.values("partner_id", "indicator_id", "period_id", "status")
        .annotate(
            first_at=Min(Coalesce("submission__submitted_at", "updated_at")),
            last_submission=Max("submission_id"),
        )
        .order_by()
    )
    seen: dict[tuple[int, int, int], _Seen] = defaultdict(_Seen)
    for row in rows:
        s = seen[(row["partner_id"], row["indicator_id"], row["period_id"])]
        status = row["status"]
        s.statuses.add(status)
        if status in (S.SUBMITTED, S.APPROVED) and row["first_at"] is not None:
            if s.received_at is None or row["first_at"] < s.received_at:
                s.received_at = row["first_at"]
        elif status == S.RETURNED:
            s.returned_submission = row["last_submission"]
    return seen


def _state(seen: _Seen | None) -> str:
    if seen is None:
        return MISSING
    if S.RETURNED in seen.statuses:
        return RETURNED
    if seen.statuses & {S.SUBMITTED, S.APPROVED}:
        return RECEIVED
    return MISSING


def is_late(*, period: Period, state: str, received_at: datetime | None, today: date) -> bool:
    if period.due is None:
        return False
    if state == RECEIVED and received_at is not None:
        return timezone.localdate(received_at) > period.due
    return today > period.due


def completeness(
    *,
    initiative: Initiative,
    periods: Iterable[Period] | None = None,
    partner: Partner | None = None,
    today: date | None = None,
) -> Completeness:
    """Every expected report in `periods` (default: `default_periods`), for every partner or
    for `partner` alone, with its state and lateness, and the figures per partner, per
    indicator, per period, per partner and period, and overall. At most six queries."""
    today = today or timezone.localdate()
    if periods is None:
        periods = default_periods(initiative=initiative, today=today)
    periods = sorted(periods, key=lambda p: (-p.end.toordinal(), p.kind, p.code))
    kinds = {p.kind for p in periods}
    result = Completeness(today=today, periods=periods, indicators=[], partners=[], reports=[])
    if not periods:
        return result
    result.indicators = list(Indicator.objects.filter(initiative=initiative, frequency__in=kinds))
    if partner is not None:
        partners = [partner] if partner.initiative_id == initiative.pk else []
    else:
        partners = list(
            Partner.objects.filter(initiative=initiative, status=PartnerStatus.ACTIVE)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    if not result.indicators or not partners:
        return result
    assigned = reporting_partners(initiative=initiative)
    seen = _values_seen(initiative=initiative, period_ids=[p.pk for p in periods], partner=partner)
    returned_ids = {s.returned_submission for s in seen.values() if s.returned_submission}
    comments = (
        dict(Submission.objects.filter(pk__in=returned_ids).values_list("pk", "review_comment"))
        if returned_ids
        else {}
    )
    by_kind: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in result.indicators:
        by_kind[indicator.frequency].append(indicator)
    owing: set[int] = set()
    for period in periods:
        for p in partners:
            for indicator in by_kind[period.kind]:
                if not owes(p, period, assigned.get(indicator.pk)):
                    continue
                found = seen.get((p.pk, indicator.pk, period.pk))
                state = _state(found)
                received_at = found.received_at if found and state == RECEIVED else None
                report = Report(
                    partner=p,
                    indicator=indicator,
                    period=period,
                    state=state,
                    received_at=received_at,
                    is_late=is_late(
                        period=period, state=state, received_at=received_at, today=today
                    ),
                    comment=comments.get(found.returned_submission, "")
                    if found and state == RETURNED
                    else "",
                )
                result.reports.append(report)
                owing.add(p.pk)
                result.overall.add(report)
                for figures, key in (
                    (result.by_partner, p.pk),
                    (result.by_indicator, indicator.pk),
                    (result.by_period, period.pk),
                    (result.by_partner_period, (p.pk, period.pk)),
                ):
                    figures.setdefault(key, Figures()).add(report)
    result.partners = [p for p in partners if p.pk in owing]
    return result


# --- what each reader sees (the pages and the API) -----------------------------------------


def _only(found: Completeness, partner_ids: set[int]) -> Completeness:
    """`found` narrowed to some partners' reports, with its figures counted again."""
    narrowed = Completeness(
        today=found.today,
        periods=found.periods,
        indicators=found.indicators,
        partners=[p for p in found.partners if p.pk in partner_ids],
        reports=[],
    )
    for report in found.reports:
        if report.partner.pk not in partner_ids:
            continue
        narrowed.reports.append(report)
        narrowed.overall.add(report)
        for figures, key in (
            (narrowed.by_partner, report.partner.pk),
            (narrowed.by_indicator, report.indicator.pk),
            (narrowed.by_period, report.period.pk),
            (narrowed.by_partner_period, (report.partner.pk, report.period.pk)),
        ):
            figures.setdefault(key, Figures()).add(report)
    return narrowed


def completeness_seen_by(
    *, initiative: Initiative, person, period: str = "", today: date | None = None
) -> Completeness | None:
    """What the completeness pages show `person` over the periods due or open (or the one
    with code `period`): every partner's reports for who reads them all, else those of the
    partners whose own page they read; None for who reads neither."""
    from backbone.permissions import can

    today = today or timezone.localdate()
    periods = default_periods(initiative=initiative, today=today)
    if period:
        periods = [p for p in periods if p.code == period]
    if can(person, "completeness.view_all", initiative):
        return completeness(initiative=initiative, periods=periods, today=today)
    partners = [
        p
        for p in Partner.objects.filter(initiative=initiative).select_related("organisation")
        if can(person, "completeness.view_partner", initiative, p)
    ]
    if not partners:
        return None
    if len(partners) == 1:
        return completeness(
            initiative=initiative, periods=periods, partner=partners[0], today=today
        )
    found = completeness(initiative=initiative, periods=periods, today=today)
    return _only(found, {p.pk for p in partners})
