"""Reads: the 4W rows and the alignment of an initiative, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from backbone.agenda.models import Strategy
from backbone.initiatives.models import Initiative, Partner
from backbone.measurement.models import Group

from . import alignment
from .models import Activity


def places(*, initiative: Initiative) -> list[Group]:
    """Every place of the initiative's geography, each parent before its children, with
    `depth` set (0 at the top)."""
    found = list(
        Group.objects.filter(initiative=initiative, dimension__is_geography=True).order_by(
            "dimension__position", "position", "name"
        )
    )
    children: dict[int | None, list[Group]] = defaultdict(list)
    ids = {g.pk for g in found}
    for g in found:
        children[g.parent_id if g.parent_id in ids else None].append(g)
    ordered: list[Group] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for g in children.get(parent_id, []):
            g.depth = depth
            ordered.append(g)
            walk(g.pk, depth + 1)

    walk(None, 0)
    return ordered


def parents_of(place_list: list[Group]) -> dict[int, int | None]:
    return {g.pk: g.parent_id for g in place_list}


@dataclass
class ActivityFilter:
    strategy: Strategy | None = None
    partner: Partner | None = None
    sector: str = ""
    place: Group | None = None
    status: str = ""
    start: date | None = None
    end: date | None = None


def _rows(initiative: Initiative) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(initiative=initiative)
        .select_related("partner__organisation")
        .prefetch_related(
            Prefetch("strategies", queryset=Strategy.objects.order_by("position", "id")),
            "places",
            "groups",
        )
        .order_by("partner__organisation__name", "starts_on", "name", "id")
    )


def activities(
    *, initiative: Initiative, flt: ActivityFilter | None = None, place_list: list | None = None
) -> list[Activity]:
    """The 4W rows: who does what, where, when, filtered. A district includes its
    neighbourhoods; a period keeps the activities running at some time within it."""
    flt = flt or ActivityFilter()
    qs = _rows(initiative)
    if flt.strategy:
        qs = qs.filter(strategies=flt.strategy)
    if flt.partner:
        qs = qs.filter(partner=flt.partner)
    if flt.sector:
        qs = qs.filter(partner__organisation__sector=flt.sector)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.end:
        qs = qs.filter(starts_on__lte=flt.end)
    if flt.start:
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=flt.start))
    if flt.place:
        if place_list is None:
            place_list = places(initiative=initiative)
        parents = parents_of(place_list)
        inside = [p for p in parents if alignment.within(p, flt.place.pk, parents)]
        qs = qs.filter(places__in=inside)
    return list(qs.distinct())


def item(activity: Activity) -> alignment.Item:
    return alignment.Item(
        key=activity.pk,
        partner=activity.partner_id,
        status=activity.status,
        strategies=frozenset(s.pk for s in activity.strategies.all()),
        places=frozenset(p.pk for p in activity.places.all()),
        groups=frozenset(g.pk for g in activity.groups.all()),
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
    )


@dataclass
class Row:
    """One row of a matrix: a partner or a place, and its activities per strategy."""

    label: object
    cells: list[list[Activity]]
    depth: int = 0

    @property
    def indent(self) -> str:
        return "\u2003" * self.depth


@dataclass
class Alignment:
    strategies: list[Strategy]
    by_partner: list[Row]
    by_place: list[Row]
    strategy_gaps: list[Strategy]
    place_gaps: list[Group]
    overlaps: list[tuple[Activity, Activity, list[Strategy], list[Group]]]
    has_places: bool = field(default=False)


def alignment_of(*, initiative: Initiative) -> Alignment:
    """Partners × strategies and places × strategies, with gaps and overlaps. The matrices
    count every activity that is not done; gaps and overlaps only active ones."""
    strategies = list(
        Strategy.objects.filter(initiative=initiative).order_by("goal__position", "position", "id")
    )
    place_list = places(initiative=initiative)
    parents = parents_of(place_list)
    all_rows = list(_rows(initiative))
    current = [a for a in all_rows if a.status != Activity.Status.DONE]
    items = {a.pk: item(a) for a in all_rows}
    index = {s.pk: n for n, s in enumerate(strategies)}

    def cells_for(chosen: list[Activity]) -> list[list[Activity]]:
        cells: list[list[Activity]] = [[] for _ in strategies]
        for a in chosen:
            for s in items[a.pk].strategies:
                if s in index:
                    cells[index[s]].append(a)
        return cells

    partners: dict[int, list[Activity]] = defaultdict(list)
    for a in current:
        partners[a.partner_id].append(a)
    by_partner = [Row(label=acts[0].partner, cells=cells_for(acts)) for acts in partners.values()]
    by_place = [
        Row(
            label=place,
            depth=place.depth,
            cells=cells_for(
                [
                    a
                    for a in current
                    if any(alignment.within(p, place.pk, parents) for p in items[a.pk].places)
                ]
            ),
        )
        for place in place_list
    ]
    by_pk = {a.pk: a for a in all_rows}
    groups = {g.pk: g for a in all_rows for g in a.groups.all()}
    found = alignment.overlaps(list(items.values()), parents)
    place_by_pk = {g.pk: g for g in place_list}
    gap_ids = set(alignment.strategy_gaps(items.values(), index))
    return Alignment(
        strategies=strategies,
        by_partner=by_partner,
        by_place=by_place,
        strategy_gaps=[s for s in strategies if s.pk in gap_ids],
        place_gaps=[place_by_pk[p] for p in alignment.place_gaps(items.values(), parents)],
        overlaps=[
            (
                by_pk[o.first],
                by_pk[o.second],
                [s for s in strategies if s.pk in o.strategies],
                [groups[g] for g in o.groups],
            )
            for o in found
        ],
        has_places=bool(place_list),
    )
