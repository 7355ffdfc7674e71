"""The initiative's navigation: a few areas, each with the pages it holds.

Twenty pages in one row wrap into a wall of links; grouped by what a backbone team does
(agree, measure, work together, run the backbone, learn, know the partners), the first row
stays short and the second row shows the current area's pages. Each page names the rule
that lets a person see it, so the navigation never offers a page that would answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backbone import permissions


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    section: str
    rule: str | None = None  # None: anyone who sees the initiative


@dataclass(frozen=True)
class Area:
    label: str
    pages: tuple[Page, ...]


AREAS: tuple[Area, ...] = (
    Area(_("Overview"), (Page(_("Overview"), "initiatives:overview", "overview"),)),
    Area(
        _("Agenda"),
        (
            Page(_("Common agenda"), "agenda:detail", "agenda"),
            Page(
                _("Partner commitments"), "advocacy:commitments", "commitments", "commitments.view"
            ),
            Page(_("Framework"), "frameworks:initiative", "framework"),
            Page(_("Phase tracker"), "phases:grid", "phases", "phases.view"),
        ),
    ),
    Area(
        _("Results"),
        (
            Page(_("Scorecard"), "dashboards:scorecard", "scorecard"),
            Page(_("Measurement"), "measurement:home", "measurement"),
            Page(_("Reporting"), "measurement:report", "reporting", "values.view_partner"),
            Page(_("Submissions"), "measurement:submissions", "submissions", "values.view_partner"),
            Page(_("Completeness"), "completeness:overview", "completeness", "completeness.view"),
            Page(_("Reports"), "reports:list", "reports", "reports.view"),
            Page(_("API tokens"), "measurement:tokens", "tokens", "tokens.manage"),
            Page(_("DHIS2 exchange"), "measurement:dhis2", "dhis2", "measurement.manage"),
        ),
    ),
    Area(
        _("Working together"),
        (
            Page(_("Activities"), "activities:list", "activities", "activities.view"),
            Page(_("Working groups"), "communication:list", "groups", "groups.view"),
            Page(_("Decisions"), "decisions:list", "decisions", "decisions.view"),
            Page(_("Updates"), "updates:feed", "updates", "updates.view"),
        ),
    ),
    Area(
        pgettext_lazy("navigation area", "Backbone"),
        (
            Page(_("Work plan and funding"), "workplan:plan", "backbone", "workplan.view"),
            Page(_("Policy and public will"), "advocacy:policies", "advocacy", "policies.view"),
            Page(_("Audit trail"), "audit:events", "audit", "audit.view"),
            Page(_("Webhooks"), "webhooks:subscriptions", "webhooks", "webhooks.manage"),
        ),
    ),
    Area(
        _("Learning"),
        (
            Page(_("Learning and evaluation"), "learning:questions", "learning", "learning.view"),
            Page(_("Assessments"), "assessments:rounds", "assessments", "assessments.view"),
            Page(_("Partner network"), "network:waves", "network", "network.view"),
            Page(_("Health"), "health:overview", "health", "health.view"),
            Page(_("Power map"), "powermap:map", "powermap", "powermap.view"),
        ),
    ),
    Area(
        _("Partners"),
        (
            Page(_("Partners"), "initiatives:partners", "partners"),
            Page(_("People"), "initiatives:members", "members", "members.view"),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: bool
    count: int = 0  # things waiting there for the reader (an area sums its pages')


@dataclass(frozen=True)
class Navigation:
    areas: list[Link]
    pages: list[Link]  # the current area's pages, when it has more than one

    @property
    def waiting(self) -> int:
        """Everything waiting for the reader: the folded menu's button shows it on a phone."""
        return sum(area.count for area in self.areas)


def navigation(
    person, initiative, section: str | None, counts: dict[str, int] | None = None
) -> Navigation:
    """The areas and pages `person` may see; `counts` (section → number waiting) labels them."""
    counts = counts or {}
    areas: list[Link] = []
    pages: list[Link] = []
    for area in AREAS:
        visible = [
            p for p in area.pages if p.rule is None or permissions.can(person, p.rule, initiative)
        ]
        if not visible:
            continue
        inside = any(p.section == section for p in visible)
        waiting = sum(counts.get(p.section, 0) for p in visible)
        href = reverse(visible[0].url_name, args=[initiative.slug])
        areas.append(Link(str(area.label), href, inside, waiting))
        if inside and len(visible) > 1:
            pages = [
                Link(
                    str(p.label),
                    reverse(p.url_name, args=[initiative.slug]),
                    p.section == section,
                    counts.get(p.section, 0),
                )
                for p in visible
            ]
    return Navigation(areas=areas, pages=pages)
