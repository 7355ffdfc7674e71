"""Reads of reports: the ones a reader may open, one by its uuid, and the whole document."""

from __future__ import annotations

import uuid as uuid_lib
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from backbone.initiatives.models import Initiative
from backbone.permissions import can

from . import charts, sections
from .models import Report

#: The sections in the order the report prints them: (key, heading).
SECTIONS = [
    ("agenda", pgettext_lazy("report section", "Common agenda")),
    ("indicators", pgettext_lazy("report section", "Indicators and equity gaps")),
    ("activities", pgettext_lazy("report section", "Activities and their gaps")),
    ("effort", pgettext_lazy("report section", "Backbone effort by role")),
    ("funding", pgettext_lazy("report section", "Funding secured")),
    ("policy", pgettext_lazy("report section", "Policy wins and public will")),
    ("decisions", pgettext_lazy("report section", "Decisions")),
    ("learning", pgettext_lazy("report section", "Learning")),
]


def reports_for(viewer, initiative: Initiative) -> list[Report]:
    """The initiative's reports that `viewer` may read, latest period first."""
    found = Report.objects.filter(initiative=initiative).select_related("created_by")
    return [r for r in found if can(viewer, "report.view", initiative, r)]


def report_in(initiative: Initiative, value) -> Report | None:
    """The report of `initiative` with uuid `value`; None for garbage or another's report."""
    try:
        parsed = value if isinstance(value, uuid_lib.UUID) else uuid_lib.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None
    found = (
        Report.objects.filter(initiative=initiative, uuid=parsed)
        .select_related("created_by")
        .first()
    )
    if found is not None:
        found.initiative = initiative
    return found


@dataclass
class ReportDocument:
    """Everything one reader sees of one report, drawn from the live data at `as_of`."""

    report: Report
    initiative: Initiative
    as_of: datetime
    agenda: sections.AgendaSummary
    indicators: sections.IndicatorSection
    activities: sections.ActivitySection
    effort: sections.EffortSection
    funding: sections.FundingSection
    policy: sections.PolicySection
    decisions: sections.EntriesSection
    learning: sections.EntriesSection

    @property
    def start(self) -> date:
        return self.report.period_start

    @property
    def end(self) -> date:
        return self.report.period_end

    @property
    def headings(self) -> list[tuple[str, str]]:
        return SECTIONS

    @property
    def effort_chart(self) -> charts.Bars | None:
        return charts.effort_bars(self.effort)

    @property
    def filename(self) -> str:
        return f"{self.initiative.slug}-report-{self.start:%Y-%m-%d}-{self.end:%Y-%m-%d}.pdf"


def build_report(report: Report, viewer) -> ReportDocument:
    """The report for `viewer`: each section built as the page it comes from is built for
    them, over the report's period."""
    initiative = report.initiative
    start, end = report.period_start, report.period_end
    return ReportDocument(
        report=report,
        initiative=initiative,
        as_of=timezone.now(),
        agenda=sections.agenda_section(initiative=initiative),
        indicators=sections.indicators_section(initiative=initiative, viewer=viewer, until=end),
        activities=sections.activities_section(initiative=initiative, start=start, end=end),
        effort=sections.effort_section(initiative=initiative, start=start, end=end),
        funding=sections.funding_section(
            initiative=initiative, viewer=viewer, start=start, end=end
        ),
        policy=sections.policy_section(initiative=initiative, viewer=viewer, start=start, end=end),
        decisions=sections.decisions_section(
            initiative=initiative, viewer=viewer, start=start, end=end
        ),
        learning=sections.learning_section(
            initiative=initiative, viewer=viewer, start=start, end=end
        ),
    )
