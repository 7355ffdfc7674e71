"""The sections of a progress report, one plain function each, built from the live data of
the report's period for one reader. Each returns a dataclass that both the page and the PDF
render, so the two can never say different things.

Every figure is read from the app that owns it (the scorecard, the alignment rules, the work
plan, the policy agenda); nothing here computes a figure those apps already compute, and
nothing here decides what a reader may see: the permission rules do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from backbone.activities import alignment
from backbone.activities import selectors as activities
from backbone.activities.models import Activity
from backbone.advocacy.models import Policy, PolicyEvent, PublicWillItem
from backbone.agenda import selectors as agenda
from backbone.agenda.models import AgendaVersion, Strategy
from backbone.dashboards import charts, scorecard
from backbone.dashboards.scorecard import Board, DimensionGap, GoalRows, ScorecardRow
from backbone.dashboards.templatetags.figures import figure
from backbone.initiatives.models import Initiative
from backbone.measurement import privacy
from backbone.measurement import selectors as measurement
from backbone.measurement.models import Group
from backbone.permissions import can, grant_funders
from backbone.workplan import selectors as workplan
from backbone.workplan.models import EffortEntry, Grant
from backbone.workplan.services import backbone_roles

# --- 1. the common agenda --------------------------------------------------------------


@dataclass
class GoalLine:
    title: str
    strategies: int


@dataclass
class AgendaSummary:
    vision: str  # sanitised rich text, as the agenda page shows it
    goals: list[GoalLine]
    version: AgendaVersion | None
    endorsed: int  # active partners that endorse the current version
    partners: int  # active partners

    @property
    def endorsement_share(self) -> Decimal | None:
        return Decimal(self.endorsed) / self.partners if self.partners else None


def agenda_section(*, initiative: Initiative) -> AgendaSummary:
    """The agenda as it stands today: it is one living document, not a figure of a period."""
    found = agenda.agenda_summary(initiative)
    status = agenda.endorsement_status(initiative, found["version"])
    return AgendaSummary(
        vision=found["agenda"].vision if found["agenda"] else "",
        goals=[GoalLine(g.title, len(g.strategies.all())) for g in found["goals"]],
        version=found["version"],
        endorsed=status.endorsed if found["version"] else 0,
        partners=status.total,
    )


# --- 2. indicators ---------------------------------------------------------------------


@dataclass
class IndicatorSection:
    goals: list[GoalRows]  # the scorecard's rows, as of the report's end
    until: date
    shows_small_numbers: bool
    threshold: int

    @property
    def rows(self) -> list[ScorecardRow]:
        return [row for goal in self.goals for row in goal.rows]

    @property
    def needle_moving(self) -> list[ScorecardRow]:
        return [row for row in self.rows if row.needle_moving]

    @property
    def gaps(self) -> list[tuple[ScorecardRow, DimensionGap]]:
        """Every equity gap the reader may see, indicator by indicator."""
        return [(row, g) for row in self.rows for g in row.gaps if g.gap is not None]


def indicators_section(*, initiative: Initiative, viewer, until: date) -> IndicatorSection:
    """The indicators `viewer` may see (`indicator.results`), with small numbers hidden unless
    `results.small_numbers` lets them see those: the scorecard exactly as it is for them."""
    indicators = scorecard.visible_indicators(viewer, initiative)
    shows_small = privacy.sees_small_numbers(viewer, initiative)
    board = Board.read(initiative, indicators, shows_small=shows_small, until=until)
    goals = [
        GoalRows(s.goal, [board.rows[i.pk] for i in s.indicators])
        for s in measurement.indicators_by_goal(initiative, indicators)
    ]
    for goal in goals:
        for row in goal.rows:
            row.sparkline = charts.row_sparkline(row, lambda v, i=row.indicator: figure(v, i))
    return IndicatorSection(goals, until, shows_small, board.threshold)


# --- 3. activities ---------------------------------------------------------------------


@dataclass
class StrategyCount:
    strategy: Strategy
    activities: int  # running in the period, any status
    active: int  # of them, active


@dataclass
class OverlapLine:
    first: Activity
    second: Activity
    strategies: list[Strategy]
    groups: list[Group]


@dataclass
class ActivitySection:
    total: int
    by_status: list[tuple[str, int]]  # (label, count), in the statuses' order
    by_strategy: list[StrategyCount]
    strategy_gaps: list[Strategy]
    place_gaps: list[Group]
    overlaps: list[OverlapLine]  # the first OVERLAPS_LISTED
    overlap_count: int
    has_places: bool


OVERLAPS_LISTED = 20


def activities_section(*, initiative: Initiative, start: date, end: date) -> ActivitySection:
    """The activities running at some time in the period (as the 4W view filters them), with
    gaps and overlaps found among them by the alignment rules (`activities.alignment`)."""
    place_list = activities.places(initiative=initiative)
    parents = activities.parents_of(place_list)
    found = activities.activities(
        initiative=initiative,
        flt=activities.ActivityFilter(start=start, end=end),
        place_list=place_list,
    )
    strategies = list(
        Strategy.objects.filter(initiative=initiative)
        .select_related("goal")
        .order_by("goal__position", "position", "id")
    )
    items = [
        alignment.Item(
            key=a.pk,
            partner=a.partner_id,
            status=a.status,
            strategies=frozenset(s.pk for s in a.strategies.all()),
            places=frozenset(g.pk for g in a.places.all()),
            groups=frozenset(g.pk for g in a.groups.all()),
            starts_on=a.starts_on,
            ends_on=a.ends_on,
        )
        for a in found
    ]
    counts: dict[str, int] = defaultdict(int)
    for a in found:
        counts[a.status] += 1
    serving: dict[int, int] = defaultdict(int)
    active: dict[int, int] = defaultdict(int)
    for item in items:
        for s in item.strategies:
            serving[s] += 1
            active[s] += item.is_active
    gap_ids = set(alignment.strategy_gaps(items, [s.pk for s in strategies]))
    by_pk = {a.pk: a for a in found}
    by_strategy = {s.pk: s for s in strategies}
    place_by_pk = {g.pk: g for g in place_list}
    overlaps = alignment.overlaps(items, parents)
    group_ids = {g for o in overlaps[:OVERLAPS_LISTED] for g in o.groups}
    groups = Group.objects.filter(initiative=initiative, pk__in=group_ids).in_bulk()
    return ActivitySection(
        total=len(found),
        by_status=[(label, counts[value]) for value, label in Activity.Status.choices],
        by_strategy=[StrategyCount(s, serving[s.pk], active[s.pk]) for s in strategies],
        strategy_gaps=[s for s in strategies if s.pk in gap_ids],
        place_gaps=[place_by_pk[p] for p in alignment.place_gaps(items, parents)],
        overlaps=[
            OverlapLine(
                by_pk[o.first],
                by_pk[o.second],
                [by_strategy[s] for s in sorted(o.strategies) if s in by_strategy],
                [groups[g] for g in sorted(o.groups) if g in groups],
            )
            for o in overlaps[:OVERLAPS_LISTED]
        ],
        overlap_count=len(overlaps),
        has_places=bool(place_list),
    )


# --- 4. backbone effort ----------------------------------------------------------------


@dataclass
class RoleHours:
    role: dict  # a backbone role of the framework: {"key", "name", …}
    hours: Decimal
    share: Decimal | None  # of all hours in the period, 0–1


@dataclass
class EffortSection:
    rows: list[RoleHours]
    other_hours: Decimal  # on tasks of a role the framework no longer has
    total: Decimal
    starved: list[dict]  # the roles with the smallest share of the period's hours
    without_effort: list[dict]


def effort_section(*, initiative: Initiative, start: date, end: date) -> EffortSection:
    """Hours logged per backbone role on days within the period. The starved role is named
    as the effort page names it (`workplan.selectors.effort_by_role`): the role with the
    smallest share of the hours, every such role on a tie, over the report's period."""
    sums = {
        row["task__role"]: row["total"]
        for row in EffortEntry.objects.filter(
            task__initiative=initiative, worked_on__gte=start, worked_on__lte=end
        )
        .values("task__role")
        .annotate(total=Sum("hours"))
    }
    roles = backbone_roles(initiative)
    hours = [(role, sums.pop(role["key"], None) or Decimal(0)) for role in roles]
    other = sum(sums.values(), Decimal(0))
    total = sum((h for _, h in hours), Decimal(0)) + other
    rows = [RoleHours(role, h, h / total if total else None) for role, h in hours]
    starved: list[dict] = []
    if rows and any(r.hours for r in rows):
        least = min(r.hours for r in rows)
        starved = [r.role for r in rows if r.hours == least]
    return EffortSection(
        rows=rows,
        other_hours=other,
        total=total,
        starved=starved,
        without_effort=[r.role for r in rows if not r.hours],
    )


# --- 5. funding ------------------------------------------------------------------------


@dataclass
class FundingSection:
    visible: bool  # funding.view: the backbone, evaluators and funders
    years: list[workplan.YearFunding] = field(default_factory=list)  # the period's years
    pipeline: list[workplan.PipelineRow] = field(default_factory=list)
    grants: list[Grant] | None = None  # grants.view only: those running in the period
    own_only: bool = False  # a funder's people see their own organisation's grants only
    shows_notes: bool = False  # grant.private_note: the backbone only

    def _per_currency(self, attribute: str) -> list[tuple[str, Decimal]]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for y in self.years:
            value = getattr(y, attribute)
            if value is not None:
                sums[y.currency] += value
        return sorted(sums.items())

    @property
    def secured(self) -> list[tuple[str, Decimal]]:
        """Secured over the period's years, per currency."""
        return self._per_currency("secured")

    @property
    def needed(self) -> list[tuple[str, Decimal]]:
        return self._per_currency("needed")


def funding_section(*, initiative: Initiative, viewer, start: date, end: date) -> FundingSection:
    """Secured against needed for the calendar years the period touches, and the pipeline
    by status today: sums only, as the funding page shows them to funders. The grants running
    in the period as the grants page lists them (a funder's people their own organisation's
    only), their private notes to the backbone alone."""
    if not can(viewer, "funding.view", initiative):
        return FundingSection(visible=False)
    own = grant_funders(viewer, initiative)
    years = [
        y
        for y in workplan.secured_against_needed(initiative=initiative, organisation_ids=own)
        if start.year <= y.year <= end.year
    ]
    grants = None
    if can(viewer, "grants.view", initiative):
        found = workplan.grants(initiative=initiative, organisation_ids=own)
        grants = list(found.filter(starts_on__lte=end, ends_on__gte=start))
    return FundingSection(
        visible=True,
        years=years,
        pipeline=workplan.pipeline(initiative=initiative, organisation_ids=own),
        grants=grants,
        own_only=own is not None,
        shows_notes=can(viewer, "grant.private_note", initiative),
    )


# --- 6. policy and public will ---------------------------------------------------------


@dataclass
class ReachLine:
    label: str
    items: int
    reach: int


@dataclass
class PolicySection:
    wins: list[PolicyEvent]  # a policy adopted or implemented in the period
    steps: list[PolicyEvent]  # every other step on the policy agenda in the period
    shows_public_will: bool
    reach: list[ReachLine] = field(default_factory=list)  # per kind
    items: list[PublicWillItem] = field(default_factory=list)

    @property
    def reach_total(self) -> int:
        return sum(r.reach for r in self.reach)


def policy_section(*, initiative: Initiative, viewer, start: date, end: date) -> PolicySection:
    """Policy wins are the events of the period that moved a policy to adopted or
    implemented. Public will counts the items dated in the period (a campaign by the day it
    started), as the public-will page buckets them by quarter."""
    events = [
        e
        for e in PolicyEvent.objects.filter(
            policy__initiative=initiative, happened_on__gte=start, happened_on__lte=end
        )
        .select_related("policy")
        .order_by("happened_on", "id")
        if can(viewer, "policy.view", initiative, e.policy)
    ]
    wins = [e for e in events if e.status_after in Policy.WINS]
    section = PolicySection(
        wins=wins,
        steps=[e for e in events if e not in wins],
        shows_public_will=can(viewer, "public_will.view", initiative),
    )
    if section.shows_public_will:
        section.items = list(
            PublicWillItem.objects.filter(
                initiative=initiative, starts_on__gte=start, starts_on__lte=end
            ).order_by("starts_on", "id")
        )
        section.reach = [
            ReachLine(
                label,
                sum(1 for i in section.items if i.kind == kind),
                sum(i.reach or 0 for i in section.items if i.kind == kind),
            )
            for kind, label in PublicWillItem.Kind.choices
        ]
    return section


# --- 7 and 8. decisions and learning ---------------------------------------------------


@dataclass
class EntriesSection:
    """Entries another app keeps (decided outcomes, the learning log): those the reader may
    see. `available` is False where that app does not offer them, and the report says so
    instead of failing."""

    available: bool
    entries: list = field(default_factory=list)


def decisions_section(*, initiative: Initiative, viewer, start: date, end: date) -> EntriesSection:
    """Outcomes decided in the period, each shown only to those who may see its proposal (a
    private working group's decisions stay with its people and the backbone)."""
    try:
        from backbone.decisions.selectors import decided_between, seat_of
    except ImportError:
        return EntriesSection(available=False)
    if not can(viewer, "decisions.view", initiative):
        return EntriesSection(available=True)
    shown = []
    for outcome in decided_between(initiative, start, end):
        outcome.proposal.initiative = initiative
        if can(viewer, "decision.view", initiative, seat_of(outcome.proposal, viewer)):
            shown.append(outcome)
    return EntriesSection(available=True, entries=shown)


def learning_section(*, initiative: Initiative, viewer, start: date, end: date) -> EntriesSection:
    """Learning log entries dated in the period, with the links the reader may see."""
    try:
        from backbone.learning.selectors import links_seen_by, log_entries_between
    except ImportError:
        return EntriesSection(available=False)
    if not can(viewer, "learning.view", initiative):
        return EntriesSection(available=True)
    entries = list(log_entries_between(initiative, start, end))
    links_seen_by(entries, initiative=initiative, person=viewer)
    return EntriesSection(available=True, entries=entries)
