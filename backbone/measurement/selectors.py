"""Reads of the shared measurement set-up that several pages need: indicators with their
dimensions, periods by kind, groups in tree order, baselines and targets.

Every read takes the initiative, so nothing here reaches another initiative's data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backbone.agenda.models import Goal
from backbone.initiatives.models import Initiative

from . import reporting
from .models import (
    Aggregation,
    DataValue,
    Dimension,
    Group,
    Indicator,
    IndicatorDimension,
    Period,
    Submission,
    Target,
)
from .numbers import MINUS, as_text

# --- indicators ------------------------------------------------------------------------


def _with_dimensions(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    links = IndicatorDimension.objects.select_related("dimension").order_by("position")
    return indicators.select_related("goal", "strategy__goal", "owner").prefetch_related(
        Prefetch("indicatordimension_set", queryset=links, to_attr="dimension_links")
    )


def unit_label(indicator: Indicator) -> str:
    """The unit as people read it: "Percent", "Rate per 1,000", "Count"."""
    if indicator.unit == Indicator.Unit.RATE:
        return _("Rate per %(per)s") % {
            "per": number_format(indicator.rate_per, force_grouping=True)
        }
    return indicator.get_unit_display()


def _annotate(indicators: list[Indicator]) -> list[Indicator]:
    for indicator in indicators:
        indicator.ordered_dimensions = [link.dimension for link in indicator.dimension_links]
        indicator.unit_label = unit_label(indicator)
    return indicators


def indicators_of(initiative: Initiative) -> list[Indicator]:
    """The initiative's indicators in order, each with `ordered_dimensions` (the dimensions
    it is reported by, in their order), its goal, strategy and owner: three queries."""
    return _annotate(list(_with_dimensions(Indicator.objects.filter(initiative=initiative))))


def indicator_in(initiative: Initiative, code: str) -> Indicator | None:
    """One indicator of this initiative by its code, with `ordered_dimensions`, or None."""
    found = list(_with_dimensions(Indicator.objects.filter(initiative=initiative, code=code)))
    return _annotate(found)[0] if found else None


def indicator_goal(indicator: Indicator) -> Goal | None:
    """The goal an indicator serves: its own, or its strategy's."""
    if indicator.goal_id:
        return indicator.goal
    return indicator.strategy.goal if indicator.strategy_id else None


@dataclass
class GoalSection:
    goal: Goal | None
    indicators: list[Indicator] = field(default_factory=list)


def indicators_by_goal(initiative: Initiative, indicators: list[Indicator]) -> list[GoalSection]:
    """Indicators under the agenda's goals, in the agenda's order; those tied to no goal last.
    Goals without indicators are left out."""
    sections = {goal.pk: GoalSection(goal) for goal in Goal.objects.filter(initiative=initiative)}
    loose = GoalSection(None)
    for indicator in indicators:
        goal = indicator_goal(indicator)
        sections.get(goal.pk if goal else None, loose).indicators.append(indicator)
    return [s for s in [*sections.values(), loose] if s.indicators]


def indicator_has_values(indicator: Indicator) -> bool:
    return DataValue.objects.filter(indicator=indicator).exists()


AGGREGATION_WORDS: dict[str, tuple[str, str]] = {
    Aggregation.SUM: (
        gettext_lazy("Counts from partners, places and groups are added up."),
        gettext_lazy(
            "Counts of shorter periods add up to longer ones: the months of a year sum to the year."
        ),
    ),
    Aggregation.RATE: (
        gettext_lazy(
            "Numerators and denominators are each added up across partners, places and groups, "
            "and the rate is computed again from the sums — never an average of rates."
        ),
        gettext_lazy(
            "The same over time: the rate of a year is the sum of its numerators over the sum of "
            "its denominators."
        ),
    ),
    Aggregation.WEIGHTED: (
        gettext_lazy(
            "Averages are combined weighted by their n, the number of people or cases behind each, "
            "so a large programme counts for more than a small one."
        ),
        gettext_lazy("The same over time: the average of a year weighs each period by its n."),
    ),
    Aggregation.STOCK: (
        gettext_lazy("Point-in-time counts are added up across partners and places."),
        gettext_lazy(
            "Over time the count at the end of the period is taken, not the sum: the last value "
            "in time."
        ),
    ),
    Aggregation.CUMULATIVE: (
        gettext_lazy("Running totals are added up across partners and places."),
        gettext_lazy(
            "Over time the latest running total is taken, never the sum of running totals."
        ),
    ),
}


def aggregation_in_words(indicator: Indicator) -> tuple[str, str]:
    """How the indicator's values add up (across space, across time), in words."""
    return AGGREGATION_WORDS.get(indicator.aggregation, ("", ""))


# --- dimensions and groups -----------------------------------------------------------------


def group_tree(groups: list[Group]) -> list[tuple[Group, int]]:
    """Groups in tree order (each parent before its children, siblings in their order), each
    with its depth: 0 for a top-level group."""
    children: dict[int | None, list[Group]] = defaultdict(list)
    ids = {g.pk for g in groups}
    for g in groups:
        children[g.parent_id if g.parent_id in ids else None].append(g)
    ordered: list[tuple[Group, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for g in children.get(parent_id, ()):
            ordered.append((g, depth))
            walk(g.pk, depth + 1)

    walk(None, 0)
    return ordered


def groups_by_dimension(dimension: Dimension) -> list[tuple[Group, int]]:
    """One dimension's groups in tree order, with their depth."""
    return group_tree(list(Group.objects.filter(dimension=dimension)))


@dataclass
class GroupNode:
    group: Group
    children: list[GroupNode] = field(default_factory=list)


def group_nodes(groups: list[Group]) -> list[GroupNode]:
    """Groups as a tree of nodes, for nested lists (city › district › neighbourhood)."""
    nodes = {g.pk: GroupNode(g) for g in groups}
    roots: list[GroupNode] = []
    for g in groups:
        parent = nodes.get(g.parent_id) if g.parent_id else None
        (parent.children if parent else roots).append(nodes[g.pk])
    return roots


def dimensions_with_groups(initiative: Initiative) -> list[Dimension]:
    """The initiative's dimensions in order, each with `tree` (groups in tree order with their
    depth) and `nodes` (the same as nested nodes): two queries."""
    dimensions = list(
        Dimension.objects.filter(initiative=initiative).prefetch_related(
            Prefetch("groups", queryset=Group.objects.order_by("position", "name"))
        )
    )
    for dimension in dimensions:
        groups = list(dimension.groups.all())
        dimension.tree = group_tree(groups)
        dimension.nodes = group_nodes(groups)
    return dimensions


def dimension_in(initiative: Initiative, key: str) -> Dimension | None:
    return Dimension.objects.filter(initiative=initiative, key=key).first()


# --- periods ---------------------------------------------------------------------------


def periods_by_kind(
    initiative: Initiative, *, kinds: list[str] | None = None, latest_first: bool = False
) -> dict[str, list[Period]]:
    """Periods grouped by kind (months, quarters, school years, years, fiscal years, in that
    order), each kind in time order — or latest first. Kinds without periods are left out."""
    periods = Period.objects.filter(initiative=initiative)
    if kinds is not None:
        periods = periods.filter(kind__in=kinds)
    grouped: dict[str, list[Period]] = {kind: [] for kind in Period.Kind.values}
    for period in periods.order_by("-start" if latest_first else "start"):
        grouped[period.kind].append(period)
    return {kind: found for kind, found in grouped.items() if found}


def period_in(initiative: Initiative, code: str) -> Period | None:
    return Period.objects.filter(initiative=initiative, code=code).first()


# --- baselines and targets ---------------------------------------------------------------


@dataclass
class TargetRow:
    """Baseline and target of one period for the total or for one combination of groups."""

    period: Period
    groups: tuple[Group, ...]
    baseline: Target | None = None
    target: Target | None = None

    @property
    def label(self) -> str:
        return " × ".join(g.name for g in self.groups) or _("Total")

    decimals: int = 0

    @property
    def baseline_text(self) -> str:
        return number_text(self.baseline.value, self.decimals) if self.baseline else ""

    @property
    def target_text(self) -> str:
        return number_text(self.target.value, self.decimals) if self.target else ""


def number_text(value: Decimal | None, decimals: int = 0) -> str:
    """A stored number as people read it on a page, with at least `decimals` places: 1,250
    and 52.5, not 1250.000000; more places only where the number has them; −3.5 with a true
    minus sign."""
    if value is None:
        return ""
    text = as_text(value)
    places = len(text.partition(".")[2])
    if places < decimals:
        text = f"{value:.{decimals}f}"
    whole, _, fraction = text.partition(".")
    sign = MINUS if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}"
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def accepted_range(indicator: Indicator) -> str:
    """The values an indicator accepts, in words ("0 to 100")."""
    low, high = indicator.minimum, indicator.maximum
    low_text = number_text(low) if low is not None else ("" if indicator.unit == "score" else "0")
    high_text = (
        number_text(high) if high is not None else ("100" if indicator.unit == "percent" else "")
    )
    if low_text and high_text:
        return _("%(low)s to %(high)s") % {"low": low_text, "high": high_text}
    if low_text:
        return _("%(low)s or more") % {"low": low_text}
    if high_text:
        return _("up to %(high)s") % {"high": high_text}
    return _("any number")


def targets_of(indicator: Indicator) -> list[TargetRow]:
    """The indicator's baselines and targets by period (in time order), the total first and
    then each group in its dimension's order: two queries."""
    targets = list(
        Target.objects.filter(indicator=indicator, initiative_id=indicator.initiative_id)
        .select_related("period", "cell")
        .prefetch_related(
            Prefetch("cell__groups", queryset=Group.objects.select_related("dimension"))
        )
    )
    rows: dict[tuple[int, str], TargetRow] = {}
    for t in targets:
        key = (t.period_id, t.cell.key)
        if key not in rows:
            groups = sorted(
                t.cell.groups.all(), key=lambda g: (g.dimension.position, g.position, g.name)
            )
            rows[key] = TargetRow(
                period=t.period, groups=tuple(groups), decimals=indicator.decimals
            )
        setattr(rows[key], t.kind, t)

    def order(row: TargetRow):
        return (
            row.period.start,
            row.period.kind,
            len(row.groups),
            [(g.dimension.position, g.dimension_id, g.position, g.name) for g in row.groups],
        )

    return sorted(rows.values(), key=order)


# --- submissions under review (the submissions page and its API) ------------------------


def review_submissions(
    *,
    initiative: Initiative,
    person,
    status: str = "",
    partner: str = "",
    channel: str = "",
    period: str = "",
    indicator: str = "",
) -> QuerySet[Submission]:
    """The submissions page's list for `person`: every partner's for who reads all values, a
    partner's own for its people; submitted ones first for who approves. `period` and
    `indicator` (codes) keep the submissions that still carry values of them."""
    from backbone import permissions

    partners = reporting.partners_visible(initiative=initiative, person=person)
    visible = reporting.submissions_visible(initiative=initiative, person=person, partners=partners)
    if period or indicator:
        carrying = DataValue.objects.filter(initiative=initiative)
        if period:
            carrying = carrying.filter(period__code=period)
        if indicator:
            carrying = carrying.filter(indicator__code=indicator)
        visible = visible.filter(pk__in=carrying.values("submission_id"))
    return reporting.submission_list(
        visible,
        status=status,
        partner=partner,
        channel=channel,
        queue_first=permissions.can(person, "values.approve", initiative),
    ).select_related("initiative")


def review_submission(*, initiative: Initiative, person, uuid) -> Submission | None:
    """One submission of `initiative` that `person` may read (its partner's own values), with
    what its page shows; None for anything else."""
    from backbone import permissions

    found = (
        Submission.objects.filter(initiative=initiative, uuid=uuid)
        .select_related("partner__organisation", "created_by", "reviewed_by", "initiative")
        .annotate(current_count=Count("values"))
        .first()
    )
    if found is None or not permissions.can(
        person, "values.view_partner", initiative, found.partner
    ):
        return None
    return found


def review_values(
    *,
    initiative: Initiative,
    person,
    submission=None,
    status: str = "",
    partner: str = "",
    period: str = "",
    indicator: str = "",
) -> QuerySet[DataValue]:
    """The values the submissions `person` may read still carry (those of the submission with
    uuid `submission` alone, when given), newest submission first and each in its page's
    order, with what `reporting.value_rows` needs to read them as its page does."""

    visible = reporting.submissions_visible(initiative=initiative, person=person)
    if submission is not None:
        visible = visible.filter(uuid=submission)
    values = DataValue.objects.filter(initiative=initiative, submission__in=visible)
    if status:
        values = values.filter(status=status)
    if partner:
        values = values.filter(partner__organisation__slug=partner)
    if period:
        values = values.filter(period__code=period)
    if indicator:
        values = values.filter(indicator__code=indicator)
    return reporting.with_history(values.select_related("submission")).order_by(
        "-submission__created_at",
        "-submission_id",
        "indicator__position",
        "indicator__name",
        "period__start",
        "cell__key",
        "pk",
    )
